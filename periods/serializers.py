"""API representations of periods, actors, events, figures, policy options and the timeline."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from sources.serializers import (
    ApiUrlField,
    CitationInlineSerializer,
    CitedRecordSerializer,
    FuzzyDateSerializerMixin,
    HtmlUrlField,
    api_reverse,
)

from .models import Actor, Analysis, Event, Figure, Period, PolicyOption

CITED_FIELDS = ["remarks", "derivation", "uncited_reason", "citations"]
DATE_FIELDS = ["date", "date_edtf", "date_start", "date_end", "date_precision", "date_approximate"]


class PeriodSerializer(serializers.ModelSerializer):
    url = ApiUrlField(view_name="api:period-detail", lookup_field="slug")
    html_url = HtmlUrlField()
    end_year = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="null: the period is open (to the present)."
    )
    years = serializers.CharField(read_only=True, help_text='e.g. "2014-present".')

    class Meta:
        model = Period
        fields = ["url", "html_url", "slug", "name", "heading", "start_year", "end_year", "years", "summary", "order"]


class ActorSerializer(CitedRecordSerializer):
    url = ApiUrlField(view_name="api:actor-detail", lookup_field="slug")
    country = serializers.SlugRelatedField(
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
    period = serializers.SlugRelatedField(slug_field="slug", queryset=Period.objects.all())
    actors = serializers.SlugRelatedField(slug_field="slug", queryset=Actor.objects.all(), many=True, required=False)

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
    period = serializers.SlugRelatedField(
        slug_field="slug", queryset=Period.objects.all(), allow_null=True, required=False
    )

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
    made_by = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Actor.objects.all(),
        allow_null=True,
        required=False,
        help_text="Slug of the author the report quotes; null: the report itself.",
    )
    made_by_others = serializers.SlugRelatedField(
        slug_field="slug", queryset=Actor.objects.all(), many=True, required=False, help_text="Co-authors."
    )
    attribution = serializers.CharField(read_only=True, help_text='"the report", "Meick", "Bendett and Kania"...')
    period = serializers.SlugRelatedField(
        slug_field="slug", queryset=Period.objects.all(), allow_null=True, required=False
    )
    actors = serializers.SlugRelatedField(slug_field="slug", queryset=Actor.objects.all(), many=True, required=False)

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


#: type -> (API route, headline, text) for the timeline.
TIMELINE_TYPES = {
    "event": ("event", lambda r: r.title, lambda r: r.description),
    "transfer": (
        "transfer",
        lambda r: f"{r.designation}: {r.supplier.name} to {r.recipient.name}",
        lambda r: f"{r.description}. {r.notes}".strip() if r.notes else r.description,
    ),
    "project": ("project", lambda r: r.name, lambda r: r.description),
    "figure": ("figure", lambda r: r.statement, lambda r: r.scope),
    "analysis": ("analysis", lambda r: r.title, lambda r: r.claim),
}


class TimelineItemSerializer(serializers.Serializer):
    """One dated record of the timeline, whatever its kind (``type``)."""

    type = serializers.ChoiceField(
        choices=list(TIMELINE_TYPES), help_text="event, transfer, project, figure or analysis."
    )
    slug = serializers.SlugField()
    title = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    period = serializers.CharField(allow_null=True, help_text="Slug of the record's period.")
    date = serializers.CharField(allow_blank=True, help_text="The date as written.")
    date_edtf = serializers.CharField()
    date_start = serializers.DateField()
    date_end = serializers.DateField()
    date_precision = serializers.CharField()
    date_approximate = serializers.BooleanField()
    url = serializers.URLField(help_text="The record's API URL.")
    html_url = serializers.URLField(help_text="The record's page.")
    citations = CitationInlineSerializer(many=True)

    def to_representation(self, record) -> dict:
        request = self.context.get("request")
        kind = record.timeline_type
        route, headline, text = TIMELINE_TYPES[kind]
        return {
            "type": kind,
            "slug": record.slug,
            "title": headline(record),
            "description": text(record) or "",
            "period": record.period.slug if record.period_id else None,
            "date": record.date_text,
            "date_edtf": record.date_edtf,
            "date_start": record.date_start.isoformat(),
            "date_end": record.date_end.isoformat(),
            "date_precision": record.date_precision,
            "date_approximate": record.date_approximate,
            "url": api_reverse(f"api:{route}-detail", kwargs={"slug": record.slug}, request=request),
            "html_url": request.build_absolute_uri(record.get_absolute_url()) if request else record.get_absolute_url(),
            "citations": CitationInlineSerializer(record.ordered_citations, many=True, context=self.context).data,
        }


class TimelineJSDateSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    month = serializers.IntegerField(required=False, min_value=1, max_value=12)
    day = serializers.IntegerField(required=False, min_value=1, max_value=31)


class TimelineJSTextSerializer(serializers.Serializer):
    headline = serializers.CharField()
    text = serializers.CharField(required=False)


class TimelineJSEraSerializer(serializers.Serializer):
    start_date = TimelineJSDateSerializer()
    end_date = TimelineJSDateSerializer()
    text = TimelineJSTextSerializer()


class TimelineJSEventSerializer(serializers.Serializer):
    start_date = TimelineJSDateSerializer()
    end_date = TimelineJSDateSerializer(required=False)
    text = TimelineJSTextSerializer()
    unique_id = serializers.CharField()
    group = serializers.CharField()
    display_date = serializers.CharField(required=False)


class TimelineJSSlideSerializer(serializers.Serializer):
    text = TimelineJSTextSerializer()


@extend_schema_serializer(many=False)  # one document for the whole timeline, never paginated
class TimelineJSSerializer(serializers.Serializer):
    """The TimelineJS3 JSON format (schema documentation only)."""

    title = TimelineJSSlideSerializer()
    eras = TimelineJSEraSerializer(many=True)
    events = TimelineJSEventSerializer(many=True)
