"""Chainable querysets of weapon systems: ``System.objects.with_names()``."""

from __future__ import annotations

from django.db import models


class SystemQuerySet(models.QuerySet):
    def with_names(self) -> SystemQuerySet:
        """Each system's names in their curated order, in one query for the whole list."""
        return self.prefetch_related(
            models.Prefetch(
                "names", queryset=self.model._meta.get_field("names").related_model.objects.order_by("position", "pk")
            )
        )

    def chronological(self) -> SystemQuerySet:
        return self.order_by("name", "slug")
