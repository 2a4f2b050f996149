"""API views for arms transfers and joint projects."""

from __future__ import annotations

from django.db.models import Prefetch

from periods.models import Actor
from sources.api import CitedRecordViewSet
from sources.querysets import citations_prefetch
from sources.renderers import CitationFormatsMixin

from .filters import ProjectFilterSet, TransferFilterSet
from .models import Project, Transfer
from .serializers import ProjectSerializer, TransferSerializer

#: CSV columns first, in the order of the SIPRI trade register; other fields follow.
SIPRI_COLUMNS = (
    "recipient",
    "supplier",
    "year_ordered",
    "number_ordered",
    "designation",
    "description",
    "number_delivered",
    "delivery_years",
    "status",
    "notes",
)


class TransferViewSet(CitationFormatsMixin, CitedRecordViewSet):
    """Arms transfers, one row per deal, both directions (SIPRI-like)."""

    queryset = Transfer.objects.select_related("supplier", "recipient", "period").prefetch_related(citations_prefetch())
    serializer_class = TransferSerializer
    filterset_class = TransferFilterSet
    csv_columns = SIPRI_COLUMNS


class ProjectViewSet(CitationFormatsMixin, CitedRecordViewSet):
    """Joint research-and-development and co-production projects."""

    queryset = Project.objects.select_related("period").prefetch_related(
        Prefetch("partners", queryset=Actor.objects.only("id", "slug")), citations_prefetch()
    )
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilterSet
    m2m_fields = ("partners",)
