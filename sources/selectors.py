"""Reads for documents, endnotes and sources, and the records that cite them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.apps import apps
from django.db.models import F, Model, Prefetch, QuerySet

from ground.statements import positive_int_markers, prepared, text_markers, with_related

from .cited_record import CitedRecord
from .models import Citation, Endnote, EndnoteWork, Source


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
    query count does not depend on whether the ContentType cache is warm; read by a
    prepared statement (``with_related``): a record page reads it, and planning it was
    most of its cost.
    """
    meta = record._meta

    def build(markers: list) -> QuerySet:
        app_label, model_name, object_id = markers
        return Citation.objects.filter(
            content_type__app_label=app_label, content_type__model=model_name, object_id=object_id
        ).order_by("position", "endnote__number")

    return with_related(
        "citations-of",
        Citation,
        ["endnote", "endnote__document"],
        build,
        [*text_markers(2), *positive_int_markers(1)],
        [meta.app_label, meta.model_name, record.pk],
    )


CitedKey = tuple[str, int, str, str]


def cited_endnote_keys(model: type[Model], pks: list[int]) -> dict[int, list[CitedKey]]:
    """Per record of ``model``, its citations as (document slug, endnote number, pinpoint,
    passage), in the order the record gives them: one query for a page of records.

    Values, not instances: a list or timeline page shows a citation as a link, and
    building each one's citation, endnote and document instances (Django's prefetch)
    was a seventh of a filtered home page at 100k records. A compiled statement per
    number of records (``ground.statements``). Filtered by app label and model name, as
    ``citations_of`` is, so the query count does not depend on the ContentType cache.
    """
    if not pks:
        return {}

    def cited(markers: list) -> QuerySet:
        app_label, model_name, *record_ids = markers
        return (
            Citation.objects.filter(
                content_type__app_label=app_label, content_type__model=model_name, object_id__in=record_ids
            )
            .order_by("position", "endnote__number")
            .values_list("object_id", "endnote__document__slug", "endnote__number", "pinpoint", "passage")
        )

    meta = model._meta
    markers = [*text_markers(2), *positive_int_markers(len(pks))]
    statement = prepared("cited-endnote-keys", Citation, cited, markers)
    found: dict[int, list[CitedKey]] = defaultdict(list)
    for record, document, number, pinpoint, passage in statement.tuples([meta.app_label, meta.model_name, *pks]):
        found[record].append((document, number, pinpoint, passage))
    return found


def cited_record_models() -> list[type[CitedRecord]]:
    """Every concrete record type that cites endnotes, in the order pages list them.

    Found in the app registry rather than named here, so the sources layer needs no
    import from the record apps above it.
    """
    found = [m for m in apps.get_models() if issubclass(m, CitedRecord)]
    return sorted(found, key=lambda m: m.record_order)


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
    for model in cited_record_models():
        qs = model.objects.with_joins().prefetch_related(None).filter(citations__endnote__in=endnotes)
        if with_passages:
            qs = qs.annotate(cited_passage=F("citations__passage"))
        records = list(qs.distinct())
        if records:
            groups.append(CitingGroup(str(model._meta.verbose_name_plural).capitalize(), records))
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


def citable_endnotes() -> QuerySet[Endnote]:
    """Endnotes with what citing them needs (document, works and their sources), in document order."""
    return (
        Endnote.objects.select_related("document")
        .prefetch_related("works__source")
        .order_by("document__slug", "number")
    )


def endnotes_cited_by(records: QuerySet) -> QuerySet[Endnote]:
    """The endnotes the records of one queryset cite: one query, whatever the number of records.

    The records stay a subquery of ids, so citing a list of 100,000 transfers reads no
    transfer into Python; only the (few) endnotes are loaded.
    """
    meta = records.model._meta
    ids = records.order_by().values("pk")
    return (
        citable_endnotes()
        .filter(
            citations__content_type__app_label=meta.app_label,
            citations__content_type__model=meta.model_name,
            citations__object_id__in=ids,
        )
        .distinct()
    )


def record_citations(record: Model) -> list[tuple[Endnote, str]]:
    """The endnotes one record rests on, in the order the record cites them, each with
    the report's passage the citation keeps."""
    meta = record._meta
    citations = Citation.objects.filter(
        content_type__app_label=meta.app_label, content_type__model=meta.model_name, object_id=record.pk
    ).order_by("position", "endnote__number")
    rows = list(citations.values_list("endnote_id", "passage"))
    notes = {n.pk: n for n in citable_endnotes().filter(pk__in=[i for i, _ in rows])}
    return [(notes[i], passage) for i, passage in rows]


def record_endnotes(record: Model) -> list[Endnote]:
    """The endnotes one record rests on, in the order the record cites them."""
    return [endnote for endnote, _ in record_citations(record)]
