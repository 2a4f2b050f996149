"""``/api/timeline/``: the merged timeline, from the same query and selector as the home page."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, viewsets
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response

from ground.api_views import ApiViewMixin
from ground.renderers import CSVRenderer, TimelineJSRenderer
from periods.models import Period
from periods.serializers import PeriodSerializer
from transfers.models import Transfer

from . import selectors
from .filters import TimelineFilterSet, timeline_query
from .serializers import TimelineItemSerializer, TimelineJSSerializer


class TimelineViewSet(ApiViewMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Every dated record in one chronological feed (``undated=1`` adds the undated ones).

    The filters are the home page's, with the same meaning (``timeline.filters``).
    ``?format=timelinejs`` returns the whole filtered timeline (not one page) as a
    TimelineJS3 document: periods as eras, records as events.
    """

    queryset = Transfer.objects.none()  # for schema introspection of the filters only
    serializer_class = TimelineItemSerializer
    filterset_class = TimelineFilterSet
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, CSVRenderer, TimelineJSRenderer]

    @extend_schema(
        responses={
            (200, "application/json"): TimelineItemSerializer(many=True),
            (200, "text/csv"): TimelineItemSerializer(many=True),
            (200, "text/html"): TimelineItemSerializer(many=True),
            (200, TimelineJSRenderer.media_type): OpenApiResponse(
                TimelineJSSerializer, description="TimelineJS3 JSON: the whole filtered timeline, not one page."
            ),
        }
    )
    def list(self, request, *args, **kwargs):
        query = timeline_query(request.query_params, request=request, empty_range_selects_nothing=True)
        if query.problems:
            raise exceptions.ValidationError(query.problems)
        records = selectors.timeline(query)
        if request.accepted_renderer.format == TimelineJSRenderer.format:
            periods = [query.period] if query.period else Period.objects.all()
            return Response(
                {
                    "periods": PeriodSerializer(periods, many=True, context=self.get_serializer_context()).data,
                    "results": self.get_serializer(records.records(), many=True).data,
                }
            )
        page = self.paginate_queryset(records)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
