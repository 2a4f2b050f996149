"""django-import-export resources for events and figures (CSV/XLSX, matched on slug)."""

from import_export import fields, widgets

from sources.resources import CitedResource, SlugForeignKeyWidget

from .models import Actor, Event, Figure, Period

CITED_TAIL = ["remarks", "uncited_reason", "citations"]


class EventResource(CitedResource):
    period = fields.Field(attribute="period", column_name="period", widget=SlugForeignKeyWidget(Period))
    actors = fields.Field(
        attribute="actors", column_name="actors", widget=widgets.ManyToManyWidget(Actor, separator=";", field="slug")
    )

    class Meta(CitedResource.Meta):
        model = Event
        import_id_fields = ["slug"]
        fields = ["slug", "title", "kind", "period", "date_text", "date_edtf", "description", "actors", *CITED_TAIL]

    def get_queryset(self):
        return super().get_queryset().select_related("period").prefetch_related("actors")


class FigureResource(CitedResource):
    period = fields.Field(attribute="period", column_name="period", widget=SlugForeignKeyWidget(Period))

    class Meta(CitedResource.Meta):
        model = Figure
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "statement",
            "value",
            "value_low",
            "value_high",
            "unit",
            "qualifier",
            "scope",
            "period",
            "date_text",
            "date_edtf",
            *CITED_TAIL,
        ]

    def get_queryset(self):
        return super().get_queryset().select_related("period")
