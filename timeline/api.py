"""``/api/timeline/``: the merged timeline, from the same query and selector as the home page."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, viewsets
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.response import Response

from ground.api_views import ApiViewMixin
from ground.exports import check_export_size, serialized, streaming, streaming_csv, wants_whole_selection
from ground.json_renderer import JSONRenderer
from ground.renderers import CSVRenderer, TimelineJSRenderer, csv_cell, csv_header
from periods.models import Period
from periods.serializers import PeriodSerializer
from transfers.models import Transfer

from . import selectors
from .filters import TimelineFilterSet, timeline_query
from .serializers import TimelineItemSerializer, TimelineJSSerializer


class TimelineViewSet(ApiViewMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Every dated record in one chronological feed (``undated=1`` adds the undated ones).

    The filters are the home page's, with the same meaning (``timeline.filters``). It
    pages by number only: the feed merges several tables, so there is no one index for
    ``after`` to continue on.
    ``?format=timelinejs`` returns the whole filtered timeline as a TimelineJS3 document
    (periods as eras, records as events), streamed (``ground.exports``); with
    ``page``/``page_size`` that page. CSV likewise.
    """

    queryset = Transfer.objects.none()  # for schema introspection of the filters only
    serializer_class = TimelineItemSerializer
    filterset_class = TimelineFilterSet
    keyset_after = False  # pages by number only (see above)
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, CSVRenderer, TimelineJSRenderer]

    @extend_schema(
        responses={
            (200, "application/json"): TimelineItemSerializer(many=True),
            (200, "text/csv"): TimelineItemSerializer(many=True),
            (200, "text/html"): TimelineItemSerializer(many=True),
            (200, TimelineJSRenderer.media_type): OpenApiResponse(
                TimelineJSSerializer,
                description="TimelineJS3 JSON: the whole filtered timeline, or one page with page/page_size.",
            ),
        }
    )
    def list(self, request, *args, **kwargs):
        query = timeline_query(request.query_params, request=request, empty_range_selects_nothing=True)
        if query.problems:
            raise exceptions.ValidationError(query.problems)
        records = selectors.timeline(query)
        fmt = request.accepted_renderer.format
        if fmt in (TimelineJSRenderer.format, CSVRenderer.format) and wants_whole_selection(request):
            return self._export(records, fmt, query)
        page = self.paginate_queryset(records)
        if fmt == TimelineJSRenderer.format:
            return Response({"periods": self._periods(query), "results": self.get_serializer(page, many=True).data})
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def _periods(self, query) -> list[dict]:
        periods = [query.period] if query.period else Period.objects.all()
        return PeriodSerializer(periods, many=True, context=self.get_serializer_context()).data

    def _export(self, records: selectors.MergedTimeline, fmt: str, query):
        """The whole filtered timeline, streamed (``ground.exports``); bounded for anonymous clients."""
        count = records.count()
        check_export_size(self.request, count)
        items = serialized(self, records.iterator(chunk_size=settings.EXPORT_CHUNK_SIZE))
        if fmt == CSVRenderer.format:
            return streaming_csv(header=csv_header(self), rows=items, cell=csv_cell, filename="timeline", count=count)
        chunks = TimelineJSRenderer.stream(self._periods(query), items)
        return streaming(chunks, content_type=TimelineJSRenderer.media_type, count=count)
