"""The aggregate statistics: one snapshot row per rebuild, and the rebuild's bookkeeping."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from ground.url_reversing import reverse


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
    data = models.JSONField(default=dict, help_text="The statistics; layout documented in aggregates/statistics.py.")
    statements = models.PositiveSmallIntegerField(default=0, help_text="SQL statements the aggregation ran.")
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "periods_statisticssnapshot"
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
    guaranteed one more pass (see ``aggregates.statistics``). ``lease_*`` is the lock on
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
        db_table = "periods_statisticsstate"
        verbose_name = "statistics state"
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="statisticsstate_singleton")]

    def __str__(self) -> str:
        return f"statistics state ({self.passes} passes)"

    def get_absolute_url(self) -> str:
        return reverse("statistics")
