"""Reads for documents, endnotes and sources."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Endnote, Source


def endnote_list() -> QuerySet[Endnote]:
    return Endnote.objects.select_related("document", "ibid_of").prefetch_related("works__source")


def source_list() -> QuerySet[Source]:
    return Source.objects.prefetch_related("endnote_works__endnote__document")
