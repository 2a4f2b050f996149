"""``{% cite_selection_menu query %}``: the Cite menu for the endnotes of a timeline selection."""

from __future__ import annotations

from django import template
from django.urls import reverse

from timeline.citing_selection import selection_downloads, selection_suffix
from timeline.filters import TimelineQuery

register = template.Library()


@register.inclusion_tag("sources/_cite_menu.html")
def cite_selection_menu(query: TimelineQuery) -> dict:
    """The Cite menu of a selection's endnotes on a page that lists its records (the
    timeline, a system's page): the downloads, and the Chicago forms loaded from the
    selection's own page (``/cite/?<filters>``) when the menu is opened, as a record's
    menu loads its own (static/js/cite.js).

    Which endnotes a selection rests on is a semi-join over every citation of every
    selected record: 8-40 ms of each filtered home page at 100k records, more at a
    million, for a menu few readers open. The selection's page reads them when asked.
    """
    return {
        "heading": "Cite the endnotes of these records",
        "blocks_page": reverse("timeline:cite") + selection_suffix(query),
        "downloads": selection_downloads(query),
        "prefix": "cite-selection",
    }
