"""SIPRI trade registers: parse the CSV export and import its rows as cited transfers.

SIPRI's Arms Transfers Database exports a trade register as CSV: 11 lines of preamble
(title, notes, the query), then a fixed header, then one row per deal. Three header
cells are a single space: they follow "Year of order", "Number ordered" and "Number
delivered" and hold ``?`` where SIPRI is unsure of that value. Delivery years read
``2018; 2019``; TIVs (trend-indicator values) are in millions.

The import is all-or-nothing: the whole file is parsed and every row validated with the
model's ``full_clean`` before anything is kept, so a malformed row is reported with its
1-based line number in the file and the file changes nothing. Rows are matched on a
deterministic slug, so importing the same file again updates, never duplicates.

This is written by hand because the layout (preamble, blank-named columns, ``?`` flags)
is SIPRI's own; the ``csv`` module does the quoting.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import PurePath

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from periods.models import Actor, Period
from sources.models import Citation, Document, Endnote, EndnoteWork, Source

from .models import DELIVERY_YEARS_RE, Transfer

HEADER = [
    "Recipient",
    "Supplier",
    "Year of order",
    " ",
    "Number ordered",
    " ",
    "Weapon designation",
    "Weapon description",
    "Number delivered",
    " ",
    "Year(s) of delivery",
    "status",
    "Comments",
    "SIPRI TIV per unit",
    "SIPRI TIV for total order",
    "SIPRI TIV of delivered weapons",
]
PREAMBLE_LINES = 11
HEADER_SEARCH_LINES = 40  # a preamble that grew a few lines is still found
SIPRI_STATUSES = ("New", "Second hand", "Second hand but modernized")
SOURCE_SLUG = "sipri-arms-transfers-database"
SIPRI_URL = "https://www.sipri.org/databases/armstransfers"

# Model field -> the register's column, so a validation error names what the user sees.
COLUMN_OF_FIELD = {
    "supplier": "Supplier",
    "recipient": "Recipient",
    "year_ordered": "Year of order",
    "period": "Year of order",
    "date_edtf": "Year of order",
    "number_ordered": "Number ordered",
    "number_delivered": "Number delivered",
    "designation": "Weapon designation",
    "description": "Weapon description",
    "delivery_years": "Year(s) of delivery",
    "sipri_status": "status",
    "notes": "Comments",
    "tiv_per_unit": "SIPRI TIV per unit",
    "tiv_total_order": "SIPRI TIV for total order",
    "tiv_delivered": "SIPRI TIV of delivered weapons",
    "slug": "row",
    "__all__": "row",
}

# Weapon description keywords -> our category, first match wins (SAM before missile,
# helicopter before aircraft). SIPRI has no category column; anything else is "other".
CATEGORY_RULES: list[tuple[re.Pattern, str]] = [
    (re.compile(r"helicopter", re.I), Transfer.Category.HELICOPTERS),
    (re.compile(r"\bUAV\b|unmanned", re.I), Transfer.Category.UAV),
    (re.compile(r"\bSAM\b|air defen[cs]e|anti-aircraft", re.I), Transfer.Category.AIR_DEFENCE),
    (re.compile(r"turbofan|turbojet|turboprop|turboshaft|aircraft engine", re.I), Transfer.Category.AERO_ENGINES),
    (re.compile(r"diesel|gas turbine|ship engine|marine engine", re.I), Transfer.Category.MARINE_ENGINES),
    (re.compile(r"aircraft|fighter|\bFGA\b|bomber|trainer|\bAEW", re.I), Transfer.Category.AIRCRAFT),
    (re.compile(r"missile|\bAAM\b|\bBVRAAM\b|\bSSM\b|\bASM\b|torpedo", re.I), Transfer.Category.MISSILES),
    (re.compile(r"submarine|frigate|destroyer|corvette|ship|landing craft|patrol (craft|boat)", re.I), "naval"),
    (re.compile(r"radar|sonar|electronic", re.I), Transfer.Category.ELECTRONICS),
    (re.compile(r"tank|\bAPC\b|\bIFV\b|vehicle", re.I), Transfer.Category.LAND_VEHICLES),
]


@dataclass(frozen=True)
class LineError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}, {self.column}: {self.message}"


class SipriImportError(Exception):
    """The file breaks a rule; ``errors`` name each bad line, column and rule (first first)."""

    def __init__(self, errors: list[LineError]):
        self.errors = sorted(errors, key=lambda e: e.line)
        super().__init__("; ".join(str(e) for e in self.errors[:20]))


@dataclass(frozen=True)
class SipriRow:
    line: int
    recipient: str
    supplier: str
    year_ordered: int
    year_ordered_uncertain: bool
    number_ordered: int | None
    number_ordered_uncertain: bool
    designation: str
    description: str
    number_delivered: int | None
    number_delivered_uncertain: bool
    delivery_years: str
    sipri_status: str
    comments: str
    tiv_per_unit: Decimal | None
    tiv_total_order: Decimal | None
    tiv_delivered: Decimal | None

    @property
    def identity(self) -> tuple[str, ...]:
        """What makes a deal the same deal across exports of the register."""
        return (self.recipient, self.supplier, str(self.year_ordered), self.designation, self.description)

    @property
    def base_slug(self) -> str:
        digest = hashlib.sha1("|".join(self.identity).encode()).hexdigest()[:8]  # noqa: S324 - a content fingerprint for change detection, not security
        readable = slugify(f"sipri {self.supplier} {self.recipient} {self.designation} {self.year_ordered}")
        return f"{readable[:100].rstrip('-')}-{digest}"


class _RowParser:
    """Turns one data row's cells into a ``SipriRow``, collecting every rule it breaks."""

    def __init__(self, line: int, cells: list[str]):
        self.line = line
        self.cells = dict(zip(range(len(HEADER)), (c.strip() for c in cells), strict=False))
        self.errors: list[LineError] = []

    def error(self, column: str, message: str) -> None:
        self.errors.append(LineError(self.line, column, message))

    def text(self, index: int, required: bool = False) -> str:
        value = self.cells[index]
        if required and not value:
            self.error(HEADER[index], "must not be empty.")
        return value

    def integer(self, index: int, required: bool = False) -> int | None:
        value = self.text(index, required)
        if not value:
            return None
        if not (value.isascii() and value.isdigit()):  # isdigit() alone is true of "³"
            self.error(HEADER[index], f"'{value}' must be a whole number.")
            return None
        return int(value)

    def flag(self, index: int) -> bool:
        value = self.cells[index]
        if value not in ("", "?"):
            self.error(f"uncertainty flag after {HEADER[index - 1]}", f"'{value}' must be '?' or empty.")
        return value == "?"

    def decimal(self, index: int) -> Decimal | None:
        value = self.text(index)
        if not value:
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            self.error(HEADER[index], f"'{value}' must be a number (millions of TIV).")
            return None
        if not number.is_finite() or number < 0:
            self.error(HEADER[index], f"'{value}' must not be negative.")
            return None
        return number

    def parse(self) -> SipriRow | None:
        year = self.integer(2, required=True)
        if year is not None and not 1900 <= year <= 2100:
            self.error("Year of order", f"'{year}' must be a four-digit year.")
        delivery_years = self.text(10)
        if delivery_years and not DELIVERY_YEARS_RE.match(delivery_years):
            self.error("Year(s) of delivery", f"'{delivery_years}' must be years separated by '; ', e.g. '2018; 2019'.")
        status = self.text(11, required=True)
        if status and status not in SIPRI_STATUSES:
            self.error("status", f"'{status}' must be one of: {', '.join(SIPRI_STATUSES)}.")
        row = SipriRow(
            line=self.line,
            recipient=self.text(0, required=True),
            supplier=self.text(1, required=True),
            year_ordered=year,
            year_ordered_uncertain=self.flag(3),
            number_ordered=self.integer(4),
            number_ordered_uncertain=self.flag(5),
            designation=self.text(6, required=True),
            description=self.text(7, required=True),
            number_delivered=self.integer(8),
            number_delivered_uncertain=self.flag(9),
            delivery_years=delivery_years,
            sipri_status=status,
            comments=self.text(12),
            tiv_per_unit=self.decimal(13),
            tiv_total_order=self.decimal(14),
            tiv_delivered=self.decimal(15),
        )
        return None if self.errors else row


