"""``{% cite_selection_menu query %}``: the Cite menu for the endnotes of a timeline selection."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from ground.fragment_cache import per_data_version
from sources import citing
from sources.templatetags.citing import download_links, menu_context
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
    if limit is not None and (count := per_data_version("selection-endnotes", notes.count, key=query.params())) > limit:
        heading = f"Cite the {count} endnotes of these records"
        return {"heading": heading, "blocks": [], "downloads": downloads, "prefix": "cite-selection"}
    cset = citing.for_endnotes(notes, title=selection_title(query), filename=selection_filename(query))
    return menu_context(cset, downloads, "Cite the endnotes of these records", "cite-selection")
