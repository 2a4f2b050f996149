"""Admin for arms transfers (with CSV/XLSX and SIPRI trade-register import) and joint projects."""

from django import forms
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
        "fields": ["value_usd", "value_usd_low", "value_usd_high", "value_approximate", "value_as_read"],
        "description": "Whole US dollars as printed; a range needs low ≤ high; values are never negative.",
    },
)


LABELS = {
    "value_usd": "Value (USD)",
    "value_usd_low": "Value (USD, low)",
    "value_usd_high": "Value (USD, high)",
    "number_ordered": "Number ordered",
    "number_delivered": "Number delivered",
    "year_ordered": "Year of order",
}


class TransferAdminForm(forms.ModelForm):
    """The database's rules, said in words at the field they concern.

    The model's constraints name columns ("number_delivered must be <= number_ordered.")
    and the admin shows them above the form; an editor needs the rule at the field. A
    field with an error here is left out of the constraint check, so it is said once.
    """

    class Meta:
        model = Transfer
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets choose what shows

    def clean(self):
        data = super().clean()
        ordered, delivered = data.get("number_ordered"), data.get("number_delivered")
        if ordered is not None and delivered is not None and delivered > ordered:
            self.add_error("number_delivered", f"More delivered ({delivered:,}) than ordered ({ordered:,}).")
        low, high = data.get("value_usd_low"), data.get("value_usd_high")
        if low is not None and high is not None and low > high:
            self.add_error("value_usd_low", f"The low value (${low:,}) is above the high value (${high:,}).")
        return data


def readable_labels(model_admin, db_field, formfield):
    if formfield is not None and db_field.name in LABELS:
        formfield.label = LABELS[db_field.name]
    return formfield


class ValueDisplay:
    """The value fields read back with thousands separators (an input shows raw digits)."""

    @admin.display(description="Value as read")
    def value_as_read(self, obj) -> str:
        parts = [
            f"{label}: ${amount:,.0f}"
            for label, amount in (("value", obj.value_usd), ("low", obj.value_usd_low), ("high", obj.value_usd_high))
            if amount is not None
        ]
        return "; ".join(parts) or "not stated"

    @admin.display(description="Value (USD)", ordering="value_usd")
    def value(self, obj) -> str:
        return f"{obj.value_usd:,.0f}" if obj.value_usd is not None else "not stated"


class SipriStatusFilter(admin.SimpleListFilter):
    """SIPRI status, listing only the statuses rows have (the report's rows have none)."""

    title = "SIPRI status"
    parameter_name = "sipri_status"

    def lookups(self, request, model_admin):
        values = Transfer.objects.exclude(sipri_status="").values_list("sipri_status", flat=True).distinct()
        return [(v, v) for v in sorted(values)]

    def queryset(self, request, queryset):
        return queryset.filter(sipri_status=self.value()) if self.value() else queryset


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
class TransferAdmin(ValueDisplay, ImportExportContentAdmin, CitedAdmin):
    resource_classes = [TransferResource]
    form = TransferAdminForm
    list_display = ["designation", "when", "supplier", "recipient", "ordered", "value", "status", "endnotes"]
    list_filter = [
        "period", "direction", "category", "status", TransferYearFilter, DocumentListFilter, SipriStatusFilter
    ]  # fmt: skip
    list_select_related = ["supplier", "recipient", "period"]
    search_fields = ["designation", "description", "notes", "slug", "supplier__name", "recipient__name"]
    autocomplete_fields = ["supplier", "recipient", "period"]
    # Chronological: by period, then date (a record dated only by its period opens it).
    ordering = ["period__start_year", "date_start", "slug"]
    readonly_fields = ["direction", "date_range", "value_as_read"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return readable_labels(self, db_field, super().formfield_for_dbfield(db_field, request, **kwargs))

    @admin.display(description="Date", ordering="date_start")
    def when(self, obj) -> str:
        if obj.date_edtf or not obj.period_id:
            return obj.date_display or "no date"
        return f"{obj.period.years}, no year"

    @admin.display(description="Number ordered", ordering="number_ordered")
    def ordered(self, obj) -> str:
        return obj.quantity(obj.number_ordered) or "not stated"

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
class ProjectAdmin(ValueDisplay, CitedAdmin):
    list_display = ["name", "date_text", "status", "period", "value", "endnotes"]
    readonly_fields = ["date_range", "value_as_read"]
    list_filter = ["period", "status", YearListFilter, DocumentListFilter]
    list_select_related = ["period"]
    search_fields = ["name", "description", "division_of_labour", "slug"]
    autocomplete_fields = ["partners", "period"]
    ordering = ["period__start_year", "date_start", "slug"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return readable_labels(self, db_field, super().formfield_for_dbfield(db_field, request, **kwargs))

    fieldsets = [
        (None, {"fields": ["name", "slug", "status", "period", "description", "partners", "division_of_labour"]}),
        DATE_FIELDS,
        VALUE_FIELDS,
        NOTES_FIELDS,
    ]
