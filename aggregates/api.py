"""``/api/statistics/``: the stored aggregate statistics, with their freshness."""

from __future__ import annotations

import csv
import io

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer, BrowsableAPIRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ground.api_views import StrictQueryParamsMixin
from ground.json_renderer import JSONRenderer

from . import statistics
from .tidy import COLUMNS, tidy_rows


class StatisticsSerializer(serializers.Serializer):
    computed_at = serializers.DateTimeField(
        allow_null=True, help_text="When the statistics were computed; null: never."
    )
    stale = serializers.BooleanField(
        help_text="True when the data changed since (or no statistics exist yet, or a rebuild could not be queued)."
    )
    stale_reason = serializers.CharField(allow_blank=True, help_text="Why a rebuild could not be queued, if so.")
    data_version = serializers.IntegerField(
        allow_null=True, help_text="Data version the statistics were computed from."
    )
    live_data_version = serializers.IntegerField(help_text="Data version now; differs from data_version when stale.")
    fingerprint = serializers.JSONField(help_text="Data version and row count per content table at computation.")
    last_success_at = serializers.DateTimeField(allow_null=True)
    last_error = serializers.CharField(allow_blank=True, help_text="The last rebuild failure, if any.")
    last_error_at = serializers.DateTimeField(allow_null=True)
    failing = serializers.BooleanField(help_text="The last rebuild attempt failed.")
    statistics = serializers.JSONField(
        help_text=(
            "transfers/projects/events, each {all, period: {slug}, year: {year|undated}} of "
            "{total, <dimension>: {key}} metrics; citations: coverage. Layout: aggregates/statistics.py."
        )
    )


class TidyStatisticsCSVRenderer(BaseRenderer):
    """``?format=csv``: the statistics as tidy rows (scope, measure, key, value); see ``aggregates.tidy``.

    When they were computed and whether they are stale travel in headers
    (``X-Statistics-Computed-At``, ``X-Statistics-Stale``), so every row is data.
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        response = (renderer_context or {}).get("response")
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        writer.writerows(("" if v is None else v for v in row) for row in tidy_rows(data.get("statistics") or {}))
        if response is not None:
            response["Content-Disposition"] = 'attachment; filename="statistics.csv"'
            response["X-Statistics-Computed-At"] = data.get("computed_at") or ""
            response["X-Statistics-Stale"] = "true" if data.get("stale") else "false"
        return out.getvalue().encode(self.charset)


class StatisticsView(StrictQueryParamsMixin, APIView):
    """Aggregate statistics rebuilt from the records by a background job.

    Read-only and public. ``stale`` says whether the records changed since
    ``computed_at``; the figures then lag until the next rebuild. ``?format=csv`` gives
    them as tidy rows (scope, measure, key, value).
    """

    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, TidyStatisticsCSVRenderer]

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code >= 400 and getattr(response, "accepted_renderer", None) is not None:
            response.accepted_renderer = JSONRenderer()  # errors are JSON whatever the format asked for
            response.accepted_media_type = JSONRenderer.media_type
        return response

    @extend_schema(
        responses={(200, "application/json"): StatisticsSerializer, (200, "text/csv"): str},
        summary="Aggregate statistics with computed_at and a stale flag",
        parameters=[
            OpenApiParameter(
                "format", str, enum=["json", "csv"], description="json (default), or csv: scope, measure, key, value"
            )
        ],
    )
    def get(self, request: Request) -> Response:
        return Response(StatisticsSerializer(statistics.current_statistics().as_dict()).data)
