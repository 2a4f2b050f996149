"""Admin for documents, sources, endnotes and citations, plus the citation inline."""

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.contrib.contenttypes.forms import BaseGenericInlineFormSet
from django.db.models import Count
from django.forms.models import BaseInlineFormSet

from sources.admin_base import ContentAdmin, ImportExportContentAdmin

from .models import Citation, Document, Endnote, EndnoteWork, Source
from .resources import EndnoteResource, SourceResource


class LabelledRows:
    """Name every control of a table row for screen readers.

    A tabular inline shows field names only as column headings, which assistive
    technology does not tie to the inputs: each input gets "Pinpoint, row 2".
    """

    def add_fields(self, form, index):
        super().add_fields(form, index)
        row = "new row" if index is None else f"row {index + 1}"
        for name, field in form.fields.items():
            field.widget.attrs.setdefault("aria-label", f"{field.label or name.capitalize()}, {row}")


class LabelledGenericFormSet(LabelledRows, BaseGenericInlineFormSet):
    pass


class LabelledInlineFormSet(LabelledRows, BaseInlineFormSet):
    pass


class CitationInline(GenericTabularInline):
    """Attach endnotes (pick one by number or text, add a pinpoint and the report's passage)."""

    model = Citation
    formset = LabelledGenericFormSet
    extra = 0
    autocomplete_fields = ["endnote"]
    fields = ["endnote", "pinpoint", "passage", "position"]
    ordering = ["position", "endnote__number"]


class EndnoteWorkInline(admin.TabularInline):
    model = EndnoteWork
    formset = LabelledInlineFormSet
    extra = 0
    autocomplete_fields = ["source"]
    fields = ["position", "source", "pinpoint", "form"]


@admin.register(Document)
class DocumentAdmin(ContentAdmin):
    list_display = ["title", "slug", "publisher", "date_edtf", "endnote_count"]
    search_fields = ["slug", "title", "subtitle", "publisher"]
    ordering = ["slug"]
    fieldsets = [
        (None, {"fields": ["title", "subtitle", "slug"]}),
        ("Publication", {"fields": ["authors", "publisher", "date_edtf", "url"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(endnote_total=Count("endnotes"))

    @admin.display(description="endnotes", ordering="endnote_total")
    def endnote_count(self, obj: Document) -> int:
        return obj.endnote_total


class CitedInDocumentFilter(admin.SimpleListFilter):
    title = "document"
    parameter_name = "document"

    def lookups(self, request, model_admin):
        return list(Document.objects.values_list("slug", "title"))

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(endnotes__document__slug=self.value()).distinct()
        return queryset


@admin.register(Source)
class SourceAdmin(ImportExportContentAdmin):
    resource_classes = [SourceResource]
    list_display = ["title", "author_display", "kind", "container_title", "date_edtf"]
    list_filter = ["kind", CitedInDocumentFilter]
    search_fields = ["slug", "title", "container_title", "publisher", "authors"]
    ordering = ["title"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind"]}),
        ("Authors", {"fields": ["authors", "editors"]}),
        (
            "Publication",
            {"fields": ["container_title", "collection_title", "publisher", "publisher_place", "date_edtf", "url"]},
        ),
        ("Remarks", {"fields": ["remarks"]}),
    ]


@admin.register(Endnote)
class EndnoteAdmin(ImportExportContentAdmin):
    resource_classes = [EndnoteResource]
    list_display = ["number", "document", "short_text", "ibid_of"]
    list_display_links = ["number", "short_text"]
    list_filter = ["document", ("ibid_of", admin.EmptyFieldListFilter)]
    list_select_related = ["document", "ibid_of__document"]
    search_fields = ["text", "=number", "remarks"]
    autocomplete_fields = ["document", "ibid_of"]
    inlines = [EndnoteWorkInline]
    ordering = ["document__slug", "number"]
    fieldsets = [
        (None, {"fields": ["document", "number", "text"]}),
        ("Links", {"fields": ["urls", "ibid_of"]}),
        ("Remarks", {"fields": ["remarks"]}),
    ]

    @admin.display(description="text")
    def short_text(self, obj: Endnote) -> str:
        return obj.text[:90] + ("…" if len(obj.text) > 90 else "")


@admin.register(Citation)
class CitationAdmin(ContentAdmin):
    list_display = ["record", "content_type", "endnote", "pinpoint", "position"]
    list_filter = ["content_type", "endnote__document"]
    list_select_related = ["content_type", "endnote__document"]
    search_fields = ["=endnote__number", "pinpoint", "passage"]
    autocomplete_fields = ["endnote"]
    ordering = ["content_type", "object_id", "position"]
    fields = ["content_type", "object_id", "endnote", "pinpoint", "passage", "position"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("record")
