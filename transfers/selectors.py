"""Reads for transfers and projects, with the joins their pages need."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Project, Transfer


def transfer_list() -> QuerySet[Transfer]:
    return Transfer.objects.select_related("supplier", "recipient", "period").with_citations()


def project_list() -> QuerySet[Project]:
    return Project.objects.select_related("period").prefetch_related("partners").with_citations()