def _find_header(lines: list[str]) -> int:
    """Index of the header line: line 12 in SIPRI's layout, searched for in case the preamble changed."""
    for index, line in enumerate(lines[:HEADER_SEARCH_LINES]):
        cells = next(csv.reader([line]), [])
        while cells and cells[-1] == "":
            cells.pop()
        if cells == HEADER:
            return index
    expected = ",".join(HEADER)
    found = lines[PREAMBLE_LINES].strip() if len(lines) > PREAMBLE_LINES else "(end of file)"
    raise SipriImportError(
        [
            LineError(
                PREAMBLE_LINES + 1,
                "header",
                f"expected SIPRI's trade-register header '{expected}' after the {PREAMBLE_LINES}-line preamble; "
                f"found '{found[:120]}'.",
            )
        ]
    )


def parse_register(text: str) -> list[SipriRow]:
    """Parse a trade-register export; raise ``SipriImportError`` listing every bad line."""
    lines = text.lstrip("\ufeff").splitlines()
    header_index = _find_header(lines)
    first_line = header_index + 2  # 1-based number of the first data line
    reader = csv.reader(io.StringIO("\n".join(lines[header_index + 1 :])))
    rows: list[SipriRow] = []
    errors: list[LineError] = []
    start = 0
    for cells in reader:
        line = first_line + start
        start = reader.line_num
        while len(cells) > len(HEADER) and cells[-1] == "":
            cells.pop()
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(HEADER):
            errors.append(LineError(line, "row", f"has {len(cells)} columns; the header has {len(HEADER)}."))
            continue
        parser = _RowParser(line, cells)
        row = parser.parse()
        errors.extend(parser.errors)
        if row:
            rows.append(row)
    if errors:
        raise SipriImportError(errors)
    if not rows:
        raise SipriImportError([LineError(first_line, "row", "the register has no data rows.")])
    return rows


