"""What every cited record shares: a slug, its citations and honest remarks."""

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models

# Where ``sources.selectors.citations_prefetch`` puts a record's citations.
PREFETCHED_CITATIONS = "prefetched_citations"


class CitedRecord(models.Model):
    """Abstract base for records that rest on the report's endnotes."""

    slug = models.SlugField(
        max_length=120,
        unique=True,
        help_text="Stable, readable identifier used in URLs; lowercase letters, digits, hyphens.",
    )
    remarks = models.TextField(
        blank=True,
        help_text="Where the report is vague or contradicts itself, what it says in each place.",
    )
    derivation = models.TextField(
        blank=True,
        help_text=(
            "How a stored value the report does not print was derived (e.g. a date from the section "
            'heading, a fraction from "a quarter"): named so nothing inferred passes for the report\'s fact.'
        ),
    )
    uncited_reason = models.CharField(
        max_length=300,
        blank=True,
        help_text="Why the record has no endnote (e.g. the report supports it with an in-text link only).",
    )
    citations = GenericRelation("sources.Citation")

    class Meta:
        abstract = True

    @property
    def ordered_citations(self) -> list:
        """The record's citations in the order it gives them, with endnotes and documents.

        From ``sources.selectors.citations_prefetch`` when the query made it (lists and
        pages always do), else one query for this record.
        """
        prefetched = getattr(self, PREFETCHED_CITATIONS, None)
        if prefetched is not None:
            return prefetched
        return list(self.citations.select_related("endnote__document").order_by("position", "endnote__number"))
