"""API representations of the merged timeline: one item per record, and TimelineJS3."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from sources.serializers import CitationInlineSerializer, api_reverse

from .record_types import RECORD_TYPES


class TimelineItemSerializer(serializers.Serializer):
    """One dated record of the timeline, whatever its kind (``type``)."""

    type = serializers.ChoiceField(choices=list(RECORD_TYPES), help_text="event, transfer, project or figure.")
    slug = serializers.SlugField()
    title = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    period = serializers.CharField(allow_null=True, help_text="Slug of the record's period.")
    date = serializers.CharField(allow_blank=True, help_text="The date as written.")
    date_edtf = serializers.CharField()
    date_start = serializers.DateField(allow_null=True, help_text="null: the report gives no date (?undated=1).")
    date_end = serializers.DateField(allow_null=True)
    date_precision = serializers.CharField()
    date_approximate = serializers.BooleanField()
    url = serializers.URLField(help_text="The record's API URL.")
    html_url = serializers.URLField(help_text="The record's page.")
    citations = CitationInlineSerializer(many=True)

    def to_representation(self, record) -> dict:
        request = self.context.get("request")
        kind = record.timeline_type
        record_type = RECORD_TYPES[kind]
        return {
            "type": kind,
            "slug": record.slug,
            "title": record_type.title(record),
            "description": record_type.summary(record) or "",
            "period": record.period.slug if record.period_id else None,
            "date": record.date_text,
            "date_edtf": record.date_edtf,
            "date_start": record.date_start.isoformat() if record.date_start else None,
            "date_end": record.date_end.isoformat() if record.date_end else None,
            "date_precision": record.date_precision,
            "date_approximate": record.date_approximate,
            "url": api_reverse(f"api:{record_type.api_route}-detail", kwargs={"slug": record.slug}, request=request),
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
