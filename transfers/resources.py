"""django-import-export resource for arms transfers (CSV/XLSX, matched on slug)."""

from import_export import fields

from periods.models import Actor, Period
from sources.resources import CitedResource, SlugForeignKeyWidget

from .models import Transfer


class TransferResource(CitedResource):
    supplier = fields.Field(attribute="supplier", column_name="supplier", widget=SlugForeignKeyWidget(Actor))
    recipient = fields.Field(attribute="recipient", column_name="recipient", widget=SlugForeignKeyWidget(Actor))
    period = fields.Field(attribute="period", column_name="period", widget=SlugForeignKeyWidget(Period))
    # Derived from supplier and recipient on save: exported, never imported.
    direction = fields.Field(attribute="direction", column_name="direction", readonly=True)

    class Meta(CitedResource.Meta):
        model = Transfer
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "designation",
            "description",
            "category",
            "supplier",
            "recipient",
            "direction",
            "period",
            "date_text",
            "date_edtf",
            "year_ordered",
            "delivery_years",
            "number_ordered",
            "number_delivered",
            "quantity_unit",
            "value_usd",
            "value_usd_low",
            "value_usd_high",
            "value_approximate",
            "status",
            "notes",
            "year_ordered_uncertain",
            "number_ordered_uncertain",
            "number_delivered_uncertain",
            "sipri_status",
            "tiv_per_unit",
            "tiv_total_order",
            "tiv_delivered",
            "remarks",
            "uncited_reason",
            "citations",
        ]

    def get_queryset(self):
        return super().get_queryset().select_related("supplier", "recipient", "period")
