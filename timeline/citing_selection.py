"""Reads for citing a selection: the endnotes the records of a timeline query cite.

The selection is the timeline's own: the same ``TimelineQuery`` the home page and
``/api/timeline/`` answer, so "cite these records" cites exactly the records listed.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.text import slugify

from sources.cite_menu import download_links
from sources.models import Citation, Endnote
from sources.selectors import citable_endnotes

from .filters import TimelineQuery
from .record_types import RECORD_TYPES
from .selectors import timeline_querysets


def selected_endnotes(query: TimelineQuery) -> QuerySet[Endnote]:
    """The endnotes the selected records cite, with what citing them needs prefetched.

    One citation semi-join per record type, combined with ``UNION ALL`` under one
    ``IN``: PostgreSQL joins each type's citations to its selected rows (hashing, spilling
    to disk if it must). An ``OR`` of the types' conditions had to be checked row by row
    against a subquery instead, which at a million records ran for minutes.
    """
    parts = [
        Citation.objects.filter(
            content_type=ContentType.objects.get_for_model(RECORD_TYPES[kind].model),
            object_id__in=qs.order_by().values("pk"),
        )
        .order_by()
        .values("endnote_id")
        for kind, qs in timeline_querysets(query, joins=False).items()
    ]
    if not parts:
        return citable_endnotes().none()
    cited = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return citable_endnotes().filter(pk__in=cited)


def selection_title(query: TimelineQuery) -> str:
    summary = query.describe()
    return f"Endnotes cited by records: {summary}" if summary else "Endnotes cited by all records"


def selection_filename(query: TimelineQuery) -> str:
    """A download file name: ``endnotes-arms-transfers-2014-present``."""
    summary = query.describe()
    return ("endnotes-" + slugify(summary)[:80]) if summary else "endnotes-all-records"


def selection_suffix(query: TimelineQuery) -> str:
    """The query string that selects the same records on every citing URL (``?type=...``)."""
    params = urlencode(query.params())
    return f"?{params}" if params else ""


def selection_downloads(query: TimelineQuery) -> list[dict[str, str]]:
    """The selection's endnotes as files, one link per format."""
    suffix = selection_suffix(query)
    return download_links(lambda ext: reverse("timeline:cite-selection", kwargs={"ext": ext}) + suffix)
