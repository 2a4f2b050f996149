"""Reads for citing: the endnotes a filtered set of records cites, and a record's endnotes.

A selection is defined by the records' own fields, as in the query string of the
record lists: ``type`` (event, transfer, project, figure, policy-option), ``period``
(slug), ``category`` and ``direction`` (transfers only) and ``q`` (text search). Its
endnotes are every endnote those records cite, in document order.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from django.utils.text import slugify

from periods.models import Analysis, Event, Figure, Period, PolicyOption
from transfers.models import Project, Transfer

from .models import Citation, Endnote

RECORD_TYPES: dict[str, type[Model]] = {
    "event": Event,
    "transfer": Transfer,
    "project": Project,
    "figure": Figure,
    "policy-option": PolicyOption,
    "analysis": Analysis,
}
SEARCH_FIELDS: dict[type[Model], tuple[str, ...]] = {
    Event: ("title", "description", "remarks"),
    Transfer: ("designation", "description", "notes", "remarks"),
    Project: ("name", "description", "division_of_labour", "remarks"),
    Figure: ("statement", "scope", "remarks"),
    PolicyOption: ("title", "summary"),
    Analysis: ("title", "claim", "remarks"),
}
FILTERS = ("type", "period", "category", "direction", "q")


@dataclass(frozen=True)
class RecordSelection:
    type: str = ""
    period: str = ""
    category: str = ""
    direction: str = ""
    q: str = ""

    @classmethod
    def from_query(cls, query) -> RecordSelection:
        """Build from a QueryDict; raise ``ValidationError`` naming the parameter and its allowed values."""
        values = {name: (query.get(name) or "").strip() for name in FILTERS}
        errors = {}
        if values["type"] and values["type"] not in RECORD_TYPES:
            errors["type"] = f"type must be one of: {', '.join(RECORD_TYPES)}."
        if values["period"] and not Period.objects.filter(slug=values["period"]).exists():
            slugs = ", ".join(Period.objects.values_list("slug", flat=True))
            errors["period"] = f"period must be one of: {slugs}."
        if values["category"] and values["category"] not in Transfer.Category.values:
            errors["category"] = f"category must be one of: {', '.join(Transfer.Category.values)}."
        if values["direction"] and values["direction"] not in Transfer.Direction.values:
            errors["direction"] = f"direction must be one of: {', '.join(Transfer.Direction.values)}."
        if errors:
            raise ValidationError(errors)
        return cls(**values)

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, name) for name in FILTERS)

    def describe(self) -> str:
        parts = [f"{name} {getattr(self, name)}" for name in FILTERS if getattr(self, name)]
        return "Endnotes cited by records with " + ", ".join(parts) if parts else "Endnotes cited by all records"

    def slug(self) -> str:
        """A download file name: ``endnotes-transfer-2014-present``."""
        parts = [getattr(self, name) for name in FILTERS if getattr(self, name)]
        return ("endnotes-" + slugify(" ".join(parts))[:80]) if parts else "endnotes-all-records"

    def models(self) -> list[type[Model]]:
        if self.category or self.direction:
            return [Transfer] if self.type in ("", "transfer") else []
        if self.type:
            return [RECORD_TYPES[self.type]]
        return list(RECORD_TYPES.values())

    def records(self, model: type[Model]) -> QuerySet:
        qs = model.objects.all()
        if self.period:
            if not any(f.name == "period" for f in model._meta.get_fields()):
                return qs.none()
            qs = qs.filter(period__slug=self.period)
        if self.category:
            qs = qs.filter(category=self.category)
        if self.direction:
            qs = qs.filter(direction=self.direction)
        if self.q:
            match = Q()
            for name in SEARCH_FIELDS[model]:
                match |= Q(**{f"{name}__icontains": self.q})
            qs = qs.filter(match)
        return qs


def selected_endnotes(selection: RecordSelection) -> QuerySet[Endnote]:
    """The endnotes the selected records cite, with what citing them needs prefetched."""
    cited = Q(pk__in=[])
    for model in selection.models():
        ctype = ContentType.objects.get_for_model(model)
        ids = selection.records(model).values("pk")
        cited |= Q(citations__content_type=ctype, citations__object_id__in=ids)
    return citable_endnotes().filter(cited).distinct()


def record_citations(record: Model) -> list[tuple[Endnote, str]]:
    """The endnotes one record rests on, in the order the record cites them, each with
    the report's passage the citation keeps."""
    ctype = ContentType.objects.get_for_model(record)
    citations = Citation.objects.filter(content_type=ctype, object_id=record.pk).order_by("position", "endnote__number")
    rows = list(citations.values_list("endnote_id", "passage"))
    notes = {n.pk: n for n in citable_endnotes().filter(pk__in=[i for i, _ in rows])}
    return [(notes[i], passage) for i, passage in rows]


def record_endnotes(record: Model) -> list[Endnote]:
    """The endnotes one record rests on, in the order the record cites them."""
    return [endnote for endnote, _ in record_citations(record)]


def citable_endnotes() -> QuerySet[Endnote]:
    return (
        Endnote.objects.select_related("document")
        .prefetch_related("works__source")
        .order_by("document__slug", "number")
    )
