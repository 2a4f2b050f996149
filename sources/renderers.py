"""DRF renderers for citation formats, and a mixin giving a viewset ``?format=bibtex|ris|csljson``.

The renderers turn a ``citing.CitationSet`` into BibTeX, RIS or CSL-JSON with the right
media type and a ``Content-Disposition`` download file name. ``CitationFormatsMixin``
makes a list or detail view of sources, endnotes or cited records answer those formats
with a citation set instead of its serializer's JSON. A list is cited whole (every
filtered row) unless ``page``/``page_size`` ask for one page; whole, it is bounded for
anonymous clients (``ground.exports``, ``EXPORT_ANON_MAX_ROWS``), and a list of records is
cited through one query for the endnotes they rest on, without loading the records.
"""

from __future__ import annotations

import json

from django.conf import settings
from rest_framework.renderers import BaseRenderer
from rest_framework.response import Response

from ground.exports import check_export_size, wants_whole_selection

from . import citing
from .cited_record import record_type_of
from .models import Endnote, Source
from .selectors import citable_endnotes, endnotes_cited_by


class CitationRenderer(BaseRenderer):
    charset = "utf-8"
    citation_format = ""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if not isinstance(data, citing.CitationSet):
            # An error (404, throttling, bad filter): keep DRF's message readable.
            return json.dumps(data, ensure_ascii=False).encode(self.charset)
        response = (renderer_context or {}).get("response")
        if response is not None:
            filename = citing.download_filename(data, self.citation_format)
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
        text = citing.render(data, self.citation_format)
        if not text.strip():
            # An empty selection still answers with a body (DRF drops the Content-Type of
            # an empty one): a BibTeX comment, or a blank line for RIS.
            text = "% Nothing is cited by this selection.\n" if self.citation_format == "bibtex" else "\n"
        return text.encode(self.charset)


class BibTeXRenderer(CitationRenderer):
    media_type = "application/x-bibtex"
    format = citation_format = "bibtex"


class RISRenderer(CitationRenderer):
    media_type = "application/x-research-info-systems"
    format = citation_format = "ris"


class CSLJSONRenderer(CitationRenderer):
    media_type = "application/vnd.citationstyles.csl+json"
    format = citation_format = "csljson"


CITATION_RENDERERS = (BibTeXRenderer, RISRenderer, CSLJSONRenderer)
CITATION_FORMATS = {r.format for r in CITATION_RENDERERS}


def cite_selection(queryset) -> citing.CitationSet:
    """The citation set of a filtered list: its sources, its endnotes, or the endnotes its records cite."""
    model = queryset.model
    if issubclass(model, Source):
        return citing.for_sources(queryset.iterator(chunk_size=settings.EXPORT_CHUNK_SIZE))
    if issubclass(model, Endnote):
        return citing.for_endnotes(citable_endnotes().filter(pk__in=queryset.order_by().values("pk")))
    return citing.for_endnotes(endnotes_cited_by(queryset), filename=f"{record_type_of(model)}-endnotes")


class CitationFormatsMixin:
    """Put before ``viewsets.ReadOnlyModelViewSet`` (or any list/retrieve view set)."""

    def get_renderers(self):
        return [*super().get_renderers(), *(renderer() for renderer in CITATION_RENDERERS)]

    def _wants_citation(self) -> bool:
        return getattr(self.request.accepted_renderer, "format", None) in CITATION_FORMATS

    def list(self, request, *args, **kwargs):
        if not self._wants_citation():
            return super().list(request, *args, **kwargs)
        queryset = self.filter_queryset(self.get_queryset())
        if wants_whole_selection(request):
            count = queryset.count()
            check_export_size(request, count)
        else:
            page = self.paginate_queryset(queryset)
            count = len(page)
            queryset = queryset.filter(pk__in=[obj.pk for obj in page])
        if not count:
            return Response(citing.CitationSet(title="Nothing selected", filename="empty"))
        return Response(cite_selection(queryset))

    def retrieve(self, request, *args, **kwargs):
        if not self._wants_citation():
            return super().retrieve(request, *args, **kwargs)
        return Response(citing.for_objects([self.get_object()], request=request, detail=True))
