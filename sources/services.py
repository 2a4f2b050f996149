"""Writes for cited records, endnotes, sources and citations (the API's write path).

Every service validates with the model's own rules (``full_clean``: field checks,
``clean()`` and the database constraints' messages) before writing, and runs in one
transaction, so a record and its citations are written together or not at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction

from .models import Citation, Endnote, EndnoteWork, Source


@dataclass(frozen=True)
class CitationSpec:
    """One endnote a record cites, with an optional page pinpoint and the passage it rests on.

    ``passage`` None keeps a kept citation's stored passage: a client that leaves it out
    (an older client, or one editing only the pinpoint) does not erase the quotation.
    """

    endnote: Endnote
    pinpoint: str = ""
    passage: str | None = None


@dataclass(frozen=True)
class WorkSpec:
    """One work an endnote cites, in printed order."""

    source: Source
    pinpoint: str = ""
    form: str = EndnoteWork.Form.FULL


def validate_instance(instance: models.Model) -> None:
    """``full_clean`` without the derived (non-editable) columns, which ``save()`` fills.

    Their rules are still enforced: ``clean()`` derives the date bounds and checks the
    order/delivery years with a message on the field the client sent.
    """
    derived = {f.name for f in instance._meta.concrete_fields if not f.editable and not f.primary_key}
    instance.full_clean(exclude=derived)


def _apply(instance: models.Model, fields: dict) -> None:
    for name, value in fields.items():
        setattr(instance, name, value)


@transaction.atomic
def set_citations(*, record: models.Model, citations: Sequence[CitationSpec]) -> None:
    """Make ``record`` cite exactly ``citations``, in that order (kept rows keep their ids)."""
    seen: set[int] = set()
    for spec in citations:
        if spec.endnote.pk in seen:
            raise ValidationError({"citations": [f"endnote {spec.endnote.number} is cited twice."]})
        seen.add(spec.endnote.pk)
    content_type = ContentType.objects.get_for_model(record)
    existing = {c.endnote_id: c for c in Citation.objects.filter(content_type=content_type, object_id=record.pk)}
    for stale in [c for endnote_id, c in existing.items() if endnote_id not in seen]:
        stale.delete()
    for position, spec in enumerate(citations, start=1):
        citation = existing.get(spec.endnote.pk) or Citation(
            content_type=content_type, object_id=record.pk, endnote=spec.endnote
        )
        passage = citation.passage if spec.passage is None else spec.passage
        if citation.pk and (citation.pinpoint, citation.passage, citation.position) == (
            spec.pinpoint,
            passage,
            position,
        ):
            continue
        citation.pinpoint, citation.passage, citation.position = spec.pinpoint, passage, position
        validate_instance(citation)
        citation.save()


@transaction.atomic
def cited_record_save(
    *,
    instance: models.Model,
    fields: dict,
    m2m: dict[str, Sequence[models.Model]] | None = None,
    citations: Sequence[CitationSpec] | None = None,
) -> models.Model:
    """Create or update a cited record (event, figure, actor, transfer, project...).

    ``citations=None`` leaves the record's citations as they are (a PATCH without them);
    a list replaces them. ``m2m`` maps a many-to-many field name to its new members.
    """
    _apply(instance, fields)
    validate_instance(instance)
    instance.save()
    for name, members in (m2m or {}).items():
        getattr(instance, name).set(members)
    if citations is not None:
        set_citations(record=instance, citations=citations)
    return instance


@transaction.atomic
def record_delete(*, instance: models.Model) -> None:
    """Delete a record; its citations go with it, a record others reference is refused."""
    instance.delete()


@transaction.atomic
def source_save(*, instance: Source, fields: dict) -> Source:
    _apply(instance, fields)
    validate_instance(instance)
    instance.save()
    return instance


@transaction.atomic
def endnote_save(*, instance: Endnote, fields: dict, works: Sequence[WorkSpec] | None = None) -> Endnote:
    """Create or update an endnote and (when given) the works it cites, in order.

    An "Ibid." must repeat an earlier note of the same document.
    """
    _apply(instance, fields)
    ibid = instance.ibid_of
    if ibid is not None and (ibid.document_id != instance.document_id or ibid.number >= instance.number):
        raise ValidationError({"ibid_of": ["ibid_of must be an earlier note of the same document."]})
    validate_instance(instance)
    instance.save()
    if works is not None:
        instance.works.all().delete()
        for position, work in enumerate(works, start=1):
            row = EndnoteWork(
                endnote=instance, source=work.source, position=position, pinpoint=work.pinpoint, form=work.form
            )
            validate_instance(row)
            row.save()
    return instance


@transaction.atomic
def citation_save(
    *,
    instance: Citation,
    record: models.Model,
    endnote: Endnote,
    pinpoint: str = "",
    passage: str | None = None,
    position: int = 1,
) -> Citation:
    """Create or update one citation of ``record`` by ``endnote`` (``passage`` None: keep it)."""
    instance.content_type = ContentType.objects.get_for_model(record)
    instance.object_id = record.pk
    instance.endnote = endnote
    instance.pinpoint = pinpoint
    if passage is not None:
        instance.passage = passage
    instance.position = position
    validate_instance(instance)
    instance.save()
    return instance
