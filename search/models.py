"""The search index: one flat row per searchable thing."""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchEntry(models.Model):
    """One searchable thing (a record, figure, endnote, source...) as flat text.

    Rebuilt from the content by ``search.index.rebuild_search_index`` after every
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
        db_table = "periods_searchentry"
        ordering = ["kind", "key"]
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="searchentry_unique_kind_key")]
        indexes = [models.Index(fields=["kind", "record_id"])]
        verbose_name_plural = "search entries"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    def get_absolute_url(self) -> str:
        return self.url
