"""``{% cite_selection_menu query %}``: the Cite menu for the endnotes of a timeline selection."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from sources import citing
from sources.templatetags.citing import download_links, menu_context
from timeline.citing_selection import selected_endnotes, selection_filename, selection_title
from timeline.filters import TimelineQuery

register = template.Library()


@register.inclusion_tag("sources/_cite_menu.html")
def cite_selection_menu(query: TimelineQuery):
    """The endnotes cited by the records ``query`` selects, with links carrying its parameters."""
    cset = citing.for_endnotes(
        selected_endnotes(query), title=selection_title(query), filename=selection_filename(query)
    )
    params = urlencode(query.params())
    suffix = f"?{params}" if params else ""
    downloads = download_links(lambda ext: reverse("timeline:cite-selection", kwargs={"ext": ext}) + suffix)
    return menu_context(cset, downloads, "Cite the endnotes of these records", "cite-selection")
