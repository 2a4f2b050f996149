"""The timeline: periods, actors, events, the report's figures and policy options."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from ground.fuzzy_dates import CHRONOLOGICAL, FuzzyDateMixin
from ground.url_reversing import reverse
from sources.cited_record import CitedRecord

from .querysets import ActorQuerySet, AnalysisQuerySet, EventQuerySet, FigureQuerySet, PolicyOptionQuerySet


class Period(models.Model):
    """One of the report's eras; an open period (2014-present) has no end year."""

    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=200)
    heading = models.CharField(max_length=200, help_text="The section heading exactly as printed.")
    start_year = models.PositiveSmallIntegerField()
    end_year = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Empty: to the present.")
    summary = models.TextField(help_text="Two sentences in our own words.")
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "start_year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_year__isnull=True) | models.Q(start_year__lte=models.F("end_year")),
                name="period_start_lte_end",
                violation_error_message="start_year must be <= end_year.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.years}: {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("timeline:period", kwargs={"slug": self.slug})

    @property
    def years(self) -> str:
        return f"{self.start_year}-{self.end_year or 'present'}"


class Actor(CitedRecord):
    """A state, organisation or person a record names."""

    class Kind(models.TextChoices):
        STATE = "state", "state"
        ORGANISATION = "organisation", "organisation"
        PERSON = "person", "person"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    country = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        limit_choices_to={"kind": "state"},
        help_text="The state an organisation or person belongs to.",
    )
    description = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    objects = ActorQuerySet.as_manager()

    record_order = 4

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("timeline:actor", kwargs={"slug": self.slug})


class Event(CitedRecord, FuzzyDateMixin):
    """A dated happening: an agreement, meeting, statement, sanction, decree, review..."""

    class Kind(models.TextChoices):
        AGREEMENT = "agreement", "agreement"
        MEETING = "meeting", "meeting"
        STATEMENT = "statement", "statement"
        SANCTION = "sanction", "sanction"
        DECREE = "decree", "decree"
        REVIEW = "review", "review"
        ANNOUNCEMENT = "announcement", "announcement"
        DELIVERY = "delivery", "delivery"
        DECISION = "decision", "policy decision"
        LEGISLATION = "legislation", "legislation"
        OTHER = "other", "other"

    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.TextField(blank=True)
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="events")
    actors = models.ManyToManyField(Actor, blank=True, related_name="events")
    systems = models.ManyToManyField(
        "systems.System", blank=True, related_name="events", help_text="The weapon systems the event concerns."
    )
    history = HistoricalRecords()

    objects = EventQuerySet.as_manager()

    record_order = 0

    class Meta:
        ordering = CHRONOLOGICAL
        # Filtered pages in timeline order straight from the index (see Transfer.Meta).
        indexes = [
            models.Index(fields=["period", *CHRONOLOGICAL]),
            models.Index(fields=["kind", *CHRONOLOGICAL]),
            models.Index(fields=CHRONOLOGICAL),
        ]
        constraints = FuzzyDateMixin.date_constraints("event")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("timeline:event", kwargs={"slug": self.slug})


