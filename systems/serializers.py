"""API representations of weapon systems and their names."""

from __future__ import annotations

from urllib.parse import urlencode

from rest_framework import serializers

from sources.serializers import ApiUrlField, HtmlUrlField

from .models import System, SystemName


class SystemNameSerializer(serializers.ModelSerializer):
    origin = serializers.CharField(help_text="Where a name the report does not print comes from; empty otherwise.")

    class Meta:
        model = SystemName
        fields = ["name", "kind", "language", "from_report", "origin"]


class SystemSerializer(serializers.ModelSerializer):
    url = ApiUrlField(view_name="api:system-detail", lookup_field="slug")
    html_url = HtmlUrlField()
    names = SystemNameSerializer(many=True, read_only=True)
    records = serializers.SerializerMethodField(help_text="The system's records: the timeline filtered by it.")

    class Meta:
        model = System
        fields = ["url", "html_url", "slug", "name", "kind", "category", "origin", "description", "names", "records"]

    def get_records(self, obj: System) -> str:
        request = self.context.get("request")
        path = "/api/timeline/?" + urlencode({"system": obj.slug, "undated": "1"})
        return request.build_absolute_uri(path) if request else path
