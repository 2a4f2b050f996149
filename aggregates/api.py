"""``/api/statistics/``: the stored aggregate statistics, with their freshness."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from . import statistics


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


class StatisticsView(APIView):
    """Aggregate statistics rebuilt from the records by a background job.

    Read-only and public. ``stale`` says whether the records changed since
    ``computed_at``; the figures then lag until the next rebuild.
    """

    permission_classes = [AllowAny]

    @extend_schema(responses=StatisticsSerializer, summary="Aggregate statistics with computed_at and a stale flag")
    def get(self, request: Request) -> Response:
        return Response(StatisticsSerializer(statistics.current_statistics().as_dict()).data)
