"""The timeline: periods, actors, events, the report's figures and policy options."""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from mtc.fuzzydates import CHRONOLOGICAL, FuzzyDateMixin
from mtc.reversing import reverse
from sources.mixins import CitedRecord

from .querysets import DatedQuerySet


class DataVersion(models.Model):
    """A single row whose ``version`` goes up with every committed content change.

    Bumped inside the writing transaction (see ``periods.changes``), so a reader that
    sees version N also sees exactly the data of version N: response caches and ETags
    key on it and can never serve data older than the last committed write.
    """

    exclude_from_content_changes = True

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    version = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="dataversion_singleton")]

    def __str__(self) -> str:
        return f"data version {self.version}"

    def get_absolute_url(self) -> str:
        return reverse("periods:home")

    @classmethod
    def bump(cls) -> None:
        updated = cls.objects.filter(id=1).update(version=models.F("version") + 1, changed_at=timezone.now())
        if not updated:
            cls.objects.get_or_create(id=1, defaults={"version": 1})

    @classmethod
    def current(cls) -> DataVersion:
        return cls.objects.filter(id=1).first() or cls(id=1, version=0, changed_at=None)


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
        return reverse("periods:period", kwargs={"slug": self.slug})

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

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("periods:actor", kwargs={"slug": self.slug})


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
    history = HistoricalRecords()

    objects = DatedQuerySet.as_manager()

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
        return reverse("periods:event", kwargs={"slug": self.slug})


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
    history = HistoricalRecords()

    objects = DatedQuerySet.as_manager()

    class Meta:
        ordering = ["date_start", "slug"]
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
        return reverse("periods:figure", kwargs={"slug": self.slug})


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

    objects = DatedQuerySet.as_manager()

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
        return reverse("periods:analysis", kwargs={"slug": self.slug})

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

    class Meta:
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("periods:policy-option", kwargs={"slug": self.slug})


class StatisticsSnapshot(models.Model):
    """One complete set of aggregate statistics, computed from the records in one pass.

    The whole set is one JSON document in one row: a reader fetches it with one query
    and, because the rebuild swaps the ``StatisticsState.current`` pointer in the same
    transaction that inserts the new row, always gets either the old set or the new one,
    never a mix. ``fingerprint`` says what data it was computed from (the data version
    and row counts per content table); comparing it with the live data version is what
    makes staleness visible.
    """

    exclude_from_content_changes = True

    computed_at = models.DateTimeField(default=timezone.now)
    data_version = models.PositiveBigIntegerField(help_text="DataVersion.version the statistics were computed from.")
    fingerprint = models.JSONField(default=dict, help_text="Data version and row count per content table.")
    data = models.JSONField(default=dict, help_text="The statistics; layout documented in periods/statistics.py.")
    statements = models.PositiveSmallIntegerField(default=0, help_text="SQL statements the aggregation ran.")
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-computed_at"]
        get_latest_by = "computed_at"

    def __str__(self) -> str:
        return f"statistics of data version {self.data_version} ({self.computed_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self) -> str:
        return reverse("statistics")


class StatisticsState(models.Model):
    """The rebuild's bookkeeping: the current snapshot, pending requests, last outcome.

    A single row (like ``DataVersion``). ``pending`` records that a rebuild was asked
    for and not yet started, which is how a request arriving during a rebuild is
    guaranteed one more pass (see ``periods.statistics``). ``lease_*`` is the lock on
    databases without advisory locks (SQLite).
    """

    exclude_from_content_changes = True

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    current = models.ForeignKey(
        StatisticsSnapshot,
        null=True,
        blank=True,
        # DO_NOTHING: the rebuild deletes superseded snapshots in one statement and never
        # the current one; the database's foreign key still guards it.
        on_delete=models.DO_NOTHING,
        related_name="+",
    )
    pending = models.BooleanField(default=False, help_text="A rebuild was requested and has not started yet.")
    requested_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True, help_text="When the last pass started.")
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    stale_reason = models.CharField(max_length=300, blank=True, help_text="Why a rebuild could not be requested.")
    stale_since = models.DateTimeField(null=True, blank=True)
    passes = models.PositiveIntegerField(default=0, help_text="Completed rebuild passes.")
    lease_token = models.CharField(max_length=40, blank=True)
    lease_expires = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "statistics state"
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="statisticsstate_singleton")]

    def __str__(self) -> str:
        return f"statistics state ({self.passes} passes)"

    def get_absolute_url(self) -> str:
        return reverse("statistics")


class SearchEntry(models.Model):
    """One searchable thing (a record, figure, endnote, source...) as flat text.

    Rebuilt from the content by ``periods.search.rebuild_search_index`` after every
    committed content change, so it is never edited by hand and is not content itself.
    On PostgreSQL ``search_vector`` holds the weighted tsvector (title A, body B) behind
    a GIN index created by the migration; on SQLite it stays empty and search falls
    back to case-insensitive matching of ``title`` and ``body``.
    """

    exclude_from_content_changes = True

    class Kind(models.TextChoices):
        PERIOD = "period", "period"
        EVENT = "event", "event"
        TRANSFER = "transfer", "arms transfer"
        PROJECT = "project", "joint project"
        FIGURE = "figure", "figure"
        ACTOR = "actor", "actor"
        POLICY_OPTION = "policy-option", "policy option"
        ANALYSIS = "analysis", "analysis"
        ENDNOTE = "endnote", "endnote"
        SOURCE = "source", "source"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    key = models.CharField(max_length=150, help_text="The slug, or document/number for an endnote.")
    record_id = models.PositiveBigIntegerField(null=True, help_text="Primary key of the indexed record.")
    title = models.CharField(max_length=500)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300)
    date_text = models.CharField(max_length=100, blank=True)
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["kind", "key"]
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="searchentry_unique_kind_key")]
        indexes = [models.Index(fields=["kind", "record_id"])]
        verbose_name_plural = "search entries"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    def get_absolute_url(self) -> str:
        return self.url
