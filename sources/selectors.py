"""Reads for documents, endnotes and sources, and the records that cite them."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, Model, Prefetch, QuerySet

from .mixins import PREFETCHED_CITATIONS
from .models import Citation, Endnote, EndnoteWork, Source


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


def endnote_list() -> QuerySet[Endnote]:
    return Endnote.objects.select_related("document", "ibid_of").prefetch_related(
        Prefetch("works", queryset=EndnoteWork.objects.select_related("source").order_by("position"))
    )


def source_list() -> QuerySet[Source]:
    return Source.objects.prefetch_related(
        Prefetch(
            "endnote_works",
            queryset=EndnoteWork.objects.select_related("endnote__document").order_by(
                "endnote__document__slug", "endnote__number"
            ),
        )
    )


def citations_of(record: Model) -> list[Citation]:
    """The record's citations with their endnotes, in the order the record gives them.

    Filtered by app label and model name (a join) rather than a ContentType id, so the
    query count does not depend on whether the ContentType cache is warm.
    """
    meta = record._meta
    return list(
        Citation.objects.filter(
            content_type__app_label=meta.app_label, content_type__model=meta.model_name, object_id=record.pk
        )
        .select_related("endnote__document")
        .order_by("position", "endnote__number")
    )


def _cited_models() -> list[tuple[str, type[Model]]]:
    from periods.models import Actor, Analysis, Event, Figure, Period, PolicyOption  # noqa: F401
    from transfers.models import Project, Transfer

    return [
        ("Events", Event.objects.select_related("period")),
        ("Arms transfers", Transfer.objects.select_related("period", "supplier", "recipient")),
        ("Joint projects", Project.objects.select_related("period")),
        ("Figures", Figure.objects.select_related("period")),
        ("Actors", Actor.objects.all()),
        ("Policy options", PolicyOption.objects.all()),
        ("The report's analysis", Analysis.objects.select_related("period")),
    ]


@dataclass
class CitingGroup:
    label: str
    records: list


def records_citing(endnotes, *, with_passages: bool = False) -> list[CitingGroup]:
    """Every record that cites one of ``endnotes``, grouped by type (one query per type).

    ``with_passages`` (for one endnote) sets ``cited_passage`` on each record: the
    passage its citation keeps, read in the same query through the same join.
    """
    groups = []
    for label, qs in _cited_models():
        qs = qs.filter(citations__endnote__in=endnotes)
        if with_passages:
            qs = qs.annotate(cited_passage=F("citations__passage"))
        records = list(qs.distinct())
        if records:
            groups.append(CitingGroup(label, records))
    return groups


@dataclass
class CitingPassage:
    """One sentence of the report carrying an endnote's marker, and the records resting on it."""

    text: str
    records: list


def passages_citing(groups: list[CitingGroup]) -> list[CitingPassage]:
    """The passages of one endnote's citations, each with the records it supports, in
    the groups' order (from ``records_citing([note], with_passages=True)``; no query)."""
    found: dict[str, list] = {}
    for group in groups:
        for record in group.records:
            text = getattr(record, "cited_passage", "")
            if text:
                found.setdefault(text, []).append(record)
    return [CitingPassage(text, records) for text, records in found.items()]
