"""API views for documents, sources, endnotes and citations, and the cited-record base.

Citation export formats (BibTeX, RIS, CSL-JSON) plug in by extending
``CITATION_RENDERERS`` (or a view's ``renderer_classes``) with their renderers.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, CharField, Count, OuterRef, Prefetch, QuerySet, Subquery, When
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets

from ground.api_views import ApiViewMixin, LeanRetrieveMixin

from . import services
from .filters import CitationFilterSet, DocumentFilterSet, EndnoteFilterSet, SourceFilterSet
from .models import Citation, Document, Endnote, EndnoteWork, Source
from .renderers import CitationFormatsMixin
from .serializers import CITED_RECORD_TYPES, CitationSerializer, DocumentSerializer, EndnoteSerializer, SourceSerializer

#: Renderers of the source and endnote lists; citation formats are appended here.
CITATION_RENDERERS = list(ApiViewMixin.renderer_classes)


class ReadOnlyApiViewSet(LeanRetrieveMixin, ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"


class CitedRecordViewSet(LeanRetrieveMixin, ApiViewMixin, viewsets.ModelViewSet):
    """List, read, create, update, delete a cited record through its write service.

    What a GET returns can be PUT back: read-only fields are ignored, ``citations`` are
    resolved from their ``url`` or ``document`` + ``number``.
    """

    lookup_field = "slug"
    #: Many-to-many fields the serializer writes (handed to the service apart).
    m2m_fields: tuple[str, ...] = ()
    save_service = staticmethod(services.cited_record_save)

    def perform_create(self, serializer):
        self._save(serializer, self.get_queryset().model())

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance)

    def perform_destroy(self, instance):
        services.record_delete(instance=instance)

    def _save(self, serializer, instance) -> None:
        data = dict(serializer.validated_data)
        citations = data.pop("citations", None)
        m2m = {name: data.pop(name) for name in self.m2m_fields if name in data}
        saved = self.save_service(instance=instance, fields=data, m2m=m2m, citations=citations)
        serializer.instance = self.get_queryset().get(pk=saved.pk)


class DocumentViewSet(ReadOnlyApiViewSet):
    """The reports whose endnotes the knowledge base keeps (read-only)."""

    queryset = Document.objects.annotate(endnote_count=Count("endnotes")).order_by("slug")
    serializer_class = DocumentSerializer
    filterset_class = DocumentFilterSet


class SourceViewSet(CitationFormatsMixin, ApiViewMixin, viewsets.ModelViewSet):
    """The deduplicated works the endnotes cite."""

    queryset = Source.objects.prefetch_related(
        Prefetch("endnote_works", queryset=EndnoteWork.objects.select_related("endnote__document"))
    )
    serializer_class = SourceSerializer
    filterset_class = SourceFilterSet
    lookup_field = "slug"
    renderer_classes = CITATION_RENDERERS

    def perform_create(self, serializer):
        saved = services.source_save(instance=Source(), fields=dict(serializer.validated_data))
        serializer.instance = self.get_queryset().get(pk=saved.pk)

    def perform_update(self, serializer):
        saved = services.source_save(instance=serializer.instance, fields=dict(serializer.validated_data))
        serializer.instance = self.get_queryset().get(pk=saved.pk)

    def perform_destroy(self, instance):
        services.record_delete(instance=instance)


ENDNOTE_PATH_PARAMETERS = [
    OpenApiParameter("document", OpenApiTypes.STR, OpenApiParameter.PATH, description="The document's slug."),
    OpenApiParameter("number", OpenApiTypes.INT, OpenApiParameter.PATH, description="The endnote's number."),
]


@extend_schema_view(
    retrieve=extend_schema(parameters=ENDNOTE_PATH_PARAMETERS),
    update=extend_schema(parameters=ENDNOTE_PATH_PARAMETERS),
    partial_update=extend_schema(parameters=ENDNOTE_PATH_PARAMETERS),
    destroy=extend_schema(parameters=ENDNOTE_PATH_PARAMETERS),
)
class EndnoteViewSet(CitationFormatsMixin, ApiViewMixin, viewsets.ModelViewSet):
    """Endnotes exactly as printed, addressed by document and number."""

    queryset = Endnote.objects.select_related("document", "ibid_of").prefetch_related(
        Prefetch("works", queryset=EndnoteWork.objects.select_related("source"))
    )
    serializer_class = EndnoteSerializer
    filterset_class = EndnoteFilterSet
    renderer_classes = CITATION_RENDERERS
    #: Two lookups (see ``mtc.api_urls.Router``): /api/endnotes/<document>/<number>/.
    lookup_url_kwargs = {"document": "[-a-zA-Z0-9_]+", "number": "[0-9]+"}

    def get_object(self) -> Endnote:
        endnote = get_object_or_404(
            self.get_queryset(), document__slug=self.kwargs["document"], number=int(self.kwargs["number"])
        )
        self.check_object_permissions(self.request, endnote)
        return endnote

    def _save(self, serializer, instance: Endnote) -> None:
        data = dict(serializer.validated_data)
        works = data.pop("works", None)
        saved = services.endnote_save(instance=instance, fields=data, works=works)
        serializer.instance = self.get_queryset().get(pk=saved.pk)

    def perform_create(self, serializer):
        self._save(serializer, Endnote())

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance)

    def perform_destroy(self, instance):
        services.record_delete(instance=instance)


def citations_with_record_slugs() -> QuerySet[Citation]:
    """Citations annotated with ``record_slug`` in one query, whatever kinds of record cite.

    (``prefetch_related("record")`` would run one query per kind present on the page.)
    """
    models = [apps.get_model(label) for label, _ in CITED_RECORD_TYPES.values()]
    content_types = ContentType.objects.get_for_models(*models)
    slug = Case(
        *[
            When(
                content_type=content_types[model],
                then=Subquery(model.objects.filter(pk=OuterRef("object_id")).values("slug")[:1]),
            )
            for model in models
        ],
        output_field=CharField(),
    )
    return Citation.objects.select_related("content_type", "endnote__document").annotate(record_slug=slug)


class CitationViewSet(ApiViewMixin, viewsets.ModelViewSet):
    """Which record cites which endnote; also editable inline on each record."""

    # For schema generation, which must not touch the database (content types).
    queryset = Citation.objects.none()

    def get_queryset(self) -> QuerySet[Citation]:
        if getattr(self, "swagger_fake_view", False):
            return Citation.objects.none()
        return citations_with_record_slugs()

    serializer_class = CitationSerializer
    filterset_class = CitationFilterSet

    def perform_create(self, serializer):
        saved = services.citation_save(instance=Citation(), **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=saved.pk)

    def perform_update(self, serializer):
        saved = services.citation_save(instance=serializer.instance, **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=saved.pk)

    def perform_destroy(self, instance):
        services.record_delete(instance=instance)
