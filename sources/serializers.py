"""API representations of documents, sources, endnotes and citations.

Also the pieces every cited record's serializer shares: ``html_url`` and the inline
``citations`` (document, endnote number, pinpoint, the endnote's API and page URLs),
which a client can send back unchanged on POST/PUT.
"""

from __future__ import annotations

from urllib.parse import urlparse

from django.apps import apps
from django.urls import Resolver404, resolve
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from ground.fuzzy_dates import parse_fuzzy_date
from ground.lean_rows import LeanField, PageContext, page_url
from ground.serializer_fields import (
    SlugRelatedField,
    StrictCharField,
    StrictChoiceField,
    StrictIntegerField,
    StrictModelSerializer,
    StrictSlugField,
    StrictSlugRelatedField,
    StrictURLField,
    url_or_empty_validator,
)
from ground.url_reversing import reverse

from .cited_record import CITED_RECORD_TYPES, record_type_of
from .models import Citation, Document, Endnote, EndnoteWork, Source
from .selectors import cited_endnote_keys
from .services import CitationSpec, WorkSpec


def api_reverse(viewname: str, kwargs: dict | None = None, request=None, format=None) -> str:
    """An absolute URL without the request's ``?format=``: a record's address stays stable.

    DRF's ``reverse`` carries ``?format=csv`` into every link of a CSV export; the
    ``url`` columns must be the records' addresses, not links to CSV versions of them.
    """
    path = reverse(viewname, kwargs=kwargs)
    return request.build_absolute_uri(path) if request is not None else path


class ApiUrlField(serializers.HyperlinkedIdentityField):
    """The record's own API address."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reverse = api_reverse  # DRF sets its own in __init__


class ApiRelatedUrlField(serializers.HyperlinkedRelatedField):
    """Another record's API address."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reverse = api_reverse  # DRF sets its own in __init__


def endnote_api_url(endnote: Endnote, request) -> str:
    return api_reverse(
        "api:endnote-detail", kwargs={"document": endnote.document.slug, "number": endnote.number}, request=request
    )


def absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


@extend_schema_field(OpenApiTypes.URI)
class HtmlUrlField(serializers.Field):
    """The record's HTML page (``get_absolute_url()``), as an absolute URL."""

    def __init__(self, **kwargs):
        kwargs.update(read_only=True, source="*")
        super().__init__(**kwargs)

    def to_representation(self, value) -> str:
        return absolute(self.context.get("request"), value.get_absolute_url())

    def lean_field(self, model, name: str) -> LeanField:
        return page_url(model)


@extend_schema_field(OpenApiTypes.URI)
class EndnoteUrlField(serializers.Field):
    """An endnote's API address, /api/endnotes/<document>/<number>/."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value) -> str:
        return endnote_api_url(value, self.context.get("request"))


def resolve_endnote_url(url: str) -> tuple[str, int] | None:
    """(document slug, number) from an endnote's API or page URL, or None."""
    try:
        match = resolve(urlparse(url).path)
    except Resolver404:
        return None
    if match.view_name in ("api:endnote-detail", "sources:endnote"):
        return match.kwargs["document"], int(match.kwargs["number"])
    return None


class CitationInlineListSerializer(serializers.ListSerializer):
    """A record's citations, read from ``CitedRecord.ordered_citations`` (the prefetch)."""

    def get_attribute(self, instance):
        return instance.ordered_citations

    def lean_field(self, model, name: str) -> LeanField:
        """The page's citations in one ``values()`` query, in the prefetch's order; each
        endnote's two addresses are built once per page (``PageContext.url``)."""

        def load(rows: list[dict], _) -> dict:
            return cited_endnote_keys(model, [row["pk"] for row in rows])

        def build(row: dict, context: PageContext) -> list[dict]:
            return [
                {
                    "document": document,
                    "number": number,
                    "pinpoint": pinpoint,
                    "passage": passage,
                    "url": context.url("api:endnote-detail", document=document, number=number),
                    "html_url": context.url("sources:endnote", document=document, number=number),
                }
                for document, number, pinpoint, passage in context.loaded[name].get(row["pk"], ())
            ]

        return LeanField((), build, load, reads=("sources.citation", "sources.endnote", "sources.document"))


