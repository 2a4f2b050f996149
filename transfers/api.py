"""API views for arms transfers and joint projects."""

from __future__ import annotations

from django.db.models import Prefetch
from rest_framework.response import Response

from periods.models import Actor
from sources.api import CitedRecordViewSet
from sources.querysets import citations_prefetch
from sources.renderers import CitationFormatsMixin

from .filters import ProjectFilterSet, TransferFilterSet
from .models import Project, Transfer
from .renderers import RegisterSelection, SipriRegisterRenderer
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

    def get_renderers(self):
        return [*super().get_renderers(), SipriRegisterRenderer()]

    def _wants_register(self) -> bool:
        return getattr(self.request.accepted_renderer, "format", None) == SipriRegisterRenderer.format

    def list(self, request, *args, **kwargs):
        """``?format=sipri`` is the whole filtered selection (or the page asked for), as a register."""
        if not self._wants_register():
            return super().list(request, *args, **kwargs)
        queryset = self.filter_queryset(self.get_queryset())
        if "page" in request.query_params or "page_size" in request.query_params:
            queryset = self.paginate_queryset(queryset)
        query = "&".join(f"{k}={v}" for k, v in request.query_params.items() if k != "format")
        return Response(RegisterSelection(queryset, selection=query))

    def retrieve(self, request, *args, **kwargs):
        if not self._wants_register():
            return super().retrieve(request, *args, **kwargs)
        return Response(RegisterSelection([self.get_object()], selection=f"transfer {kwargs.get('slug', '')}"))


class ProjectViewSet(CitationFormatsMixin, CitedRecordViewSet):
    """Joint research-and-development and co-production projects."""

    queryset = Project.objects.select_related("period").prefetch_related(
        Prefetch("partners", queryset=Actor.objects.only("id", "slug")), citations_prefetch()
    )
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilterSet
    m2m_fields = ("partners",)