def category_for(description: str) -> str:
    for pattern, category in CATEGORY_RULES:
        if pattern.search(description):
            return category
    return Transfer.Category.OTHER


def derived_status(number_ordered: int | None, number_delivered: int | None) -> str:
    """Delivered when all ordered arrived, in delivery when some did, agreed otherwise."""
    if number_delivered and number_ordered is not None and number_delivered >= number_ordered:
        return Transfer.Status.DELIVERED
    if number_delivered:
        return Transfer.Status.IN_DELIVERY
    return Transfer.Status.AGREED


def period_for(year: int, periods: list[Period]) -> Period | None:
    """The period containing ``year``; at a shared boundary (2006, 2014) the one it opens."""
    containing = [p for p in periods if p.start_year <= year and (p.end_year is None or year <= p.end_year)]
    return max(containing, key=lambda p: p.start_year, default=None)


@dataclass
class SipriImportResult:
    document: Document
    endnote: Endnote
    created: list[Transfer] = field(default_factory=list)
    updated: list[Transfer] = field(default_factory=list)
    unchanged: list[Transfer] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)  # slug -> file line
    dry_run: bool = False

    def __str__(self) -> str:
        verb = "would be" if self.dry_run else "were"
        return (
            f"{len(self.created)} created, {len(self.updated)} updated, {len(self.unchanged)} unchanged "
            f"({verb} cited to {self.endnote})"
        )


class _DryRun(Exception):
    def __init__(self, result: SipriImportResult):
        self.result = result


