"""API representations of arms transfers and joint projects.

Money is whole US dollars as JSON integers (``value_usd``, ``value_usd_low``,
``value_usd_high``), exactly as printed in the report; ``value_approximate`` says the
report hedged it.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from ground.serializer_fields import StrictCharField, StrictChoiceField, StrictIntegerField, StrictSlugRelatedField
from periods.models import Actor, Period
from sources.serializers import ApiUrlField, CitedRecordSerializer, FuzzyDateSerializerMixin

from .models import Project, Transfer
from .sipri import SIPRI_STATUSES

MAX_USD = 10**16 - 1
DATE_FIELDS = ["date", "date_edtf", "date_start", "date_end", "date_precision", "date_approximate"]
CITED_FIELDS = ["remarks", "derivation", "uncited_reason", "citations"]
VALUE_FIELDS = ["value_usd", "value_usd_low", "value_usd_high", "value_approximate"]
#: What a SIPRI trade register adds (``import_sipri`` fills them; ``?format=sipri`` writes them).
SIPRI_FIELDS = [
    "year_ordered_uncertain",
    "number_ordered_uncertain",
    "number_delivered_uncertain",
    "sipri_status",
    "tiv_per_unit",
    "tiv_total_order",
    "tiv_delivered",
]


def usd_field(help_text: str) -> StrictIntegerField:
    return StrictIntegerField(min_value=0, max_value=MAX_USD, allow_null=True, required=False, help_text=help_text)


class ValueSerializerMixin(serializers.Serializer):
    value_usd = usd_field("Value in whole US dollars as printed; null when the report gives none or a range.")
    value_usd_low = usd_field("Low end of a value range, whole US dollars.")
    value_usd_high = usd_field("High end of a value range, whole US dollars.")


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A deal with its citation",
            request_only=True,
            value={
                "slug": "example-su-35-2015",
                "designation": "Su-35",
                "description": "multirole fighter aircraft",
                "category": "aircraft",
                "supplier": "russia",
                "recipient": "china",
                "period": "2014-present",
                "year_ordered": 2015,
                "delivery_years": "2016; 2017; 2018",
                "number_ordered": 24,
                "number_delivered": 24,
                "value_usd": 2500000000,
                "value_approximate": True,
                "status": "delivered",
                "date": "November 2015",
                "date_edtf": "2015-11",
                "citations": [{"document": "csis-mtc-primer-2020", "number": 31, "pinpoint": ""}],
            },
        )
    ]
)
class TransferSerializer(ValueSerializerMixin, FuzzyDateSerializerMixin, CitedRecordSerializer):
    url = ApiUrlField(view_name="api:transfer-detail", lookup_field="slug")
    supplier = StrictSlugRelatedField(slug_field="slug", queryset=Actor.objects.all())
    recipient = StrictSlugRelatedField(slug_field="slug", queryset=Actor.objects.all())
    period = StrictSlugRelatedField(slug_field="slug", queryset=Period.objects.all())
    direction = StrictCharField(read_only=True, help_text="ru-cn, cn-ru or other; derived from supplier and recipient.")
    delivery_years = StrictCharField(
        max_length=200, allow_blank=True, required=False, help_text="SIPRI style: '2018; 2019'. Empty: not given."
    )
    sipri_status = StrictChoiceField(
        choices=SIPRI_STATUSES, allow_blank=True, required=False, help_text="SIPRI's status column; empty: not given."
    )

    class Meta:
        model = Transfer
        fields = [
            "url",
            "html_url",
            "slug",
            "designation",
            "description",
            "category",
            "supplier",
            "recipient",
            "direction",
            "year_ordered",
            "delivery_years",
            "number_ordered",
            "number_delivered",
            "quantity_unit",
            *VALUE_FIELDS,
            "status",
            "period",
            *DATE_FIELDS,
            "notes",
            *SIPRI_FIELDS,
            *CITED_FIELDS,
        ]
        extra_kwargs = {
            name: {"min_value": 0, "help_text": help_text}
            for name, help_text in {
                "tiv_per_unit": "SIPRI trend-indicator value per unit, in millions (a decimal string).",
                "tiv_total_order": "SIPRI TIV of the whole order, in millions.",
                "tiv_delivered": "SIPRI TIV of the weapons delivered, in millions.",
            }.items()
        }


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A joint project",
            request_only=True,
            value={
                "slug": "example-joint-project",
                "name": "Joint heavy-lift helicopter",
                "period": "2014-present",
                "partners": ["russia", "china"],
                "status": "agreed",
                "date": "2015",
                "date_edtf": "2015",
                "citations": [{"document": "csis-mtc-primer-2020", "number": 44}],
            },
        )
    ]
)
class ProjectSerializer(ValueSerializerMixin, FuzzyDateSerializerMixin, CitedRecordSerializer):
    url = ApiUrlField(view_name="api:project-detail", lookup_field="slug")
    partners = StrictSlugRelatedField(slug_field="slug", queryset=Actor.objects.all(), many=True, required=False)
    period = StrictSlugRelatedField(slug_field="slug", queryset=Period.objects.all())

    class Meta:
        model = Project
        fields = [
            "url",
            "html_url",
            "slug",
            "name",
            "description",
            "partners",
            "division_of_labour",
            "period",
            *DATE_FIELDS,
            *VALUE_FIELDS,
            "status",
            *CITED_FIELDS,
        ]