class CitationInlineSerializer(serializers.Serializer):
    """One endnote a record cites; on input either ``url`` or ``document`` + ``number``."""

    class Meta:
        list_serializer_class = CitationInlineListSerializer

    document = serializers.SlugField(required=False, help_text="Slug of the endnote's document.")
    number = StrictIntegerField(min_value=1, required=False, help_text="The endnote's number.")
    pinpoint = StrictCharField(
        max_length=50, allow_blank=True, required=False, default="", help_text="Page within the note's work."
    )
    passage = serializers.CharField(
        allow_blank=True,
        required=False,
        help_text="The report's sentence(s) carrying the endnote's marker, verbatim; left out on input, kept.",
    )
    url = StrictCharField(
        required=False, help_text="The endnote's API URL; on input it may replace document and number."
    )
    html_url = StrictCharField(read_only=True, help_text="The endnote's page.")

    def to_representation(self, citation: Citation) -> dict:
        request = self.context.get("request")
        endnote = citation.endnote
        return {
            "document": endnote.document.slug,
            "number": endnote.number,
            "pinpoint": citation.pinpoint,
            "passage": citation.passage,
            "url": endnote_api_url(endnote, request),
            "html_url": absolute(request, endnote.get_absolute_url()),
        }

    def validate(self, attrs: dict) -> CitationSpec:
        document, number = attrs.get("document"), attrs.get("number")
        if attrs.get("url"):
            found = resolve_endnote_url(attrs["url"])
            if found is None:
                raise serializers.ValidationError({"url": ["url must be an endnote's API or page URL."]})
            if (document or found[0], number or found[1]) != found:
                raise serializers.ValidationError({"url": ["url names another endnote than document and number."]})
            document, number = found
        if not document or not number:
            raise serializers.ValidationError({"number": ["give the endnote's url, or its document and number."]})
        endnote = Endnote.objects.select_related("document").filter(document__slug=document, number=number).first()
        if endnote is None:
            raise serializers.ValidationError(
                {"number": [f"endnote {number} does not exist in document '{document}'."]}
            )
        return CitationSpec(endnote=endnote, pinpoint=attrs.get("pinpoint", ""), passage=attrs.get("passage"))


class CitedRecordSerializer(StrictModelSerializer):
    """Base for every cited record: ``url``, ``html_url`` and inline ``citations``.

    ``citations`` is optional on input: left out, a record keeps its citations; given,
    it replaces them (in the order sent).
    """

    html_url = HtmlUrlField()
    citations = CitationInlineSerializer(many=True, required=False)

    def validate_citations(self, specs: list[CitationSpec]) -> list[CitationSpec]:
        seen = set()
        for spec in specs:
            if spec.endnote.pk in seen:
                raise serializers.ValidationError(f"endnote {spec.endnote.number} is cited twice.")
            seen.add(spec.endnote.pk)
        return specs


class FuzzyDateSerializerMixin(serializers.Serializer):
    """``date`` as written, its EDTF, and the derived bounds (read-only)."""

    date = StrictCharField(
        source="date_text",
        max_length=100,
        allow_blank=True,
        required=False,
        help_text='The date exactly as the report words it, e.g. "around 2006". Empty: undated.',
    )
    date_edtf = StrictCharField(
        max_length=60,
        allow_blank=True,
        required=False,
        help_text="The same date in EDTF: 2015, 2015-11, 2008-12-11, 2006~, 2011/2012. Required with date.",
    )
    date_start = serializers.DateField(read_only=True, allow_null=True, help_text="Earliest day the date can mean.")
    date_end = serializers.DateField(read_only=True, allow_null=True, help_text="Latest day the date can mean.")
    date_precision = StrictCharField(read_only=True, help_text="day, month, season, year, decade or interval.")
    date_approximate = serializers.BooleanField(read_only=True)


class CslNameSerializer(serializers.Serializer):
    """A CSL name: ``{"family", "given"}`` for a person or ``{"literal"}`` for an organisation.

    Exactly one of the two shapes, nothing else: a name with both ``family`` and
    ``literal`` (or an unknown key) is refused rather than half-read, because the
    citation formats write a person and an organisation differently.
    """

    family = StrictCharField(required=False, max_length=200)
    given = StrictCharField(required=False, max_length=200)
    literal = StrictCharField(required=False, max_length=300)

    def to_internal_value(self, data):
        if isinstance(data, dict) and (unknown := sorted(set(data) - set(self.fields))):
            raise serializers.ValidationError(
                {key: "is not a CSL name part (family, given or literal)." for key in unknown}
            )
        return super().to_internal_value(data)

    def validate(self, attrs: dict) -> dict:
        person = {"family", "given"} & set(attrs)
        if "literal" in attrs and person:
            raise serializers.ValidationError(
                "a name is a person (family, given) or an organisation (literal), not both."
            )
        if "family" not in attrs and "literal" not in attrs:
            raise serializers.ValidationError("a name needs family (a person) or literal (an organisation).")
        return attrs


