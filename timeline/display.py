"""What a record page shows of a record: its fields as labelled rows.

Kept out of the templates so one detail template serves every record type, and out of
the models because it is presentation (labels, links to filtered views), not data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse

from ground.templatetags.mtc_pages import figure_value, value_range


@dataclass
class Row:
    label: str
    value: str = ""
    href: str = ""
    items: list[tuple[str, str]] = field(default_factory=list)  # (text, href)
    long: bool = False


def _timeline(**params) -> str:
    return reverse("timeline:home") + "?" + urlencode(params) + "#timeline"


def _date_rows(record) -> list[Row]:
    if not record.date_edtf:
        return [Row("Date", record.date_display or "the report gives no date")]
    bounds = f"{record.date_start:%Y-%m-%d} to {record.date_end:%Y-%m-%d}"
    if record.date_approximate:
        bounds += " (approximate)"
    return [
        Row("Date as written", record.date_text or record.date_edtf),
        Row("Date (EDTF)", record.date_edtf),
        Row("Sortable bounds", f"{bounds}, {record.get_date_precision_display()} precision"),
    ]


def _period_row(record) -> list[Row]:
    period = record.period
    return [Row("Period", str(period), period.get_absolute_url())] if period else []


def _actors(actors) -> list[tuple[str, str]]:
    return [(a.name, a.get_absolute_url()) for a in actors]


def _tail(record) -> list[Row]:
    """Rows after the record's own fields. The curator's remarks are not among them: the
    page shows them apart, as the curator's note, so they are not read as the report's."""
    rows = []
    if record.uncited_reason:
        rows.append(Row("No endnote", record.uncited_reason, long=True))
    return rows


def event_rows(event) -> list[Row]:
    rows = [
        Row("Type", event.get_kind_display()),
        *_period_row(event),
        *_date_rows(event),
        Row("Actors", items=_actors(event.actors.all())),
        Row("Description", event.description, long=True),
        *_tail(event),
    ]
    return [r for r in rows if r.value or r.items]


def transfer_rows(t) -> list[Row]:
    rows = [
        Row("Designation", t.designation),
        Row("Description", t.description),
        Row("Category", t.get_category_display(), _timeline(category=t.category)),
        Row("Supplier", t.supplier.name, t.supplier.get_absolute_url()),
        Row("Recipient", t.recipient.name, t.recipient.get_absolute_url()),
        Row("Direction", t.get_direction_display(), _timeline(direction=t.direction) if t.direction != "other" else ""),
        *_period_row(t),
        *_date_rows(t),
        Row("Year ordered", f"{t.year_ordered or ''}{' (uncertain)' if t.year_ordered_uncertain else ''}"),
        Row("Delivery years", t.delivery_years),
        Row("Number ordered", t.quantity(t.number_ordered) or "not stated in the report"),
        Row("Number delivered", t.quantity(t.number_delivered) or "not stated in the report"),
        Row("Value", value_range(t)),
        Row("Status", t.get_status_display()),
        Row("SIPRI status", t.sipri_status),
        Row("SIPRI TIV per unit (millions)", "" if t.tiv_per_unit is None else f"{t.tiv_per_unit:f}"),
        Row("SIPRI TIV of the order", "" if t.tiv_total_order is None else f"{t.tiv_total_order:f}"),
        Row("SIPRI TIV delivered", "" if t.tiv_delivered is None else f"{t.tiv_delivered:f}"),
        Row("Notes", t.notes, long=True),
        *_tail(t),
    ]
    return [r for r in rows if r.value or r.items]


def project_rows(p) -> list[Row]:
    rows = [
        Row("Name", p.name),
        Row("Partners", items=_actors(p.partners.all())),
        Row("Status", p.get_status_display()),
        *_period_row(p),
        *_date_rows(p),
        Row("Value", value_range(p)),
        Row("Description", p.description, long=True),
        Row("Division of labour", p.division_of_labour, long=True),
        *_tail(p),
    ]
    return [r for r in rows if r.value or r.items]


def figure_rows(f) -> list[Row]:
    rows = [
        Row("Statement", f.statement, long=True),
        Row("Value", figure_value(f)),
        Row("Unit", f.get_unit_display()),
        Row("Hedge as printed", f.qualifier),
        Row("Scope", f.scope),
        *_period_row(f),
        *_date_rows(f),
        *_tail(f),
    ]
    return [r for r in rows if r.value or r.items]


def actor_rows(a) -> list[Row]:
    rows = [
        Row("Name", a.name),
        Row("Kind", a.get_kind_display()),
        Row("Country", a.country.name if a.country_id else "", a.country.get_absolute_url() if a.country_id else ""),
        Row("Description", a.description, long=True),
        *_tail(a),
    ]
    return [r for r in rows if r.value or r.items]


def analysis_rows(a) -> list[Row]:
    authors = [a.made_by, *a.made_by_others.all()] if a.made_by_id else []
    rows = [
        Row("Claim, in the report's words", a.claim, long=True),
        Row("Kind", a.get_kind_display()),
        Row("Made by", items=_actors(authors)) if authors else Row("Made by", "the report itself"),
        Row("About", items=_actors(a.actors.all())),
        *_period_row(a),
        *(_date_rows(a) if a.date_edtf else []),
        *_tail(a),
    ]
    return [r for r in rows if r.value or r.items]


def policy_option_rows(o) -> list[Row]:
    return [Row("Title", o.title), Row("Summary", o.summary, long=True), *_tail(o)]
