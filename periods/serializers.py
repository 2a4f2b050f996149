"""API representations of periods, actors, events, figures, policy options and the timeline."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from ground.serializer_fields import StrictCharField, StrictModelSerializer, StrictSlugRelatedField
from sources.serializers import (
    ApiUrlField,
    CitedRecordSerializer,
    FuzzyDateSerializerMixin,
    HtmlUrlField,
)

from .models import Actor, Analysis, Event, Figure, Period, PolicyOption

CITED_FIELDS = ["remarks", "derivation", "uncited_reason", "citations"]
DATE_FIELDS = ["date", "date_edtf", "date_start", "date_end", "date_precision", "date_approximate"]


class PeriodSerializer(StrictModelSerializer):
    url = ApiUrlField(view_name="api:period-detail", lookup_field="slug")
    html_url = HtmlUrlField()
    end_year = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="null: the period is open (to the present)."
    )
    years = StrictCharField(read_only=True, help_text='e.g. "2014-present".')

    class Meta:
        model = Period
        fields = ["url", "html_url", "slug", "name", "heading", "start_year", "end_year", "years", "summary", "order"]


class ActorSerializer(CitedRecordSerializer):
    url = ApiUrlField(view_name="api:actor-detail", lookup_field="slug")
    country = StrictSlugRelatedField(
        slug_field="slug",
        queryset=Actor.objects.all(),
        allow_null=True,
        required=False,
        help_text="Slug of the state an organisation or person belongs to.",
    )

    class Meta:
        model = Actor
        fields = ["url", "html_url", "slug", "name", "kind", "country", "description", *CITED_FIELDS]

    def validate_country(self, country: Actor | None) -> Actor | None:
        if country is not None and country.kind != Actor.Kind.STATE:
            raise serializers.ValidationError("country must be a state actor.")
        return country


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "An agreement",
            request_only=True,
            value={
                "slug": "example-agreement-2019",
                "title": "An example agreement",
                "kind": "agreement",
                "period": "2014-present",
                "date": "around 2019",
                "date_edtf": "2019~",
                "actors": ["russia", "china"],
                "citations": [{"url": "/api/endnotes/csis-mtc-primer-2020/3/"}],
            },
        )
    ]
)
class EventSerializer(FuzzyDateSerializerMixin, CitedRecordSerializer):
    url = ApiUrlField(view_name="api:event-detail", lookup_field="slug")
    period = StrictSlugRelatedField(slug_field="slug", queryset=Period.objects.all())
    actors = StrictSlugRelatedField(slug_field="slug", queryset=Actor.objects.all(), many=True, required=False)

    class Meta:
        model = Event
        fields = [
            "url",
            "html_url",
            "slug",
            "title",
            "kind",
            "description",
            "period",
            *DATE_FIELDS,
            "actors",
            *CITED_FIELDS,
        ]


class FigureSerializer(FuzzyDateSerializerMixin, CitedRecordSerializer):
    """Figures keep the report's numbers exactly: values are decimal strings ("70.0000")."""

    url = ApiUrlField(view_name="api:figure-detail", lookup_field="slug")
    period = StrictSlugRelatedField(slug_field="slug", queryset=Period.objects.all(), allow_null=True, required=False)

    class Meta:
        model = Figure
        fields = [
            "url",
            "html_url",
            "slug",
            "statement",
            "value",
            "value_low",
            "value_high",
            "unit",
            "qualifier",
            "scope",
            "period",
            *DATE_FIELDS,
            *CITED_FIELDS,
        ]


class AnalysisSerializer(FuzzyDateSerializerMixin, CitedRecordSerializer):
    """A claim of the report's analysis; ``made_by`` null is the report's own claim."""

    url = ApiUrlField(view_name="api:analysis-detail", lookup_field="slug")
    made_by = StrictSlugRelatedField(
        slug_field="slug",
        queryset=Actor.objects.all(),
        allow_null=True,
        required=False,
        help_text="Slug of the author the report quotes; null: the report itself.",
    )
    made_by_others = StrictSlugRelatedField(
        slug_field="slug", queryset=Actor.objects.all(), many=True, required=False, help_text="Co-authors."
    )
    attribution = serializers.CharField(read_only=True, help_text='"the report", "Meick", "Bendett and Kania"...')
    period = StrictSlugRelatedField(slug_field="slug", queryset=Period.objects.all(), allow_null=True, required=False)
    actors = StrictSlugRelatedField(slug_field="slug", queryset=Actor.objects.all(), many=True, required=False)

    class Meta:
        model = Analysis
        fields = [
            "url",
            "html_url",
            "slug",
            "title",
            "kind",
            "claim",
            "made_by",
            "made_by_others",
            "attribution",
            "period",
            *DATE_FIELDS,
            "actors",
            *CITED_FIELDS,
        ]


class PolicyOptionSerializer(CitedRecordSerializer):
    url = ApiUrlField(view_name="api:policyoption-detail", lookup_field="slug")

    class Meta:
        model = PolicyOption
        fields = ["url", "html_url", "slug", "title", "summary", "order", *CITED_FIELDS]
