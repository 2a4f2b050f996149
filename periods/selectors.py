"""Reads for the timeline: querysets with the joins their pages need."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Actor, Event, Figure, Period, PolicyOption


def period_list() -> QuerySet[Period]:
    return Period.objects.all()


def event_list() -> QuerySet[Event]:
    return Event.objects.select_related("period").prefetch_related("actors").with_citations()


def figure_list() -> QuerySet[Figure]:
    return Figure.objects.select_related("period").with_citations()


def actor_list() -> QuerySet[Actor]:
    return Actor.objects.select_related("country").prefetch_related("citations__endnote__document")


def policy_option_list() -> QuerySet[PolicyOption]:
    return PolicyOption.objects.prefetch_related("citations__endnote__document")
