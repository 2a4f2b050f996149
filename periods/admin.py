"""Admin for the timeline: periods, actors, events, figures, policy options."""

from django.contrib import admin

from sources.admin import CitationInline
from sources.admin_base import ContentAdmin, DocumentListFilter, ImportExportContentAdmin, YearListFilter

from .models import Actor, Analysis, Event, Figure, Period, PolicyOption
from .resources import EventResource, FigureResource

DATE_FIELDS = (
    "Date as the report gives it",
    {
        "fields": ["date_text", "date_edtf", "date_range"],
        "description": "Keep the wording; the EDTF form gives the sortable bounds shown below it.",
    },
)
NOTES_FIELDS = ("Remarks", {"fields": ["remarks", "derivation", "uncited_reason"]})


class CitedAdmin(ContentAdmin):
    """What every cited, dated record's admin shares: citations inline, endnotes column."""

    inlines = [CitationInline]
    readonly_fields = ["date_range"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("citations__endnote")

    @admin.display(description="endnotes")
    def endnotes(self, obj) -> str:
        numbers = sorted(c.endnote.number for c in obj.citations.all())
        return ", ".join(map(str, numbers)) or "—"

    @admin.display(description="derived date bounds")
    def date_range(self, obj) -> str:
        if not getattr(obj, "date_start", None):
            return "—"
        hedge = ", approximate" if obj.date_approximate else ""
        return f"{obj.date_start} to {obj.date_end} ({obj.date_precision}{hedge})"


@admin.register(Period)
class PeriodAdmin(ContentAdmin):
    list_display = ["years", "name", "heading", "order"]
    list_display_links = ["years", "name"]
    search_fields = ["name", "heading", "summary", "slug"]
    ordering = ["start_year"]
    fields = ["name", "heading", "slug", "start_year", "end_year", "order", "summary"]


@admin.register(Actor)
class ActorAdmin(ContentAdmin):
    list_display = ["name", "kind", "country", "slug"]
    list_filter = ["kind", ("country", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["country"]
    search_fields = ["name", "slug", "description"]
    autocomplete_fields = ["country"]
    ordering = ["name"]
    fields = ["name", "slug", "kind", "country", "description", "remarks", "uncited_reason"]
    inlines = [CitationInline]


@admin.register(Event)
class EventAdmin(ImportExportContentAdmin, CitedAdmin):
    resource_classes = [EventResource]
    list_display = ["title", "date_text", "kind", "period", "endnotes"]
    list_filter = ["period", "kind", YearListFilter, DocumentListFilter, "date_precision"]
    list_select_related = ["period"]
    search_fields = ["title", "description", "slug"]
    autocomplete_fields = ["actors"]
    prepopulated_fields = {"slug": ["title"]}
    ordering = ["date_start", "slug"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "period", "description", "actors"]}),
        DATE_FIELDS,
        NOTES_FIELDS,
    ]


@admin.register(Figure)
class FigureAdmin(ImportExportContentAdmin, CitedAdmin):
    resource_classes = [FigureResource]
    list_display = ["statement", "value", "unit", "qualifier", "period", "endnotes"]
    list_filter = ["period", "unit", YearListFilter, DocumentListFilter]
    list_select_related = ["period"]
    search_fields = ["statement", "scope", "slug"]
    ordering = ["date_start", "slug"]
    fieldsets = [
        (None, {"fields": ["statement", "slug", "scope", "period"]}),
        (
            "Value",
            {
                "fields": ["value", "value_low", "value_high", "unit", "qualifier"],
                "description": "A single value, or a low/high range (low ≤ high); values are never negative.",
            },
        ),
        DATE_FIELDS,
        NOTES_FIELDS,
    ]


@admin.register(PolicyOption)
class PolicyOptionAdmin(CitedAdmin):
    list_display = ["order", "title", "endnotes"]
    list_display_links = ["title"]
    list_filter = [DocumentListFilter]
    search_fields = ["title", "summary", "slug"]
    ordering = ["order", "slug"]
    readonly_fields = []
    fields = ["title", "slug", "order", "summary", "remarks", "uncited_reason"]


@admin.register(Analysis)
class AnalysisAdmin(CitedAdmin):
    """The report's analysis: the claim verbatim, who makes it, what it is about."""

    list_display = ["title", "kind", "made_by", "period", "date_text", "endnotes"]
    list_filter = ["kind", "period", ("made_by", admin.RelatedOnlyFieldListFilter), YearListFilter, DocumentListFilter]
    list_select_related = ["period", "made_by"]
    search_fields = ["title", "claim", "slug"]
    autocomplete_fields = ["made_by", "made_by_others", "actors"]
    prepopulated_fields = {"slug": ["title"]}
    ordering = ["date_start", "slug"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "claim", "made_by", "made_by_others", "period", "actors"]}),
        DATE_FIELDS,
        NOTES_FIELDS,
    ]
