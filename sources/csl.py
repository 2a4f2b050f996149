"""Sources and knowledge-base entries as CSL-JSON items: the one mapping every format builds on.

CSL-JSON (the Citation Style Language's data model) is what citeproc processors render
from and what Zotero, Mendeley and Pandoc read, so every other output (Chicago via
citeproc-py, BibTeX, RIS) is derived from the items built here, never from the models
directly. A source's kind is already a CSL item type (see ``Source.Kind``).
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from .models import Source

SITE_NAME = "MTC Timeline"

# EDTF as the dataset uses it: year, year-month, year-month-day, with an optional
# approximate/uncertain qualifier, or an interval of two such dates.
_EDTF_DATE = re.compile(r"^(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?(?P<q>[~?%]?)$")

_NAME_KEYS = ("family", "given", "literal")


def edtf_to_csl_date(edtf: str) -> dict[str, Any] | None:
    """``"2017-03-20"`` -> ``{"date-parts": [[2017, 3, 20]]}``; intervals give two parts.

    Approximate or uncertain dates (``2006~``) set CSL's ``circa``. Anything the dataset's
    simple EDTF subset does not cover is kept verbatim as ``literal`` rather than guessed.
    """
    value = (edtf or "").strip()
    if not value:
        return None
    parts: list[list[int]] = []
    circa = False
    for piece in value.split("/"):
        match = _EDTF_DATE.match(piece)
        if not match:
            return {"literal": value}
        parts.append([int(x) for x in match.group("y", "m", "d") if x])
        circa = circa or bool(match.group("q"))
    if len(parts) > 2:
        return {"literal": value}
    date: dict[str, Any] = {"date-parts": parts}
    if circa:
        date["circa"] = True
    return date


def accessed_date(day: datetime.date) -> dict[str, Any]:
    return {"date-parts": [[day.year, day.month, day.day]]}


def csl_names(names: list[dict[str, str]]) -> list[dict[str, str]]:
    """Keep only the CSL name keys the dataset uses, dropping empty values."""
    return [{k: n[k] for k in _NAME_KEYS if n.get(k)} for n in names if any(n.get(k) for k in _NAME_KEYS)]


def source_to_csl(source: Source, *, note: str = "") -> dict[str, Any]:
    """One ``Source`` as a CSL-JSON item whose ``id`` is the source's slug.

    ``note`` carries context that belongs to a citation rather than to the work (which
    endnotes cite it, at which pages); reference managers show it as the item's note
    (Zotero's "Extra").
    """
    item: dict[str, Any] = {"id": source.slug, "type": source.kind, "title": source.title}
    if source.authors:
        item["author"] = csl_names(source.authors)
    if source.editors:
        item["editor"] = csl_names(source.editors)
    optional = {
        "container-title": source.container_title,
        "collection-title": source.collection_title,
        "publisher": source.publisher,
        "publisher-place": source.publisher_place,
        "URL": source.url,
        "note": note,
    }
    item.update({key: value for key, value in optional.items() if value})
    issued = edtf_to_csl_date(source.date_edtf)
    if issued:
        item["issued"] = issued
    return item


def record_title(record) -> str:
    """How a knowledge-base entry is titled in a citation: its own ``str()``."""
    return str(record)


def record_csl_id(record) -> str:
    return f"mtc-{record._meta.model_name}-{record.slug}"


def record_to_csl(record, *, url: str, accessed: datetime.date) -> dict[str, Any]:
    """A knowledge-base entry (event, transfer, project...) cited as a web page of this site."""
    return {
        "id": record_csl_id(record),
        "type": "webpage",
        "title": record_title(record),
        "container-title": SITE_NAME,
        "URL": url,
        "accessed": accessed_date(accessed),
    }
