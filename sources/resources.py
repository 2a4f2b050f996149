"""django-import-export resources for sources and endnotes, and what every resource shares.

Rows are matched on natural keys (slug; document + number for endnotes), related rows
are named by slug (never by database id, which differs between installations), every
row is validated with the model's ``full_clean`` (so an error names the field and the
rule, the same messages as the admin form and the database constraints), and an import
runs in one transaction: a file with any bad row changes nothing.
"""

from __future__ import annotations

import json
import re

from django.contrib.contenttypes.models import ContentType
from django.db import models
from import_export import fields, resources, widgets

from .models import Citation, Document, Endnote, Source
from .querysets import citations_prefetch

CITATION_RE = re.compile(r"^(?P<document>[-a-z0-9_]+) n\. (?P<number>\d+)(?: \(p\. (?P<pinpoint>[^();]+)\))?$")


class JSONListWidget(widgets.Widget):
    """A JSON list column (authors, URLs): empty means ``[]``; bad JSON is a clear error."""

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return []
        try:
            parsed = json.loads(value)
        except json.JSONDecodeError as exc:
            raise ValueError(f'must be a JSON list, e.g. ["..."] ({exc.msg}).') from exc
        if not isinstance(parsed, list):
            raise ValueError('must be a JSON list, e.g. ["..."].')
        return parsed

    def render(self, value, obj=None, **kwargs):
        return json.dumps(value or [], ensure_ascii=False)


class SlugForeignKeyWidget(widgets.ForeignKeyWidget):
    """A foreign key named by the related row's slug; an unknown slug is a clear error."""

    def __init__(self, model, field="slug", **kwargs):
        super().__init__(model, field=field, **kwargs)

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row=row, **kwargs)
        except self.model.DoesNotExist as exc:
            raise ValueError(f"no {self.model._meta.verbose_name} with {self.field} '{value}'.") from exc


def format_citations(citations) -> str:
    """``csis-mtc-primer-2020 n. 31; csis-mtc-primer-2020 n. 32 (p. 14)``: readable and re-importable."""
    parts = []
    for citation in citations:
        text = f"{citation.endnote.document.slug} n. {citation.endnote.number}"
        parts.append(text + (f" (p. {citation.pinpoint})" if citation.pinpoint else ""))
    return "; ".join(parts)


class CitationsWidget(widgets.Widget):
    """The ``citations`` column: endnotes as ``<document> n. <number> (p. <pinpoint>)``, ``; ``-separated."""

    def clean(self, value, row=None, **kwargs) -> list[tuple[Endnote, str]]:
        text = (value or "").strip()
        if not text:
            return []
        parsed = []
        for part in (p.strip() for p in text.split(";")):
            match = CITATION_RE.match(part)
            if not match:
                raise ValueError(f"'{part}' must look like 'csis-mtc-primer-2020 n. 31' or '... n. 31 (p. 14)'.")
            endnote = (
                Endnote.objects.filter(document__slug=match["document"], number=int(match["number"]))
                .select_related("document")
                .first()
            )
            if endnote is None:
                raise ValueError(f"no endnote {match['number']} in document '{match['document']}'.")
            parsed.append((endnote, (match["pinpoint"] or "").strip()))
        return parsed


class CitationsField(fields.Field):
    """Reads a record's citations for export; on import remembers them for ``after_save_instance``.

    A citation needs the record's primary key, so the rows are written after the record
    is saved (``CitedResource.after_save_instance``); if the column is absent from the
    file the record's citations are left as they are.
    """

    def __init__(self):
        super().__init__(attribute="citations", column_name="citations", widget=CitationsWidget())

    def get_value(self, instance):
        pending = getattr(instance, "_imported_citations", None)
        if pending is not None:
            return "; ".join(f"{e.document.slug} n. {e.number}" + (f" (p. {p})" if p else "") for e, p in pending)
        if instance.pk is None:
            return ""
        return format_citations(instance.ordered_citations)

    def save(self, instance, row, is_m2m=False, **kwargs):
        instance._imported_citations = self.clean(row, **kwargs)

    def export(self, instance, **kwargs):
        return self.get_value(instance)


def sync_citations(instance: models.Model, wanted: list[tuple[Endnote, str]]) -> None:
    """Make ``instance`` cite exactly ``wanted`` (endnote, pinpoint), in that order."""
    content_type = ContentType.objects.get_for_model(instance)
    current = {c.endnote_id: c for c in Citation.objects.filter(content_type=content_type, object_id=instance.pk)}
    keep = set()
    for position, (endnote, pinpoint) in enumerate(wanted, start=1):
        keep.add(endnote.pk)
        citation = current.get(endnote.pk)
        if citation is None:
            Citation.objects.create(
                content_type=content_type, object_id=instance.pk, endnote=endnote, pinpoint=pinpoint, position=position
            )
        elif (citation.pinpoint, citation.position) != (pinpoint, position):
            citation.pinpoint, citation.position = pinpoint, position
            citation.save()
    for endnote_id, citation in current.items():
        if endnote_id not in keep:
            citation.delete()


class ContentResource(resources.ModelResource):
    """Shared options: full_clean per row, one transaction per import, unchanged rows skipped."""

    class Meta:
        clean_model_instances = True
        use_transactions = True
        skip_unchanged = True
        report_skipped = True


class CitedResource(ContentResource):
    """A resource for a cited record: adds the ``citations`` column."""

    citations = CitationsField()

    def after_save_instance(self, instance, row, **kwargs):
        wanted = getattr(instance, "_imported_citations", None)
        if wanted is not None:
            sync_citations(instance, wanted)

    def get_queryset(self):
        return super().get_queryset().prefetch_related(citations_prefetch())


class SourceResource(ContentResource):
    authors = fields.Field(attribute="authors", column_name="authors", widget=JSONListWidget())
    editors = fields.Field(attribute="editors", column_name="editors", widget=JSONListWidget())

    class Meta(ContentResource.Meta):
        model = Source
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "kind",
            "authors",
            "editors",
            "title",
            "container_title",
            "collection_title",
            "publisher",
            "publisher_place",
            "date_edtf",
            "url",
            "remarks",
        ]


class IbidWidget(widgets.Widget):
    """``ibid_of`` as the repeated note's number in the same document."""

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        try:
            number = int(str(value).strip())
        except ValueError as exc:
            raise ValueError(f"'{value}' must be the number of the note an Ibid. repeats.") from exc
        note = Endnote.objects.filter(document__slug=row.get("document"), number=number).first()
        if note is None:
            raise ValueError(f"no endnote {number} in document '{row.get('document')}' for Ibid.")
        return note

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value.number)


class EndnoteResource(ContentResource):
    document = fields.Field(attribute="document", column_name="document", widget=SlugForeignKeyWidget(Document))
    urls = fields.Field(attribute="urls", column_name="urls", widget=JSONListWidget())
    ibid_of = fields.Field(attribute="ibid_of", column_name="ibid_of", widget=IbidWidget())

    class Meta(ContentResource.Meta):
        model = Endnote
        import_id_fields = ["document", "number"]
        fields = ["document", "number", "text", "urls", "ibid_of", "remarks"]

    def get_queryset(self):
        return super().get_queryset().select_related("document", "ibid_of")
