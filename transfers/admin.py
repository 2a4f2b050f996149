"""Admin for arms transfers and joint projects."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from periods.admin import DATE_FIELDS, NOTES_FIELDS
from sources.admin import CitationInline

from .models import Project, Transfer

VALUE_FIELDS = ("Value (USD)", {"fields": ["value_usd", "value_usd_low", "value_usd_high", "value_approximate"]})


@admin.register(Transfer)
class TransferAdmin(SimpleHistoryAdmin):
    list_display = ["designation", "description", "supplier", "recipient", "year_ordered", "value_usd", "status"]
    list_filter = ["period", "direction", "category", "status", "year_ordered"]
    list_select_related = ["supplier", "recipient", "period"]
    search_fields = ["designation", "description", "notes", "slug"]
    autocomplete_fields = ["supplier", "recipient"]
    fieldsets = [
        (None, {"fields": ["designation", "description", "slug", "category", "status", "period"]}),
        ("Parties", {"fields": ["supplier", "recipient"]}),
        DATE_FIELDS,
        (
            "Order and delivery",
            {"fields": ["year_ordered", "delivery_years", "number_ordered", "number_delivered", "quantity_unit"]},
        ),
        VALUE_FIELDS,
        (
            "SIPRI",
            {
                "classes": ["collapse"],
                "fields": [
                    "year_ordered_uncertain",
                    "number_ordered_uncertain",
                    "number_delivered_uncertain",
                    "sipri_status",
                    "tiv_per_unit",
                    "tiv_total_order",
                    "tiv_delivered",
                ],
            },
        ),
        ("Notes", {"fields": ["notes", "remarks", "uncited_reason"]}),
    ]
    inlines = [CitationInline]


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ["name", "date_text", "status", "period", "value_usd"]
    list_filter = ["period", "status"]
    list_select_related = ["period"]
    search_fields = ["name", "description", "division_of_labour", "slug"]
    autocomplete_fields = ["partners"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "status", "period", "description", "partners", "division_of_labour"]}),
        DATE_FIELDS,
        VALUE_FIELDS,
        NOTES_FIELDS,
    ]
    inlines = [CitationInline]
