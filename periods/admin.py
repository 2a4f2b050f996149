"""Admin for the timeline: periods, actors, events, figures, policy options."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from sources.admin import CitationInline

from .models import Actor, Event, Figure, Period, PolicyOption

DATE_FIELDS = ("Date as the report gives it", {"fields": ["date_text", "date_edtf"]})
NOTES_FIELDS = ("Remarks", {"fields": ["remarks", "uncited_reason"]})


@admin.register(Period)
class PeriodAdmin(SimpleHistoryAdmin):
    list_display = ["years", "name", "order"]
    search_fields = ["name", "summary"]


@admin.register(Actor)
class ActorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "country", "slug"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "slug", "description"]
    autocomplete_fields = ["country"]
    inlines = [CitationInline]


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "date_text", "date_start", "period"]
    list_filter = ["period", "kind", "date_precision"]
    list_select_related = ["period"]
    search_fields = ["title", "description", "slug"]
    autocomplete_fields = ["actors"]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "period", "description", "actors"]}),
        DATE_FIELDS,
        NOTES_FIELDS,
    ]
    inlines = [CitationInline]


@admin.register(Figure)
class FigureAdmin(SimpleHistoryAdmin):
    list_display = ["statement", "value", "unit", "qualifier", "period"]
    list_filter = ["period", "unit"]
    list_select_related = ["period"]
    search_fields = ["statement", "scope", "slug"]
    fieldsets = [
        (None, {"fields": ["statement", "slug", "scope", "period"]}),
        ("Value", {"fields": ["value", "value_low", "value_high", "unit", "qualifier"]}),
        DATE_FIELDS,
        NOTES_FIELDS,
    ]
    inlines = [CitationInline]


@admin.register(PolicyOption)
class PolicyOptionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "order"]
    search_fields = ["title", "summary"]
    inlines = [CitationInline]
