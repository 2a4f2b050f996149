"""What every cited record shares: a slug, its citations and honest remarks."""

from typing import ClassVar

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models

from ground.choice_labels import ChoiceLabelsMixin

#: ``record_type`` of a citation (and of ``/cite/<type>/<slug>``) -> (model label, API route name).
CITED_RECORD_TYPES = {
    "event": ("periods.Event", "event"),
    "figure": ("periods.Figure", "figure"),
    "actor": ("periods.Actor", "actor"),
    "policy-option": ("periods.PolicyOption", "policyoption"),
    "transfer": ("transfers.Transfer", "transfer"),
    "project": ("transfers.Project", "project"),
    "analysis": ("periods.Analysis", "analysis"),
}


def record_type_of(model) -> str | None:
    """The record type name of a model (or record), e.g. ``transfer``; None if it cites nothing."""
    label = model._meta.label
    return next((name for name, (lbl, _) in CITED_RECORD_TYPES.items() if lbl == label), None)


# Where ``sources.querysets.citations_prefetch`` puts a record's citations.
PREFETCHED_CITATIONS = "prefetched_citations"


class CitedRecord(ChoiceLabelsMixin, models.Model):
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

    # Where the record's type comes in lists of several types (a source's citing records).
    record_order: ClassVar[int] = 100

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