def _citation_target(*, file_name: str, document_slug: str) -> Endnote:
    """The export file as a document with one endnote citing the SIPRI database."""
    source, _ = Source.objects.get_or_create(
        slug=SOURCE_SLUG,
        defaults={
            "kind": Source.Kind.DATASET,
            "authors": [{"literal": "Stockholm International Peace Research Institute"}],
            "title": "SIPRI Arms Transfers Database",
            "publisher": "Stockholm International Peace Research Institute",
            "publisher_place": "Stockholm",
            "url": SIPRI_URL,
        },
    )
    document, _ = Document.objects.get_or_create(
        slug=document_slug,
        defaults={
            "title": f"SIPRI trade register export {file_name}",
            "authors": [{"literal": "Stockholm International Peace Research Institute"}],
            "publisher": "Stockholm International Peace Research Institute",
            "url": SIPRI_URL,
        },
    )
    endnote, _ = Endnote.objects.get_or_create(
        document=document,
        number=1,
        defaults={"text": f"SIPRI Arms Transfers Database, trade register, {file_name}."},
    )
    EndnoteWork.objects.get_or_create(endnote=endnote, position=1, defaults={"source": source})
    return endnote


def document_slug_for(file_name: str) -> str:
    return slugify(f"sipri {PurePath(file_name).stem}")[:100] or "sipri-trade-register"


def _values(row: SipriRow, supplier: Actor, recipient: Actor, period: Period) -> dict:
    return {
        "designation": row.designation,
        "description": row.description,
        "category": category_for(row.description),
        "supplier": supplier,
        "recipient": recipient,
        "period": period,
        "date_text": f"ordered {row.year_ordered}" + (" (uncertain)" if row.year_ordered_uncertain else ""),
        "date_edtf": f"{row.year_ordered}" + ("?" if row.year_ordered_uncertain else ""),
        "year_ordered": row.year_ordered,
        "year_ordered_uncertain": row.year_ordered_uncertain,
        "delivery_years": row.delivery_years,
        "number_ordered": row.number_ordered,
        "number_ordered_uncertain": row.number_ordered_uncertain,
        "number_delivered": row.number_delivered,
        "number_delivered_uncertain": row.number_delivered_uncertain,
        "status": derived_status(row.number_ordered, row.number_delivered),
        "sipri_status": row.sipri_status,
        "notes": row.comments,
        "tiv_per_unit": row.tiv_per_unit,
        "tiv_total_order": row.tiv_total_order,
        "tiv_delivered": row.tiv_delivered,
    }


def _actor(name: str, cache: dict[str, Actor]) -> Actor:
    slug = slugify(name)
    if slug not in cache:
        cache[slug], _ = Actor.objects.get_or_create(slug=slug, defaults={"name": name, "kind": Actor.Kind.STATE})
    return cache[slug]


def _write(*, rows: list[SipriRow], file_name: str, document_slug: str, user) -> SipriImportResult:
    endnote = _citation_target(file_name=file_name, document_slug=document_slug)
    result = SipriImportResult(document=endnote.document, endnote=endnote)
    periods = list(Period.objects.all())
    actors: dict[str, Actor] = {}
    seen: dict[str, int] = {}
    errors: list[LineError] = []
    planned: list[tuple[SipriRow, Transfer, str]] = []
    for row in rows:
        period = period_for(row.year_ordered, periods)
        if period is None:
            errors.append(LineError(row.line, "Year of order", f"{row.year_ordered} falls in no period."))
            continue
        # Two identical deals in one file (SIPRI lists repeat orders) get -2, -3... in file order.
        seen[row.base_slug] = seen.get(row.base_slug, 0) + 1
        slug = row.base_slug if seen[row.base_slug] == 1 else f"{row.base_slug}-{seen[row.base_slug]}"
        transfer = Transfer.objects.filter(slug=slug).first() or Transfer(slug=slug)
        values = _values(row, _actor(row.supplier, actors), _actor(row.recipient, actors), period)
        before = {name: getattr(transfer, name, None) for name in values} if transfer.pk else None
        for name, value in values.items():
            setattr(transfer, name, value)
        try:
            transfer.full_clean()
        except ValidationError as exc:
            errors.extend(
                LineError(row.line, COLUMN_OF_FIELD.get(name, name), message)
                for name, messages in exc.message_dict.items()
                for message in messages
            )
            continue
        state = "created" if before is None else ("unchanged" if before == values else "updated")
        planned.append((row, transfer, state))
    if errors:
        raise SipriImportError(errors)
    content_type = ContentType.objects.get_for_model(Transfer)
    for row, transfer, state in planned:
        if state != "unchanged":
            transfer._history_user = user
            transfer._change_reason = f"SIPRI import of {file_name}, line {row.line}"
            transfer.save()
        citation, created = Citation.objects.get_or_create(
            content_type=content_type,
            object_id=transfer.pk,
            endnote=endnote,
            defaults={"pinpoint": f"line {row.line}"},
        )
        if not created and citation.pinpoint != f"line {row.line}":
            citation.pinpoint = f"line {row.line}"
            citation.save()
        getattr(result, state).append(transfer)
        result.lines[transfer.slug] = row.line
    return result


