"""Query-string filters for the API list of weapon systems."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from .models import System


class SystemFilterSet(django_filters.FilterSet):
    """``q``: systems one of whose names contains the words, whatever the hyphens and case
    (the list is a few dozen rows; the records themselves are searched through the index)."""

    q = django_filters.CharFilter(method="filter_q", label="A name or part of one (S400, Growler, С-400).")
    ordering = django_filters.OrderingFilter(fields=("name", "slug", "category"))

    class Meta:
        model = System
        fields = ["kind", "category", "q"]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        for word in value.split():
            queryset = queryset.filter(Q(name__icontains=word) | Q(names__name__icontains=word))
        return queryset.distinct()
