"""``/api/systems/``: weapon systems with every name they go by."""

from __future__ import annotations

from rest_framework import viewsets

from ground.api_views import ApiViewMixin

from .filters import SystemFilterSet
from .models import System
from .serializers import SystemSerializer


class SystemViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """Weapon systems, platforms and engines; ``records`` links each one's timeline."""

    queryset = System.objects.with_names()
    serializer_class = SystemSerializer
    filterset_class = SystemFilterSet
    lookup_field = "slug"
