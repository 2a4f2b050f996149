"""API views for periods, actors, events, figures, policy options and the timeline."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, viewsets
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response

from mtc.renderers import CSVRenderer, TimelineJSRenderer
from mtc.viewsets import ApiViewMixin
from sources.api import CitedRecordViewSet, ReadOnlyApiViewSet
from sources.renderers import CitationFormatsMixin
from sources.selectors import citations_prefetch

from .filters import (
    ActorFilterSet,
    AnalysisFilterSet,
    EventFilterSet,
    FigureFilterSet,
    PeriodFilterSet,
    PolicyOptionFilterSet,
    TimelineFilterSet,
)
from .models import Actor, Analysis, Event, Figure, Period, PolicyOption
from .serializers import (
    ActorSerializer,
    AnalysisSerializer,
    EventSerializer,
    FigureSerializer,
    PeriodSerializer,
    PolicyOptionSerializer,
    TimelineItemSerializer,
    TimelineJSSerializer,
)
from .timeline import MergedTimeline, timeline_querysets


class PeriodViewSet(ReadOnlyApiViewSet):
    """The report's three eras; an open period has ``end_year`` null."""

    queryset = Period.objects.all()
    serializer_class = PeriodSerializer
    filterset_class = PeriodFilterSet


class ActorViewSet(CitedRecordViewSet):
    """States, organisations and people the records name."""

    queryset = Actor.objects.select_related("country").prefetch_related(citations_prefetch())
    serializer_class = ActorSerializer
    filterset_class = ActorFilterSet


class EventViewSet(CitationFormatsMixin, CitedRecordViewSet):
    """Agreements, meetings, statements, sanctions... with their fuzzy dates."""

    queryset = Event.objects.select_related("period").prefetch_related(
        Prefetch("actors", queryset=Actor.objects.only("id", "slug")), citations_prefetch()
    )
    serializer_class = EventSerializer
    filterset_class = EventFilterSet
    m2m_fields = ("actors",)


class FigureViewSet(CitationFormatsMixin, CitedRecordViewSet):
    """The report's own quantitative claims (not statistics computed from the records)."""

    queryset = Figure.objects.select_related("period").prefetch_related(citations_prefetch())
    serializer_class = FigureSerializer
    filterset_class = FigureFilterSet


class AnalysisViewSet(CitationFormatsMixin, ReadOnlyApiViewSet):
    """The report's analysis: assessments, explanations, aims, definitions, examples and
    the judgements it quotes, in its words, attributed and cited (read-only: curated)."""

    queryset = Analysis.objects.select_related("period", "made_by").prefetch_related(
        Prefetch("made_by_others", queryset=Actor.objects.only("id", "slug", "name")),
        Prefetch("actors", queryset=Actor.objects.only("id", "slug")),
        citations_prefetch(),
    )
    serializer_class = AnalysisSerializer
    filterset_class = AnalysisFilterSet


class PolicyOptionViewSet(ReadOnlyApiViewSet):
    """The report's U.S. policy options (read-only)."""

    queryset = PolicyOption.objects.prefetch_related(citations_prefetch())
    serializer_class = PolicyOptionSerializer
    filterset_class = PolicyOptionFilterSet


class TimelineViewSet(ApiViewMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Every dated record in one chronological feed; undated records are left out.

    ``?format=timelinejs`` returns the whole filtered timeline (not one page) as a
    TimelineJS3 document: periods as eras, records as events.
    """

    queryset = Event.objects.none()  # for schema introspection of the filters only
    serializer_class = TimelineItemSerializer
    filterset_class = TimelineFilterSet
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, CSVRenderer, TimelineJSRenderer]

    @extend_schema(
        responses={
            (200, "application/json"): TimelineItemSerializer(many=True),
            (200, "text/csv"): TimelineItemSerializer(many=True),
            (200, "text/html"): TimelineItemSerializer(many=True),
            (200, TimelineJSRenderer.media_type): OpenApiResponse(
                TimelineJSSerializer, description="TimelineJS3 JSON: the whole filtered timeline, not one page."
            ),
        }
    )
    def list(self, request, *args, **kwargs):
        filterset = TimelineFilterSet(request.query_params, queryset=Event.objects.none(), request=request)
        if not filterset.is_valid():
            raise exceptions.ValidationError(filterset.errors)
        data = filterset.form.cleaned_data
        records = MergedTimeline(
            timeline_querysets(
                types=data.get("type") or None,
                period=data.get("period"),
                year_gte=data.get("year__gte"),
                year_lte=data.get("year__lte"),
                endnote=data.get("endnote"),
                actor=data.get("actor"),
                q=data.get("q") or "",
            ),
            descending=data.get("ordering") == "-date",
        )
        if request.accepted_renderer.format == TimelineJSRenderer.format:
            periods = [data["period"]] if data.get("period") else Period.objects.all()
            return Response(
                {
                    "periods": PeriodSerializer(periods, many=True, context=self.get_serializer_context()).data,
                    "results": self.get_serializer(records[0:None], many=True).data,
                }
            )
        page = self.paginate_queryset(records)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
