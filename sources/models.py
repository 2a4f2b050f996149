"""Documents, their endnotes, the works the endnotes cite, and citations of records.

A ``Document`` is a report (the CSIS primer is one), so a second report can be added
without its endnote numbers clashing. An ``Endnote`` is kept exactly as printed; the
works it cites are deduplicated ``Source`` rows reached through ``EndnoteWork`` (with
the pinpoint pages and whether the note gave the work in full, in short form, or as
"Ibid."). A ``Citation`` ties any record to an endnote.
"""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from ground.url_reversing import reverse

SLUG_HELP = "Stable, readable identifier used in URLs; lowercase letters, digits, hyphens."


def web_url_only(prefix: str) -> models.CheckConstraint:
    """A stored URL is empty or http(s): a ``javascript:`` link can never be rendered."""
    return models.CheckConstraint(
        condition=models.Q(url="") | models.Q(url__startswith="http://") | models.Q(url__startswith="https://"),
        name=f"{prefix}_url_is_web",
        violation_error_message="url must start with http:// or https://.",
    )


class Document(models.Model):
    slug = models.SlugField(max_length=100, unique=True, help_text=SLUG_HELP)
    title = models.CharField(max_length=300)
    subtitle = models.CharField(max_length=300, blank=True)
    authors = models.JSONField(default=list, blank=True, help_text='CSL names: [{"family": "Blivas", "given": "Alec"}]')
    publisher = models.CharField(max_length=200, blank=True)
    date_edtf = models.CharField("date (EDTF)", max_length=30, blank=True)
    url = models.URLField(max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["slug"]
        constraints = [web_url_only("document")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("sources:document", kwargs={"slug": self.slug})


class Source(models.Model):
    """A deduplicated work cited by one or more endnotes (CSL-like fields)."""

    class Kind(models.TextChoices):
        REPORT = "report", "report"
        BOOK = "book", "book"
        CHAPTER = "chapter", "book chapter"
        ARTICLE_JOURNAL = "article-journal", "journal article"
        ARTICLE_NEWSPAPER = "article-newspaper", "newspaper article"
        ARTICLE_MAGAZINE = "article-magazine", "magazine or web-magazine article"
        WEBPAGE = "webpage", "web page"
        DATASET = "dataset", "database"
        SPEECH = "speech", "speech or testimony"

    slug = models.SlugField(max_length=100, unique=True, help_text=SLUG_HELP)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    authors = models.JSONField(
        default=list, blank=True, help_text='CSL names: [{"family": ..., "given": ...}] or [{"literal": ...}]'
    )
    editors = models.JSONField(default=list, blank=True)
    title = models.CharField(max_length=500)
    container_title = models.CharField(
        max_length=300, blank=True, help_text="Journal, newspaper, site, or the book a chapter is in."
    )
    collection_title = models.CharField(max_length=300, blank=True, help_text="Report series.")
    publisher = models.CharField(max_length=300, blank=True)
    publisher_place = models.CharField(max_length=200, blank=True)
    date_edtf = models.CharField(
        "date (EDTF)", max_length=30, blank=True, help_text="As precise as printed: 2017-03-20, 2018."
    )
    url = models.URLField(max_length=500, blank=True)
    remarks = models.TextField(blank=True, help_text="What the report leaves incomplete or spells differently.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["slug"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(title=""),
                name="source_title_not_empty",
                violation_error_message="title must not be empty.",
            ),
            web_url_only("source"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("sources:source", kwargs={"slug": self.slug})

    @property
    def author_display(self) -> str:
        names = [a.get("literal") or " ".join(filter(None, [a.get("given"), a.get("family")])) for a in self.authors]
        return ", ".join(names)


class Endnote(models.Model):
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="endnotes")
    number = models.PositiveIntegerField(help_text="The note's number within its document.")
    text = models.TextField(help_text="Exactly as printed (lines of one note joined by a space).")
    urls = models.JSONField(default=list, blank=True, help_text="The note's URLs, cleaned.")
    ibid_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="repeated_by",
        help_text='The earlier note an "Ibid." repeats.',
    )
    remarks = models.TextField(blank=True, help_text="Truncation, stray spaces, title variants...")
    sources = models.ManyToManyField(Source, through="EndnoteWork", related_name="endnotes")
    history = HistoricalRecords()

    class Meta:
        ordering = ["document__slug", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"],
                name="endnote_unique_number_per_document",
                violation_error_message="An endnote with this number already exists in this document.",
            ),
            models.CheckConstraint(
                condition=models.Q(number__gte=1),
                name="endnote_number_positive",
                violation_error_message="number must be 1 or more.",
            ),
            models.CheckConstraint(
                condition=~models.Q(text=""),
                name="endnote_text_not_empty",
                violation_error_message="text must not be empty.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document.slug} n. {self.number}"

    def clean(self) -> None:
        super().clean()
        urls = self.urls if isinstance(self.urls, list) else None
        if urls is None or not all(isinstance(u, str) and u.startswith(("http://", "https://")) for u in urls):
            raise ValidationError({"urls": "urls must be a list of http:// or https:// addresses."})

    def get_absolute_url(self) -> str:
        return reverse("sources:endnote", kwargs={"document": self.document.slug, "number": self.number})

    @property
    def pages(self) -> str:
        """The pinpoint pages of the works the note cites, as printed, joined by '; '."""
        return "; ".join(w.pinpoint for w in self.works.all() if w.pinpoint)


class EndnoteWork(models.Model):
    """One work cited in an endnote, in printed order, with its pinpoint."""

    class Form(models.TextChoices):
        FULL = "full", "full citation"
        SHORT = "short", "short form"
        IBID = "ibid", "Ibid."

    endnote = models.ForeignKey(Endnote, on_delete=models.CASCADE, related_name="works")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="endnote_works")
    position = models.PositiveSmallIntegerField(default=1)
    pinpoint = models.CharField(max_length=50, blank=True, help_text='Pages as printed: "12", "9-10", "3, 17".')
    form = models.CharField(max_length=5, choices=Form.choices, default=Form.FULL)

    class Meta:
        ordering = ["endnote", "position"]
        constraints = [
            models.UniqueConstraint(fields=["endnote", "position"], name="endnotework_unique_position"),
            models.CheckConstraint(
                condition=models.Q(position__gte=1),
                name="endnotework_position_positive",
                violation_error_message="position must be 1 or more.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.endnote}: {self.source}" + (f", {self.pinpoint}" if self.pinpoint else "")

    def get_absolute_url(self) -> str:
        return self.endnote.get_absolute_url()


class Citation(models.Model):
    """A record (event, transfer, project, figure...) resting on an endnote."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    endnote = models.ForeignKey(Endnote, on_delete=models.PROTECT, related_name="citations")
    pinpoint = models.CharField(max_length=50, blank=True, help_text="Optional page within the note's work.")
    passage = models.TextField(
        blank=True,
        help_text=(
            "The report's sentence(s) carrying this endnote's marker and supporting the record, verbatim "
            "(whitespace normalised, without the marker), so a reader can check the record against the text."
        ),
    )
    position = models.PositiveSmallIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["content_type", "object_id", "position", "endnote__number"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "endnote"],
                name="citation_unique_per_record",
                violation_error_message="This record already cites this endnote.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.record} → {self.endnote}"

    def get_absolute_url(self) -> str:
        return self.endnote.get_absolute_url()
