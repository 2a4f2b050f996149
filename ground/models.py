"""The plumbing's tables: the data version every cache and ETag keys on, the search index,
and the API rows stored ready to send."""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone

from .url_reversing import reverse


class DataVersion(models.Model):
    """A single row whose ``version`` goes up with every committed content change.

    Bumped inside the writing transaction (see ``ground.change_bus``), so a reader that
    sees version N also sees exactly the data of version N: response caches and ETags
    key on it and can never serve data older than the last committed write.
    """

    exclude_from_content_changes = True

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    version = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)
    #: Stored API rows (``StoredRow``) built at an older version than this are not served:
    #: set to the new version by a write to a table many rows read (an actor's slug, an
    #: endnote's number), in the writing transaction (``ground.stored_rows``).
    stored_rows_from = models.PositiveBigIntegerField(default=0)

    class Meta:
        db_table = "periods_dataversion"
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


class SearchEntry(models.Model):
    """One searchable thing (a record, system, figure, endnote, source...) as flat text.

    It lives here, in the bottom layer, so every record list's ``matching(q)`` can ask
    the index without importing the apps above (``search`` registers how each type is
    indexed, ``ground.search_index`` holds the query). Rebuilt from the content after
    every committed change, so it is never edited by hand and is not content itself.

    ``title`` and ``body`` are public text: results show them and highlight their
    snippets. ``text_a``/``text_b``/``text_c`` are what the index weighs (A: title,
    names and designations; B: the public body; C: curator remarks and related systems'
    names, searchable but never shown) with the normalised tokens added
    (``ground.search_index.index_tokens``).
    """

    exclude_from_content_changes = True

    kind = models.CharField(max_length=20, help_text="The record type (transfer, event, system...).")
    key = models.CharField(max_length=150, help_text="The slug, or document/number for an endnote.")
    record_id = models.PositiveBigIntegerField(null=True, help_text="Primary key of the indexed record.")
    title = models.CharField(max_length=500)
    body = models.TextField(blank=True, help_text="Public text: the only source of result snippets.")
    url = models.CharField(max_length=300)
    date_text = models.CharField(max_length=100, blank=True)
    period = models.CharField(max_length=50, blank=True, help_text="Slug of the record's period, for facets.")
    text_a = models.TextField(blank=True)
    text_b = models.TextField(blank=True)
    text_c = models.TextField(blank=True)
    exact_keys = models.TextField(
        blank=True, help_text="|-separated normalised names; a query equal to one ranks the entry first."
    )
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["kind", "key"]
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="ground_searchentry_unique_kind_key")]
        indexes = [
            models.Index(fields=["kind", "record_id"], name="ground_search_kind_record"),
        ]
        # PostgreSQL: a GIN index on search_vector; SQLite: the FTS5 table ``ground_search_fts``
        # (both made by migration ground 0003 for their database only).
        verbose_name_plural = "search entries"

    def __str__(self) -> str:
        return f"{self.kind}: {self.title}"

    def get_absolute_url(self) -> str:
        return self.url


class SearchEntrySystem(models.Model):
    """Which systems (by slug) an entry concerns: the "system" facet, counted in the database."""

    exclude_from_content_changes = True

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="systems")
    system = models.CharField(max_length=80)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "system"], name="searchentrysystem_unique")]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.system}"

    def get_absolute_url(self) -> str:
        return self.entry.url


class SearchTerm(models.Model):
    """A word of the index's titles and names: the vocabulary "did you mean" picks from.

    On PostgreSQL a trigram GIN index (``pg_trgm``) finds the nearest words.
    """

    exclude_from_content_changes = True

    word = models.CharField(max_length=100, unique=True)

    # PostgreSQL: a trigram GIN index on word (migration ground 0003).

    def __str__(self) -> str:
        return self.word

    def get_absolute_url(self) -> str:
        return "/search/?q=" + self.word


class StoredRow(models.Model):
    """One record's API row, encoded as JSON once and sent as it is (``ground.stored_rows``).

    ``body`` is the row a lean read would build, with the site's address replaced by a
    marker; ``version`` is the data version its builder read before reading the record.
    A write to the record empties ``body`` and sets ``version`` to its own version, in
    the writing transaction, so a builder that read the record before the write cannot
    put its older row back (its version is lower). Not content: rebuilt from it.
    """

    model = models.CharField(max_length=100, help_text="The record's model label, e.g. transfers.transfer.")
    record_id = models.BigIntegerField()
    version = models.PositiveBigIntegerField()
    body = models.TextField(null=True, blank=True, help_text="The API row as JSON; empty while the record is rebuilt.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["model", "record_id"], name="stored_row_one_per_record")]
        indexes = [
            models.Index(
                fields=["model", "record_id"], condition=models.Q(body__isnull=True), name="stored_row_emptied"
            )
        ]

    def __str__(self) -> str:
        return f"{self.model} {self.record_id} (version {self.version})"
