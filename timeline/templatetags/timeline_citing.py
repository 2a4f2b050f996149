"""``{% cite_selection_menu query %}``: the Cite menu for the endnotes of a timeline selection."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from ground.fragment_cache import per_data_version
from sources import citing
from sources.cite_menu import download_links, menu_context
from timeline.citing_selection import selected_endnotes, selection_filename, selection_title
from timeline.filters import TimelineQuery

register = template.Library()


@register.inclusion_tag("sources/_cite_menu.html")
def cite_selection_menu(query: TimelineQuery, limit: int | None = None):
    """The endnotes cited by the records ``query`` selects, with links carrying its parameters.

    With ``limit``, a selection citing more endnotes than that offers the downloads only:
    formatting hundreds of notes inline (a system's records at scale) would cost seconds
    on every view of the page, while a download formats them once, when asked.
    """
    params = urlencode(query.params())
    suffix = f"?{params}" if params else ""
    downloads = download_links(lambda ext: reverse("timeline:cite-selection", kwargs={"ext": ext}) + suffix)
    notes = selected_endnotes(query)
    # Whether there are more than ``limit``, not how many: counting every endnote of a
    # broad selection took 150 ms at 100k records; this stops at the first limit + 1.
    if (
        limit is not None
        and per_data_version(
            "selection-over", lambda: notes.order_by()[: limit + 1].count(), key=(query.params(), limit)
        )
        > limit
    ):
        heading = f"Cite the endnotes of these records (more than {limit}: download them)"
        return {"heading": heading, "blocks": [], "downloads": downloads, "prefix": "cite-selection"}
    cset = citing.for_endnotes(notes, title=selection_title(query), filename=selection_filename(query))
    return menu_context(cset, downloads, "Cite the endnotes of these records", "cite-selection")