@transaction.atomic
def import_sipri_register(
    *, text: str, file_name: str, document_slug: str | None = None, dry_run: bool = False, user=None
) -> SipriImportResult:
    """Import a trade-register export as cited transfers, all or nothing.

    ``dry_run`` validates and computes the same result, then rolls everything back (the
    admin's preview). Raises ``SipriImportError`` naming every bad line.
    """
    rows = parse_register(text)
    slug = document_slug or document_slug_for(file_name)
    try:
        with transaction.atomic():
            result = _write(rows=rows, file_name=PurePath(file_name).name, document_slug=slug, user=user)
            if dry_run:
                result.dry_run = True
                raise _DryRun(result)
    except _DryRun as dry:
        return dry.result
    return result


# --- export: the same layout, written -----------------------------------------------

EXPORT_TITLE = "Transfers of major weapons: MTC Timeline export in the layout of the SIPRI trade register"


def _tiv(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}"


def _number(value: int | None) -> str:
    return "" if value is None else str(value)


def register_row(transfer: Transfer) -> list[str]:
    """One transfer as a trade-register row: country names, '?' flags, TIVs in millions."""
    return [
        transfer.recipient.name,
        transfer.supplier.name,
        _number(transfer.year_ordered),
        "?" if transfer.year_ordered_uncertain else "",
        _number(transfer.number_ordered),
        "?" if transfer.number_ordered_uncertain else "",
        transfer.designation,
        transfer.description,
        _number(transfer.number_delivered),
        "?" if transfer.number_delivered_uncertain else "",
        transfer.delivery_years,
        transfer.sipri_status,
        " ".join(transfer.notes.split()),  # one line per deal, as in SIPRI's exports
        _tiv(transfer.tiv_per_unit),
        _tiv(transfer.tiv_total_order),
        _tiv(transfer.tiv_delivered),
    ]


def export_register(transfers: Iterable[Transfer], *, generated: datetime.date, selection: str = "") -> Iterator[str]:
    """The transfers as a trade-register CSV, line by line, that ``parse_register`` reads back.

    The 11-line preamble says where the rows come from; the header and the columns are
    SIPRI's, so a register exported here and imported again (``import_sipri``) changes
    nothing. Rows without a year of order or a SIPRI status (most of the report's own
    deals) are written as they are; the importer, like SIPRI, requires both.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")

    def flush() -> str:
        text = out.getvalue()
        out.seek(0)
        out.truncate()
        return text

    preamble = [
        EXPORT_TITLE,
        "Note: rows are the knowledge base's arms transfers; SIPRI's own columns, country names and '?' flags.",
        "Deals the report gives no year of order or SIPRI status for have those columns empty.",
        f"Information generated: {generated:%d %B %Y}",
        "",
        "Source: MTC Timeline (Sino-Russian military-technical cooperation, from the CSIS primer, March 2020)",
        f"Selection: {' '.join(selection.split()) or 'all transfers'}",
        "Recipients and suppliers: as selected",
        "Years: as selected",
        "Figures are SIPRI Trend Indicator Values (TIVs) expressed in millions.",
        "",
    ]
    for line in preamble:
        writer.writerow([line] if line else [])
    writer.writerow(HEADER)
    yield flush()
    for transfer in transfers:
        writer.writerow(register_row(transfer))
        yield flush()
