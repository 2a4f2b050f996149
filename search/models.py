"""What the search keeps beside the index: the summaries of its commonest words."""

from django.db import models


class CommonWordSummary(models.Model):
    """A common word's search summary for one data version, computed by the worker after
    each write (``search.common_words``) and read by every server process.

    Why: summarising a word's matches reads all of them (``radar`` at a million records:
    71,400 entries, 0.5-1.4 s; ``china``, in nearly every entry, 3 s), and the search page
    needs the summary on its first page. Kept per process, every server process paid it
    once per word and data version, on a reader's request. Kept here, no reader pays it.

    One row per word and type: ``kind`` empty holds the grouped counts and the best
    entries of every type; a type's row holds that type's own best entries.
    """

    word = models.CharField(max_length=100, help_text="The query as the search keys it (normalised, lower case).")
    name = models.CharField(max_length=100, help_text="The query as names are compared (search_index.name_key).")
    kind = models.CharField(max_length=20, blank=True, help_text="Empty: the whole summary; a type: its ranking.")
    data_version = models.PositiveBigIntegerField(help_text="The data version the summary was computed from.")
    matches = models.PositiveIntegerField(help_text="How many index entries the word matches (of the type).")
    summary = models.JSONField(help_text="cells, system_cells and ranked, as search.selectors.Summary holds them.")
    seconds = models.FloatField(help_text="How long the summary took to compute.")
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["word", "name", "kind"], name="search_common_word_unique"),
            models.CheckConstraint(condition=models.Q(seconds__gte=0), name="search_common_word_seconds_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.word} ({self.kind or 'every type'}, version {self.data_version})"
