"""Admin for arms transfers (with CSV/XLSX and SIPRI trade-register import) and joint projects."""

from django.contrib import admin
from django.urls import path, reverse

from periods.admin import DATE_FIELDS, NOTES_FIELDS, CitedAdmin
from sources.admin_base import DocumentListFilter, ImportExportContentAdmin, YearListFilter

from .admin_sipri import SipriImportView
from .models import Project, Transfer
from .resources import TransferResource

VALUE_FIELDS = (
    "Value (USD)",
    {
        "fields": ["value_usd", "value_usd_low", "value_usd_high", "value_approximate"],
        "description": "Whole US dollars as printed; a range needs low ≤ high; values are never negative.",
    },
)


class TransferYearFilter(YearListFilter):
    title = "year of order"
    parameter_name = "ordered"

    def lookups(self, request, model_admin):
        years = model_admin.get_queryset(request).exclude(year_ordered=None).values_list("year_ordered", flat=True)
        return [(str(y), str(y)) for y in sorted(set(years), reverse=True)]

    def queryset(self, request, queryset):
        if self.value():
            try:
                return queryset.filter(year_ordered=int(self.value()))
            except ValueError:
                return queryset.none()
        return queryset


@admin.register(Transfer)
class TransferAdmin(ImportExportContentAdmin, CitedAdmin):
    resource_classes = [TransferResource]
    list_display = ["designation", "supplier", "recipient", "year_ordered", "value_usd", "status", "endnotes"]
    list_filter = ["period", "direction", "category", "status", TransferYearFilter, DocumentListFilter, "sipri_status"]
    list_select_related = ["supplier", "recipient", "period"]
    search_fields = ["designation", "description", "notes", "slug", "supplier__name", "recipient__name"]
    autocomplete_fields = ["supplier", "recipient", "period"]
    ordering = ["date_start", "slug"]
    readonly_fields = ["direction", "date_range"]
    fieldsets = [
        (None, {"fields": ["designation", "description", "slug", "category", "status", "period"]}),
        (
            "Parties",
            {"fields": ["supplier", "recipient", "direction"], "description": "Supplier and recipient must differ."},
        ),
        DATE_FIELDS,
        (
            "Order and delivery",
            {
                "fields": ["year_ordered", "delivery_years", "number_ordered", "number_delivered", "quantity_unit"],
                "description": "Delivery years SIPRI style ('2018; 2019'), none before the year of order; "
                "number delivered ≤ number ordered.",
            },
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
        ("Notes", {"fields": ["notes", "remarks", "derivation", "uncited_reason"]}),
    ]

    def get_urls(self):
        view = SipriImportView.as_view(model_admin=self)
        return [
            path("import-sipri/", self.admin_site.admin_view(view), name="transfers_transfer_import_sipri"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "sipri_import_url": reverse("admin:transfers_transfer_import_sipri")}
        return super().changelist_view(request, extra_context)


@admin.register(Project)
class ProjectAdmin(CitedAdmin):
    list_display = ["name", "date_text", "status", "period", "value_usd", "endnotes"]
    list_filter = ["period", "status", YearListFilter, DocumentListFilter]
    list_select_related = ["period"]
    search_fields = ["name", "description", "division_of_labour", "slug"]
    autocomplete_fields = ["partners", "period"]
    ordering = ["date_start", "slug"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "status", "period", "description", "partners", "division_of_labour"]}),
        DATE_FIELDS,
        VALUE_FIELDS,
        NOTES_FIELDS,
    ]
