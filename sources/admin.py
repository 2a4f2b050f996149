"""Admin for documents, sources, endnotes and citations, plus the citation inline."""

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from simple_history.admin import SimpleHistoryAdmin

from .models import Citation, Document, Endnote, EndnoteWork, Source


class CitationInline(GenericTabularInline):
    """Attach endnotes (with an optional pinpoint) to any cited record."""

    model = Citation
    extra = 0
    autocomplete_fields = ["endnote"]
    fields = ["endnote", "pinpoint", "position"]


class EndnoteWorkInline(admin.TabularInline):
    model = EndnoteWork
    extra = 0
    autocomplete_fields = ["source"]


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):
    list_display = ["slug", "title", "publisher", "date_edtf"]
    search_fields = ["slug", "title"]


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ["slug", "title", "kind", "container_title", "date_edtf"]
    list_filter = ["kind"]
    search_fields = ["slug", "title", "container_title", "publisher", "authors"]


@admin.register(Endnote)
class EndnoteAdmin(SimpleHistoryAdmin):
    list_display = ["number", "document", "short_text", "ibid_of"]
    list_filter = ["document"]
    list_select_related = ["document", "ibid_of"]
    search_fields = ["text", "number"]
    autocomplete_fields = ["ibid_of"]
    inlines = [EndnoteWorkInline]
    ordering = ["document", "number"]

    @admin.display(description="text")
    def short_text(self, obj: Endnote) -> str:
        return obj.text[:90] + ("…" if len(obj.text) > 90 else "")


@admin.register(Citation)
class CitationAdmin(SimpleHistoryAdmin):
    list_display = ["record", "content_type", "endnote", "pinpoint"]
    list_filter = ["content_type", "endnote__document"]
    list_select_related = ["content_type", "endnote__document"]
    autocomplete_fields = ["endnote"]