class DocumentSerializer(StrictModelSerializer):
    url = ApiUrlField(view_name="api:document-detail", lookup_field="slug")
    html_url = HtmlUrlField()
    authors = CslNameSerializer(many=True, read_only=True)
    web_url = StrictCharField(
        source="url", read_only=True, help_text="Where the document is published (URL), or empty."
    )
    endnote_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Document
        fields = [
            "url",
            "html_url",
            "slug",
            "title",
            "subtitle",
            "authors",
            "publisher",
            "date_edtf",
            "web_url",
            "endnote_count",
        ]


class EndnoteRefSerializer(StrictModelSerializer):
    """An endnote citing a source: its document, number, pinpoint and URLs."""

    document = serializers.SlugRelatedField(source="endnote.document", slug_field="slug", read_only=True)
    number = serializers.IntegerField(source="endnote.number", read_only=True)
    url = EndnoteUrlField(source="endnote")

    class Meta:
        model = EndnoteWork
        fields = ["document", "number", "pinpoint", "form", "url"]


class SourceSerializer(StrictModelSerializer):
    url = ApiUrlField(view_name="api:source-detail", lookup_field="slug")
    html_url = HtmlUrlField()
    authors = CslNameSerializer(many=True, required=False)
    editors = CslNameSerializer(many=True, required=False)
    # A CharField with a URL validator, not a URLField: "" (no URL) is valid here, and a
    # URLField would promise clients format "uri", which the empty string is not.
    web_url = StrictCharField(
        source="url",
        max_length=500,
        allow_blank=True,
        required=False,
        validators=[url_or_empty_validator()],
        help_text="Where the work is published (URL), or empty.",
    )
    endnotes = EndnoteRefSerializer(source="endnote_works", many=True, read_only=True)

    class Meta:
        model = Source
        fields = [
            "url",
            "html_url",
            "slug",
            "kind",
            "authors",
            "editors",
            "title",
            "container_title",
            "collection_title",
            "publisher",
            "publisher_place",
            "date_edtf",
            "web_url",
            "remarks",
            "endnotes",
        ]

    def validate_date_edtf(self, value: str) -> str:
        if value:
            parse_fuzzy_date(value)  # raises a ValidationError naming the rule
        return value


