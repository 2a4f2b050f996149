"""API views for periods, actors, events, figures and policy options."""

from __future__ import annotations

from django.db.models import Prefetch

from sources.api import CitedRecordViewSet, ReadOnlyApiViewSet
from sources.querysets import citations_prefetch
from sources.renderers import CitationFormatsMixin

from .filters import (
    ActorFilterSet,
    AnalysisFilterSet,
    EventFilterSet,
    FigureFilterSet,
    PeriodFilterSet,
    PolicyOptionFilterSet,
)
from .models import Actor, Analysis, Event, Figure, Period, PolicyOption
from .serializers import (
    ActorSerializer,
    AnalysisSerializer,
    EventSerializer,
    FigureSerializer,
    PeriodSerializer,
    PolicyOptionSerializer,
)


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
