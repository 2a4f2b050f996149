"""Fuzzy dates as the report words them, stored with their EDTF form and sortable bounds.

The report dates things loosely ("around 2006", "by 2008", "November 2015",
"mid-2000s"). We keep the wording, its EDTF (Library of Congress Extended Date/Time
Format, parsed by the ``edtf`` package) and derive ``date_start``/``date_end`` so
records sort and filter by date without losing what the text actually says.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from edtf import parse_edtf, struct_time_to_date
from edtf.parser.edtf_exceptions import EDTFParseException

PRECISION_CHOICES = [
    ("day", "day"),
    ("month", "month"),
    ("season", "season"),
    ("year", "year"),
    ("decade", "decade or unspecified digits"),
    ("interval", "interval"),
]


@dataclass(frozen=True)
class FuzzyDate:
    """A parsed EDTF string: its bounds, precision and whether it is approximate."""

    edtf: str
    start: datetime.date
    end: datetime.date
    precision: str
    approximate: bool

    @property
    def start_year(self) -> int:
        return self.start.year

    @property
    def end_year(self) -> int:
        return self.end.year


def _precision(edtf: str, parsed) -> str:
    name = type(parsed).__name__
    if "Interval" in name:
        return "interval"
    if name == "Season":
        return "season"
    if "X" in edtf or "u" in edtf:
        return "decade"
    core = edtf.rstrip("~?%")
    return {1: "year", 2: "month", 3: "day"}.get(len(core.lstrip("-").split("-")), "year")


def parse_fuzzy_date(edtf: str) -> FuzzyDate:
    """Parse an EDTF string into bounds, or raise ``ValidationError`` naming the rule.

    Open-ended intervals ("../2008") are refused: their bounds are infinite and the
    report's "by 2008" is stored as text "by 2008" with EDTF "2008" instead.
    """
    value = (edtf or "").strip()
    if not value:
        raise ValidationError("EDTF date must not be empty.", code="required")
    if ".." in value or value.startswith("/") or value.endswith("/"):
        raise ValidationError(f"'{value}' is an open-ended EDTF interval; give both ends.", code="open_interval")
    try:
        parsed = parse_edtf(value)
        start = struct_time_to_date(parsed.lower_strict())
        end = struct_time_to_date(parsed.upper_strict())
    except (EDTFParseException, TypeError, ValueError, AttributeError, OverflowError) as exc:
        raise ValidationError(
            f"'{value}' is not a valid EDTF date (e.g. 2015, 2015-11, 2006~, 2011/2012).",
            code="invalid_edtf",
        ) from exc
    if start > end:
        raise ValidationError(f"'{value}' starts after it ends.", code="reversed_interval")
    return FuzzyDate(
        edtf=value,
        start=start,
        end=end,
        precision=_precision(value, parsed),
        approximate=any(ch in value for ch in "~?%"),
    )


_YEAR = re.compile(r"\b\d{4}\b")
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"]  # fmt: skip


def readable_date(text: str, edtf: str, precision: str, approximate: bool) -> str:
    """A date as people write it: "11 December 2008", "November 2015", "2015", "around 2006".

    The report's own words are kept when they carry a year and say more than the
    bounds ("by 2008", "early 2014", "since 2002"); a day is always written in full,
    since the report sometimes prints it without its year ("December 11", the year
    coming from the sentence before) or in US order.
    """
    words = " ".join((text or "").split())
    if words[:3].lower() == "in " and _YEAR.search(words):
        words = words[3:]
    if precision != "day" and _YEAR.search(words):
        return words
    try:
        fuzzy = parse_fuzzy_date(edtf)
    except ValidationError:
        return words or edtf
    start, end = fuzzy.start, fuzzy.end
    if precision == "day":
        written = f"{start.day} {_MONTHS[start.month - 1]} {start.year}"
    elif precision == "month":
        written = f"{_MONTHS[start.month - 1]} {start.year}"
    elif precision == "decade":
        written = f"the {start.year}s"
    elif start.year != end.year:
        written = f"{start.year}-{end.year}"
    else:
        written = str(start.year)
    return f"around {written}" if approximate else written


# The timeline's order of dated records: earliest start, then earliest end, then slug.
# Lists, pages and indexes all use it, so one index serves each filtered list.
CHRONOLOGICAL = ["date_start", "date_end", "slug"]


class FuzzyDateMixin(models.Model):
    """Abstract fields for a record dated as the report dates it.

    ``date_start``/``date_end``/``date_precision``/``date_approximate`` are derived
    from ``date_edtf`` in ``save()``: a pure derivation every write path (admin, API,
    loader, importers) must keep in step, so it lives with the fields, not in a service.
    """

    date_text = models.CharField(
        "date as written",
        max_length=100,
        blank=True,
        help_text='The date exactly as the report words it, e.g. "around 2006".',
    )
    date_edtf = models.CharField(
        "date (EDTF)",
        max_length=60,
        blank=True,
        help_text="The same date in EDTF: 2015, 2015-11, 2008-12-11, 2006~, 2011/2012.",
    )
    date_start = models.DateField(null=True, blank=True, editable=False, db_index=True)
    date_end = models.DateField(null=True, blank=True, editable=False)
    date_precision = models.CharField(max_length=10, choices=PRECISION_CHOICES, blank=True, editable=False)
    date_approximate = models.BooleanField(default=False, editable=False)

    class Meta:
        abstract = True

    def sync_date_bounds(self) -> None:
        if not self.date_edtf:
            self.date_start = self.date_end = None
            self.date_precision = ""
            self.date_approximate = False
            return
        fuzzy = parse_fuzzy_date(self.date_edtf)
        self.date_edtf = fuzzy.edtf
        self.date_start, self.date_end = fuzzy.start, fuzzy.end
        self.date_precision = fuzzy.precision
        self.date_approximate = fuzzy.approximate

    def clean(self) -> None:
        super().clean()
        if self.date_text and not self.date_edtf:
            raise ValidationError({"date_edtf": "Give the EDTF form of the date as written."})
        try:
            self.sync_date_bounds()
        except ValidationError as exc:
            raise ValidationError({"date_edtf": exc.messages}) from exc

    def save(self, *args, **kwargs):
        self.sync_date_bounds()
        super().save(*args, **kwargs)

    @property
    def date_display(self) -> str:
        """The date as people write it (``readable_date``); for a record the report dates
        only by its period, that period, said as such (never "undated")."""
        if self.date_edtf:
            return readable_date(self.date_text, self.date_edtf, self.date_precision, self.date_approximate)
        period = getattr(self, "period", None)
        return f"{period.years} (the report gives no year)" if period else ""

    @classmethod
    def date_constraints(cls, prefix: str) -> list[models.BaseConstraint]:
        return [
            models.CheckConstraint(
                condition=models.Q(date_start__isnull=True)
                | models.Q(date_end__isnull=True)
                | models.Q(date_start__lte=models.F("date_end")),
                name=f"{prefix}_date_start_lte_end",
                violation_error_message="date_start must be on or before date_end.",
            ),
            models.CheckConstraint(
                condition=models.Q(date_edtf="", date_start__isnull=True)
                | (~models.Q(date_edtf="") & models.Q(date_start__isnull=False)),
                name=f"{prefix}_date_bounds_match_edtf",
                violation_error_message="date bounds must be derived from date_edtf.",
            ),
        ]
