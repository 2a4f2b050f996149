"""Chainable querysets of arms transfers and joint projects (see ``periods.querysets``)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from periods.querysets import DatedQuerySet


class TransferQuerySet(DatedQuerySet):
    search_kind = "transfer"

    def with_joins(self) -> TransferQuerySet:
        return self.select_related("period", "supplier", "recipient")

    def involving(self, actor) -> TransferQuerySet:
        """Supplier or recipient is ``actor`` or belongs to that state (a join, no DISTINCT needed)."""
        return self.filter(
            Q(supplier=actor) | Q(recipient=actor) | Q(supplier__country=actor) | Q(recipient__country=actor)
        )

    def of_category(self, category: str) -> TransferQuerySet:
        return self.filter(category=category) if category else self

    def in_direction(self, direction: str) -> TransferQuerySet:
        return self.filter(direction=direction) if direction else self


class ProjectQuerySet(DatedQuerySet):
    search_kind = "project"

    def with_joins(self) -> ProjectQuerySet:
        partners = self.model._meta.get_field("partners").related_model.objects.select_related("country")
        return self.select_related("period").prefetch_related(models.Prefetch("partners", queryset=partners))

    def involving(self, actor) -> ProjectQuerySet:
        return self.filter(Q(partners=actor) | Q(partners__country=actor)).distinct()
