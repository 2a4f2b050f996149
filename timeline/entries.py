"""Records as the pages show them on the timeline: title, kind, one-line summary, endnotes."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Model
from django.utils.safestring import SafeString, mark_safe

from ground.markup import escape
from ground.url_reversing import reverser
from periods.models import Period
from sources.selectors import cited_endnote_keys

from .record_types import RECORD_TYPES


@dataclass(frozen=True)
class EndnoteRef:
    number: int
    url: str
    pinpoint: str = ""


@dataclass
class TimelineEntry:
    """One dated or undated record of the timeline, whatever its model."""

    kind: str
    record: Model
    subtype: str
    title: str
    summary: str
    direction: str = ""
    direction_label: str = ""

    @cached_property
    def endnotes(self) -> list[EndnoteRef]:
        """The endnotes the record cites; read only where shown, so entries listed
        without them (a record page's neighbours) need no citation query."""
        return [
            EndnoteRef(c.endnote.number, c.endnote.get_absolute_url(), c.pinpoint)
            for c in self.record.ordered_citations
        ]

    @cached_property
    def html(self) -> SafeString:
        """The entry's list item (``entry_html``)."""
        return entry_html(self)

    @property
    def related_html(self) -> SafeString:
        """The entry as a record page lists it among related records: its link, type and
        date. In Python, like ``entry_html``, and kept with a group's list (``Related``):
        a record page lists up to 36 of them, each five template lookups before."""
        e = escape
        date = f", {e(self.date_text)}" if self.date_text else ""
        link = f'<a href="{e(self.url)}">{e(self.title)}</a>'
        return mark_safe(f'<li>{link} <span class="muted">{e(self.kind_label)}{date}</span></li>')  # noqa: S308 - escaped

    @property
    def kind_label(self) -> str:
        return RECORD_TYPES[self.kind].label

    @cached_property
    def url(self) -> str:
        return self.record.get_absolute_url()

    @property
    def slug(self) -> str:
        return self.record.slug

    @property
    def date_text(self) -> str:
        return self.record.date_display

    @property
    def date_start(self) -> datetime.date | None:
        return self.record.date_start

    @property
    def year(self) -> int | None:
        return self.record.date_start.year if self.record.date_start else None

    @property
    def period_id(self) -> int:
        return self.record.period_id

    @property
    def sort_key(self) -> tuple:
        start = self.record.date_start or datetime.date.max
        end = self.record.date_end or datetime.date.max
        return (start, end, RECORD_TYPES[self.kind].order, self.record.slug)


def entry_html(entry: TimelineEntry) -> SafeString:
    """An entry's ``<li>``, as every list of entries shows it (timeline, periods, systems, actors).

    Written in Python rather than an included template: a timeline page lists 200 entries,
    and including and rendering a template for each was about a fifth of an uncached home
    page (cProfile at 100k records). ``tests/timeline/test_entry_html.py`` holds the output
    equal to the template it replaced (kept there as the markup's reference), for every
    record of the report.
    """
    e = escape
    date = e(entry.date_text) if entry.date_text else '<span class="muted">the report gives no date</span>'
    direction = (
        f'<span class="direction direction--{e(entry.direction)}">{e(entry.direction_label)}</span>'
        if entry.direction_label
        else ""
    )
    summary = f'<p class="entry__summary">{e(entry.summary)}</p>' if entry.summary else ""
    endnotes = entry.endnotes
    if endnotes:
        links = ", ".join(f'<a href="{e(n.url)}" aria-label="Endnote {n.number}">{n.number}</a>' for n in endnotes)
        notes = f'<p class="entry__notes">Endnote{"s" if len(endnotes) != 1 else ""}\n      {links}</p>\n    '
    else:
        notes = '<p class="entry__notes muted">No endnote</p>'
    return mark_safe(  # noqa: S308 - every value above is escaped
        f'<li class="entry entry--{e(entry.kind)}">\n'
        f'  <p class="entry__date">{date}</p>\n'
        '  <div class="entry__body">\n'
        '    <p class="entry__meta">\n'
        f'      <span class="badge badge--{e(entry.kind)}">{e(entry.kind_label)}</span>\n'
        f'      <span class="badge badge--sub">{e(entry.subtype)}</span>\n'
        f"      {direction}\n"
        "    </p>\n"
        f'    <h4 class="entry__title"><a href="{e(entry.url)}">{e(entry.title)}</a></h4>\n'
        f"    {summary}\n"
        f"    {notes}\n"
        "  </div>\n"
        "</li>\n"
    )


def entries_for(records: Iterable[Model]) -> list[TimelineEntry]:
    """The entries of records read without their citations (``selectors.timeline(query,
    citations=False)``), their endnotes read as keys, one query per record type listed
    (``cited_endnote_keys``), each endnote's and record's address built from one URL
    template per type."""
    records = list(records)
    pks: dict[type[Model], list[int]] = {}
    for record in records:
        pks.setdefault(type(record), []).append(record.pk)
    keys = {model: cited_endnote_keys(model, model_pks) for model, model_pks in pks.items()}
    endnote_url = reverser("sources:endnote", "document", "number")
    page_urls = {kind: record_type.page_urls() for kind, record_type in RECORD_TYPES.items()}
    entries = []
    for record in records:
        entry = entry_for(record)
        entry.__dict__["url"] = page_urls[entry.kind](slug=record.slug)  # the cached property
        entry.__dict__["endnotes"] = [  # the cached property, set from the keys
            EndnoteRef(number, endnote_url(document=document, number=number), pinpoint)
            for document, number, pinpoint, _ in keys[type(record)].get(record.pk, ())
        ]
        entries.append(entry)
    return entries


def _one_line(text: str, limit: int = 160) -> str:
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


def entry_for(record: Model, kind: str | None = None) -> TimelineEntry:
    """The timeline entry of one record (``kind`` defaults to ``record.timeline_type``)."""
    kind = kind or record.timeline_type
    record_type = RECORD_TYPES[kind]
    direction = getattr(record, "direction", "")
    label = record.get_direction_display() if direction and direction != "other" else ""
    return TimelineEntry(
        kind=kind,
        record=record,
        subtype=record_type.subtype(record),
        title=record_type.title(record),
        summary=_one_line(record_type.summary(record)),
        direction="joint" if kind == "project" else direction,
        direction_label="Joint" if kind == "project" else label,
    )


@dataclass
class PeriodGroup:
    period: Period | None
    entries: list[TimelineEntry]
    anchor: str = ""
    period_id: int | None = None

    @property
    def entries_html(self) -> SafeString:
        """The group's list items, joined here rather than by a template loop: each
        ``{% for %}`` step (a context push and a variable lookup) cost more than the join,
        a half-millisecond over a home page's 200 entries."""
        return mark_safe("".join(entry.html for entry in self.entries))  # noqa: S308 - each item is escaped


def group_by_period(entries: Iterable[TimelineEntry], periods: Iterable[Period]) -> list[PeriodGroup]:
    """Consecutive entries of the same period under one heading, keeping timeline order.

    The page lists exactly what the API returns, in the same order; where the report
    dates a record outside its period's years (background before 1992, a figure placed
    in no period), the period heading simply repeats. ``anchor`` is unique per group.
    """
    by_id = {p.pk: p for p in periods}
    groups: list[PeriodGroup] = []
    seen: Counter = Counter()
    for entry in entries:
        if groups and groups[-1].period_id == entry.period_id:
            groups[-1].entries.append(entry)
            continue
        period = by_id.get(entry.period_id)
        base = period.slug if period else "no-period"
        seen[base] += 1
        anchor = base if seen[base] == 1 else f"{base}-{seen[base]}"
        groups.append(PeriodGroup(period, [entry], anchor=anchor, period_id=entry.period_id))
    return groups
