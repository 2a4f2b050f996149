"""Arms transfers (one row per deal, SIPRI-like) and joint R&D projects."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from ground.fuzzy_dates import CHRONOLOGICAL, FuzzyDateMixin
from ground.url_reversing import reverse
from periods.models import Actor, Period
from sources.cited_record import CitedRecord

from .querysets import ProjectQuerySet, TransferQuerySet

DELIVERY_YEARS_RE = re.compile(r"^\d{4}(; \d{4})*$")


def parse_delivery_years(value: str) -> list[int]:
    """``"2018; 2019"`` (SIPRI's form) to ``[2018, 2019]``; raise naming the rule."""
    value = (value or "").strip()
    if not value:
        return []
    if not DELIVERY_YEARS_RE.match(value):
        raise ValidationError({"delivery_years": f"'{value}' must be years separated by '; ', e.g. '2018; 2019'."})
    years = [int(y) for y in value.split("; ")]
    if years != sorted(years):
        raise ValidationError({"delivery_years": "delivery years must be in ascending order."})
    return years


class ValueMixin(models.Model):
    """Value in US dollars, exact or a low/high range, with an approximate flag."""

    value_usd = models.DecimalField(
        "value (USD)", max_digits=16, decimal_places=0, null=True, blank=True, help_text="Whole US dollars."
    )
    value_usd_low = models.DecimalField(max_digits=16, decimal_places=0, null=True, blank=True)
    value_usd_high = models.DecimalField(max_digits=16, decimal_places=0, null=True, blank=True)
    value_approximate = models.BooleanField(
        default=False, help_text='The report hedges the value ("estimated", "roughly", "at least").'
    )

    class Meta:
        abstract = True

    @staticmethod
    def value_constraints(prefix: str) -> list[models.BaseConstraint]:
        checks = [
            models.CheckConstraint(
                condition=models.Q(**{f"{field}__isnull": True}) | models.Q(**{f"{field}__gte": 0}),
                name=f"{prefix}_{field}_non_negative",
                violation_error_message=f"{field} must not be negative.",
            )
            for field in ("value_usd", "value_usd_low", "value_usd_high")
        ]
        checks.append(
            models.CheckConstraint(
                condition=models.Q(value_usd_low__isnull=True)
                | models.Q(value_usd_high__isnull=True)
                | models.Q(value_usd_low__lte=models.F("value_usd_high")),
                name=f"{prefix}_value_low_lte_high",
                violation_error_message="value_usd_low must be <= value_usd_high.",
            )
        )
        return checks


class Transfer(CitedRecord, FuzzyDateMixin, ValueMixin):
    """One arms deal, in either direction, as the report describes it."""

    class Category(models.TextChoices):
        AIRCRAFT = "aircraft", "aircraft"
        AERO_ENGINES = "aero-engines", "aero-engines"
        HELICOPTERS = "helicopters", "helicopters"
        AIR_DEFENCE = "air-defence", "air defence systems"
        NAVAL = "naval", "ships and submarines"
        MARINE_ENGINES = "marine-engines", "marine engines"
        LAND_VEHICLES = "land-vehicles", "land vehicles"
        ELECTRONICS = "electronics", "electronics"
        MATERIALS = "materials", "materials"
        UAV = "uav", "UAV technology"
        MISSILES = "missiles", "missiles"
        OTHER = "other", "other"

    class Direction(models.TextChoices):
        RU_CN = "ru-cn", "Russia to China"
        CN_RU = "cn-ru", "China to Russia"
        OTHER = "other", "other"

    class Status(models.TextChoices):
        REPORTED_INTEREST = "reported-interest", "reported interest"
        FRAMEWORK = "framework", "framework agreement"
        AGREED = "agreed", "agreed"
        IN_DELIVERY = "in-delivery", "in delivery"
        DELIVERED = "delivered", "delivered"
        UNKNOWN = "unknown", "unknown"

    designation = models.CharField(max_length=120, help_text="Weapon designation, e.g. Su-35.")
    description = models.CharField(max_length=300, help_text="Weapon description, e.g. multirole fighter.")
    category = models.CharField(max_length=20, choices=Category.choices)
    supplier = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="supplied")
    recipient = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="received")
    direction = models.CharField(max_length=10, choices=Direction.choices, editable=False)
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="transfers")
    year_ordered = models.PositiveSmallIntegerField(null=True, blank=True)
    delivery_years = models.CharField(
        max_length=200, blank=True, help_text="SIPRI style: '2018; 2019'. Only years the source gives."
    )
    first_delivery_year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    number_ordered = models.PositiveIntegerField(null=True, blank=True)
    number_delivered = models.PositiveIntegerField(null=True, blank=True)
    quantity_unit = models.CharField(max_length=40, blank=True, help_text="aircraft, regiments, engines...")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.UNKNOWN)
    notes = models.TextField(blank=True)
    # SIPRI trade-register fields, kept as the register gives them.
    year_ordered_uncertain = models.BooleanField(default=False)
    number_ordered_uncertain = models.BooleanField(default=False)
    number_delivered_uncertain = models.BooleanField(default=False)
    sipri_status = models.CharField(max_length=40, blank=True, help_text="New, Second hand...")
    tiv_per_unit = models.DecimalField(
        "SIPRI TIV per unit (millions)", max_digits=14, decimal_places=3, null=True, blank=True
    )
    tiv_total_order = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    tiv_delivered = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    systems = models.ManyToManyField(
        "systems.System", blank=True, related_name="transfers", help_text="The weapon systems the deal is for."
    )
    history = HistoricalRecords()

    objects = TransferQuerySet.as_manager()

    record_order = 1

    class Meta:
        verbose_name = "arms transfer"
        ordering = CHRONOLOGICAL
        # The common filters, each followed by the timeline order, so a filtered page is
        # read in order from the index and stops after the page. Without them PostgreSQL
        # walks the date index and skips the rows of other periods: a period is a run of
        # dates, so at a million transfers that read 670,000 rows (1.7 s) to find the
        # first 50 of 2014-present. The last one serves unfiltered pages and the
        # previous/next record of a record page.
        # After the order, each carries the other filter columns: a count or the year
        # groups of a selection (timeline.selectors.selection_spans) read the index alone
        # (an index-only scan), never the rows. The years of 59,000 aircraft transfers at
        # a million took 164 ms through the rows, 50 ms from the index. Columns after the
        # unique slug change no order, and need no INCLUDE (which SQLite lacks).
        indexes = [
            models.Index(fields=["period", "category", *CHRONOLOGICAL, "direction"]),
            models.Index(fields=["period", *CHRONOLOGICAL, "category", "direction"]),
            models.Index(fields=["category", *CHRONOLOGICAL, "period", "direction"]),
            models.Index(fields=["direction", *CHRONOLOGICAL, "period", "category"]),
            models.Index(fields=[*CHRONOLOGICAL, "period", "category", "direction"]),
            # The API's other orderings, each with the timeline order as its tie-breaker
            # (ground.stable_ordering): ?ordering=designation sorted every matching row
            # before (118 ms for one period at 100k transfers); read from the index, a
            # page stops after its rows. The filter columns after them, as above: a
            # filtered page is found in the index alone. Without them, page 4 of one
            # period's electronics by designation read 6,955 rows to keep 200 (12.5 ms
            # at 100k transfers; 0.45 ms from the index).
            *(
                models.Index(fields=[name, *CHRONOLOGICAL, "period", "category", "direction"])
                for name in ("designation", "value_usd", "year_ordered")
            ),
        ]
        constraints = [
            *FuzzyDateMixin.date_constraints("transfer"),
            *ValueMixin.value_constraints("transfer"),
            models.CheckConstraint(
                condition=models.Q(year_ordered__isnull=True)
                | models.Q(first_delivery_year__isnull=True)
                | models.Q(year_ordered__lte=models.F("first_delivery_year")),
                name="transfer_ordered_before_delivered",
                violation_error_message="year_ordered must be <= first delivery year.",
            ),
            models.CheckConstraint(
                condition=models.Q(number_ordered__isnull=True)
                | models.Q(number_delivered__isnull=True)
                | models.Q(number_delivered__lte=models.F("number_ordered")),
                name="transfer_delivered_lte_ordered",
                violation_error_message="number_delivered must be <= number_ordered.",
            ),
            models.CheckConstraint(
                condition=~models.Q(supplier=models.F("recipient")),
                name="transfer_supplier_not_recipient",
                violation_error_message="supplier and recipient must differ.",
            ),
            models.CheckConstraint(
                condition=models.Q(tiv_per_unit__isnull=True) | models.Q(tiv_per_unit__gte=0),
                name="transfer_tiv_non_negative",
                violation_error_message="SIPRI TIV must not be negative.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.designation} ({self.supplier} → {self.recipient})" if self.supplier_id else self.designation

    def get_absolute_url(self) -> str:
        return reverse("timeline:transfer", kwargs={"slug": self.slug})

    def quantity(self, number: int | None) -> str:
        """A number with its unit, singular for one ("1 regiment", "24 aircraft")."""
        if number is None:
            return ""
        unit = self.quantity_unit
        if number == 1 and unit.endswith("ies"):
            unit = unit[:-3] + "y"
        elif number == 1 and unit.endswith("s") and not unit.endswith("ss"):
            unit = unit[:-1]
        return f"{number:,} {unit}".strip()

    @property
    def headline(self) -> str:
        """The title that tells transfers apart on lists: "AL-31F: aircraft engine (150 engines)".

        The description is left out where it only repeats the designation ("UAV
        technology"); the number ordered tells apart contracts for the same system.
        """
        name, what = self.designation, self.description
        if not what or what.lower() in name.lower():
            title = name
        elif name.lower() in what.lower():
            title = what[0].upper() + what[1:]
        else:
            title = f"{name}: {what}"
        ordered = self.quantity(self.number_ordered)
        return f"{title} ({ordered})" if ordered else title

    @property
    def delivery_year_list(self) -> list[int]:
        return parse_delivery_years(self.delivery_years)

    def derive_direction(self) -> str:
        """Russia to China or China to Russia, from the states behind supplier and recipient."""

        def state(actor: Actor) -> str | None:
            if actor.kind == Actor.Kind.STATE:
                return actor.slug
            return actor.country.slug if actor.country_id else None

        pair = (state(self.supplier), state(self.recipient))
        if pair == ("russia", "china"):
            return self.Direction.RU_CN
        if pair == ("china", "russia"):
            return self.Direction.CN_RU
        return self.Direction.OTHER

    def clean(self) -> None:
        super().clean()
        years = parse_delivery_years(self.delivery_years)
        if years and self.year_ordered and self.year_ordered > years[0]:
            raise ValidationError({"year_ordered": "year_ordered must be <= first delivery year."})

    def save(self, *args, **kwargs):
        # Derived columns, kept in step on every write path (see FuzzyDateMixin.save).
        years = parse_delivery_years(self.delivery_years)
        self.first_delivery_year = years[0] if years else None
        self.direction = self.derive_direction()
        super().save(*args, **kwargs)


class Project(CitedRecord, FuzzyDateMixin, ValueMixin):
    """A joint research-and-development or co-production project."""

    class Status(models.TextChoices):
        ANNOUNCED = "announced", "announced"
        AGREED = "agreed", "agreed"
        IN_PROGRESS = "in-progress", "in progress"
        COMPLETED = "completed", "completed"
        REVEALED = "revealed", "revealed after the fact"
        UNKNOWN = "unknown", "unknown"

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    partners = models.ManyToManyField(Actor, related_name="projects", blank=True)
    systems = models.ManyToManyField(
        "systems.System", blank=True, related_name="projects", help_text="The weapon systems the project concerns."
    )
    division_of_labour = models.TextField(blank=True, help_text="Who develops what.")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="projects")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.UNKNOWN)
    history = HistoricalRecords()

    objects = ProjectQuerySet.as_manager()

    record_order = 2

    class Meta:
        verbose_name = "joint project"
        ordering = CHRONOLOGICAL
        indexes = [models.Index(fields=["period", *CHRONOLOGICAL]), models.Index(fields=CHRONOLOGICAL)]
        constraints = [
            *FuzzyDateMixin.date_constraints("project"),
            *ValueMixin.value_constraints("project"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("timeline:project", kwargs={"slug": self.slug})