class EndnoteWorkSerializer(StrictModelSerializer):
    """A work an endnote cites; on input ``source`` (slug), ``pinpoint`` and ``form``."""

    source = SlugRelatedField(slug_field="slug", queryset=Source.objects.all())
    title = StrictCharField(source="source.title", read_only=True)
    url = ApiRelatedUrlField(source="source", view_name="api:source-detail", lookup_field="slug", read_only=True)

    class Meta:
        model = EndnoteWork
        fields = ["source", "pinpoint", "form", "title", "url"]
        extra_kwargs = {"pinpoint": {"required": False}, "form": {"required": False}}

    def validate(self, attrs: dict) -> WorkSpec:
        return WorkSpec(
            source=attrs["source"], pinpoint=attrs.get("pinpoint", ""), form=attrs.get("form", EndnoteWork.Form.FULL)
        )


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            'An "Ibid." note',
            request_only=True,
            value={
                "document": "csis-mtc-primer-2020",
                "number": 74,
                "text": "Ibid., 3.",
                "ibid_of": 73,
                "sources": [{"source": "meick-2017", "pinpoint": "3", "form": "ibid"}],
            },
        )
    ]
)
class EndnoteSerializer(StrictModelSerializer):
    url = EndnoteUrlField()
    html_url = HtmlUrlField()
    document = StrictSlugRelatedField(slug_field="slug", queryset=Document.objects.all())
    urls = serializers.ListField(child=StrictURLField(max_length=500), required=False)
    pages = StrictCharField(read_only=True, help_text="Pinpoint pages of the cited works, joined by '; '.")
    ibid_of = StrictIntegerField(
        source="ibid_of.number",
        allow_null=True,
        required=False,
        min_value=1,
        help_text='The number of the earlier note an "Ibid." repeats, or null.',
    )
    sources = EndnoteWorkSerializer(source="works", many=True, required=False)

    class Meta:
        model = Endnote
        fields = ["url", "html_url", "document", "number", "text", "urls", "pages", "ibid_of", "remarks", "sources"]
        validators = []  # the (document, number) rule is checked by the service with the model's message

    def to_internal_value(self, data):
        attrs = super().to_internal_value(data)
        if "ibid_of" in attrs:
            number = (attrs.pop("ibid_of") or {}).get("number")
            document = attrs.get("document") or getattr(self.instance, "document", None)
            ibid = None
            if number is not None:
                ibid = Endnote.objects.filter(document=document, number=number).first()
                if ibid is None:
                    raise serializers.ValidationError(
                        {"ibid_of": [f"endnote {number} does not exist in this document."]}
                    )
            attrs["ibid_of"] = ibid
        return attrs


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "An event citing note 50",
            request_only=True,
            value={
                "record_type": "event",
                "record": "1992-mtc-agreement",
                "document": "csis-mtc-primer-2020",
                "number": 50,
                "pinpoint": "2",
            },
        )
    ]
)
class CitationSerializer(StrictModelSerializer):
    """A citation as a resource: which record cites which endnote, with what pinpoint."""

    url = ApiUrlField(view_name="api:citation-detail")
    html_url = HtmlUrlField()
    record_type = StrictChoiceField(choices=list(CITED_RECORD_TYPES), help_text="What kind of record cites.")
    record = StrictSlugField(help_text="The citing record's slug.")
    record_url = serializers.URLField(read_only=True, help_text="The citing record's API URL.")
    document = StrictSlugField(help_text="Slug of the endnote's document.")
    number = StrictIntegerField(min_value=1, help_text="The endnote's number.")
    endnote_url = EndnoteUrlField(source="endnote")

    class Meta:
        model = Citation
        fields = [
            "url",
            "html_url",
            "id",
            "record_type",
            "record",
            "record_url",
            "document",
            "number",
            "endnote_url",
            "pinpoint",
            "passage",
            "position",
        ]
        extra_kwargs = {
            "position": {"min_value": 1, "required": False},
            "pinpoint": {"required": False},
            "passage": {"required": False},
        }

    def to_representation(self, citation: Citation) -> dict:
        request = self.context.get("request")
        record_type = record_type_of(citation.content_type.model_class())
        slug = getattr(citation, "record_slug", None) or citation.record.slug
        route = CITED_RECORD_TYPES[record_type][1]
        return {
            "url": api_reverse("api:citation-detail", kwargs={"pk": citation.pk}, request=request),
            "html_url": absolute(request, citation.get_absolute_url()),
            "id": citation.pk,
            "record_type": record_type,
            "record": slug,
            "record_url": api_reverse(f"api:{route}-detail", kwargs={"slug": slug}, request=request),
            "document": citation.endnote.document.slug,
            "number": citation.endnote.number,
            "endnote_url": endnote_api_url(citation.endnote, request),
            "pinpoint": citation.pinpoint,
            "passage": citation.passage,
            "position": citation.position,
        }

    def validate(self, attrs: dict) -> dict:
        if self.instance is not None:  # PATCH: what is not sent stays as it is
            current = self.to_representation(self.instance)
            attrs = {
                **{
                    k: current[k]
                    for k in ("record_type", "record", "document", "number", "pinpoint", "passage", "position")
                },
                **attrs,
            }
        label, _ = CITED_RECORD_TYPES[attrs["record_type"]]
        record = apps.get_model(label).objects.filter(slug=attrs["record"]).first()
        if record is None:
            raise serializers.ValidationError({"record": [f"no {attrs['record_type']} with slug '{attrs['record']}'."]})
        endnote = Endnote.objects.filter(document__slug=attrs["document"], number=attrs["number"]).first()
        if endnote is None:
            raise serializers.ValidationError(
                {"number": [f"endnote {attrs['number']} does not exist in document '{attrs['document']}'."]}
            )
        return {
            "record": record,
            "endnote": endnote,
            "pinpoint": attrs.get("pinpoint", ""),
            "passage": attrs.get("passage"),
            "position": attrs.get("position", 1),
        }