class Figure(CitedRecord, FuzzyDateMixin):
    """A quantitative claim the report makes, kept apart from computed statistics."""

    class Unit(models.TextChoices):
        PERCENT = "percent", "percent"
        USD = "usd", "US dollars"
        COUNT = "count", "count"
        SHARE = "share", "share (fraction)"
        YEARS = "years", "years (a duration)"

    statement = models.CharField(max_length=400, help_text="The claim in one line, numbers as printed.")
    value = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    value_low = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    value_high = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    unit = models.CharField(max_length=10, choices=Unit.choices)
    qualifier = models.CharField(
        max_length=40, blank=True, help_text='The report\'s hedge as printed: "nearly", "roughly"...'
    )
    scope = models.CharField(max_length=300, blank=True, help_text="What is measured.")
    period = models.ForeignKey(Period, null=True, blank=True, on_delete=models.PROTECT, related_name="figures")
    systems = models.ManyToManyField(
        "systems.System", blank=True, related_name="figures", help_text="The weapon systems the figure measures."
    )
    history = HistoricalRecords()

    objects = FigureQuerySet.as_manager()

    record_order = 3

    class Meta:
        ordering = ["date_start", "slug"]
        # The timeline reads a type's records in its chronological order, either way,
        # from these (tests/timeline/test_deep_pages.py asks PostgreSQL's plan).
        indexes = [models.Index(fields=["period", *CHRONOLOGICAL]), models.Index(fields=CHRONOLOGICAL)]
        constraints = [
            *FuzzyDateMixin.date_constraints("figure"),
            models.CheckConstraint(
                condition=models.Q(value__isnull=True) | models.Q(value__gte=0),
                name="figure_value_non_negative",
                violation_error_message="value must not be negative.",
            ),
            models.CheckConstraint(
                condition=models.Q(value_low__isnull=True) | models.Q(value_low__gte=0),
                name="figure_value_low_non_negative",
                violation_error_message="value_low must not be negative.",
            ),
            models.CheckConstraint(
                condition=models.Q(value_low__isnull=True)
                | models.Q(value_high__isnull=True)
                | models.Q(value_low__lte=models.F("value_high")),
                name="figure_low_lte_high",
                violation_error_message="value_low must be <= value_high.",
            ),
            models.CheckConstraint(
                condition=~models.Q(value__isnull=True, value_low__isnull=True, value_high__isnull=True),
                name="figure_has_a_value",
                violation_error_message="a figure needs a value or a low/high range.",
            ),
        ]

    def __str__(self) -> str:
        return self.statement

    def get_absolute_url(self) -> str:
        return reverse("timeline:figure", kwargs={"slug": self.slug})


class Analysis(CitedRecord, FuzzyDateMixin):
    """One of the report's analytic claims: an assessment, explanation, aim, definition,
    example, or a judgement it quotes, in the report's words and attributed.

    The report's argument is what a researcher cites it for; kept as records, every
    endnote that carries reasoning rather than a fact is cited by something, and the
    claim can be found, filtered, placed on the timeline (when the report dates it)
    and cited like any other record.
    """

    class Kind(models.TextChoices):
        ASSESSMENT = "assessment", "assessment"
        EXPLANATION = "explanation", "explanation"
        QUOTED_JUDGEMENT = "quoted-judgement", "quoted judgement"
        AIM = "aim", "aim"
        DEFINITION = "definition", "definition"
        EXAMPLE = "example", "example"

    title = models.CharField(max_length=300, help_text="What the claim says, in one line (our words).")
    claim = models.TextField(help_text="The claim in the report's words, verbatim (quotation marks as printed).")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    made_by = models.ForeignKey(
        Actor,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claims",
        help_text="The author the report quotes or follows; empty: the report's own claim.",
    )
    made_by_others = models.ManyToManyField(
        Actor,
        blank=True,
        related_name="co_claims",
        help_text="Co-authors of a quoted judgement (Bendett and Kania).",
    )
    period = models.ForeignKey(Period, null=True, blank=True, on_delete=models.PROTECT, related_name="analyses")
    actors = models.ManyToManyField(Actor, blank=True, related_name="analyses", help_text="Who the claim is about.")
    history = HistoricalRecords()

    objects = AnalysisQuerySet.as_manager()

    record_order = 6

    class Meta:
        ordering = CHRONOLOGICAL
        verbose_name = "analysis"
        verbose_name_plural = "analyses"
        indexes = [
            models.Index(fields=["period", *CHRONOLOGICAL]),
            models.Index(fields=["kind", *CHRONOLOGICAL]),
            models.Index(fields=CHRONOLOGICAL),
        ]
        constraints = [
            *FuzzyDateMixin.date_constraints("analysis"),
            models.CheckConstraint(
                condition=~models.Q(claim=""),
                name="analysis_claim_not_empty",
                violation_error_message="claim must not be empty.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("timeline:analysis", kwargs={"slug": self.slug})

    @property
    def attribution(self) -> str:
        """Who makes the claim, as a reader would say it: "the report", "Meick", "Bendett and Kania"."""
        if self.made_by_id is None:
            return "the report"
        others = list(self.made_by_others.all())
        return " and ".join(a.name for a in [self.made_by, *others])


class PolicyOption(CitedRecord):
    """One of the report's recommendations to U.S. policymakers."""

    title = models.CharField(max_length=300)
    summary = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    objects = PolicyOptionQuerySet.as_manager()

    record_order = 5

    class Meta:
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("timeline:policy-option", kwargs={"slug": self.slug})
