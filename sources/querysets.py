"""Chainable querysets every cited record shares: ``Model.objects.with_joins().with_citations()``."""

from __future__ import annotations

from django.db import models
from django.db.models import Prefetch

from ground.search_index import matching_record_ids, record_matches

from .cited_record import PREFETCHED_CITATIONS
from .models import Citation


def citations_prefetch() -> Prefetch:
    """Records' citations with their endnotes and documents, in one query per model.

    Into a list attribute (``CitedRecord.ordered_citations`` reads it), not the
    ``citations`` manager: Django fills a generic relation's manager by building a
    filtered queryset for every record, which cost a quarter of an uncached API list
    of 50 transfers (measured with cProfile); a list attribute is a plain assignment.
    """
    return Prefetch(
        "citations",
        queryset=Citation.objects.select_related("endnote__document").order_by("position", "endnote__number"),
        to_attr=PREFETCHED_CITATIONS,
    )


class CitedRecordQuerySet(models.QuerySet):
    """What every record type answers: its joins, its citations, a text match, its order.

    ``search_kind`` names the record type in the search index (``ground.search_index``);
    ``matching`` asks the index, so the search page, the timeline, the record lists and
    the citing selection share one meaning of ``q``.
    """

    search_kind: str = ""
    ordering_fields: tuple[str, ...] = ("slug",)

    def with_joins(self) -> CitedRecordQuerySet:
        """The related rows a list or page of these records shows (none by default)."""
        return self

    def with_citations(self) -> CitedRecordQuerySet:
        return self.prefetch_related(citations_prefetch())

    def matching(self, q: str) -> CitedRecordQuerySet:
        """Records the search index finds for ``q`` (its query language: README, Search).

        A subquery on the index (GIN on PostgreSQL, FTS5 on SQLite), never a scan of
        the record table's text columns; an empty ``q`` keeps every record.
        """
        if not (q or "").strip():
            return self
        return self.filter(pk__in=matching_record_ids(q, self.search_kind))

    def matching_alone(self, q: str) -> CitedRecordQuerySet:
        """``matching`` for a list that ``q`` alone filters: a query with many matches is
        checked record by record as the list is walked in its order
        (``ground.search_index.record_matches``), a page reading about as many records
        as it needs; with few, their ids as in ``matching``.

        Only alone: under other filters a common word can match none of their records
        (``rifle`` among aircraft), and the walk would read every one of them.
        """
        if not (q or "").strip():
            return self
        ids = matching_record_ids(q, self.search_kind)
        if not isinstance(ids, models.QuerySet):
            return self.filter(pk__in=ids)
        return self.filter(record_matches(q, self.search_kind))

    def citing(self, endnote_number: int) -> CitedRecordQuerySet:
        """Records citing the endnote with this number (in any document)."""
        return self.filter(citations__endnote__number=endnote_number).distinct()

    def chronological(self) -> CitedRecordQuerySet:
        return self.order_by(*self.ordering_fields)
