"""Query-string filters for the API list of weapon systems."""

from __future__ import annotations

from ground.stable_ordering import StableOrderingFilter
from sources.filters import SearchFilterSet

from .models import System


class SystemFilterSet(SearchFilterSet):
    """``q``: the systems the search index finds, by any of their names (S400, Growler, С-400)."""

    search_kind = "system"
    ordering = StableOrderingFilter(fields=("name", "slug", "category"))

    class Meta:
        model = System
        fields = ["kind", "category", "q"]
