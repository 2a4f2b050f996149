"""``/api/search/``: the search page's results as data (JSON, CSV), from the same selector."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.response import Response

from ground.api_views import ApiViewMixin
from ground.filtersets import FilterSet
from ground.models import SearchEntry

from . import selectors
from .forms import SearchForm


class SearchParams(FilterSet):
    """The search page's parameters (validated by ``SearchForm``; listed here for the schema)."""

    q = django_filters.CharFilter(
        label='Words, as on /search/: every word; "a phrase", -exclude, or; S400 = S-400; defence = defense.'
    )
    type = django_filters.ChoiceFilter(choices=list(selectors.KIND_LABELS.items()), label="Only this kind.")
    period = django_filters.CharFilter(label="Only entries of this period (slug).")
    system = django_filters.CharFilter(label="Only entries concerning this weapon system (slug).")

    class Meta:
        model = SearchEntry
        fields: list[str] = []


class HitSerializer(serializers.Serializer):
    kind = serializers.CharField()
    key = serializers.CharField(help_text="The slug (document/number for an endnote).")
    title = serializers.CharField()
    snippet = serializers.CharField(help_text="HTML: escaped public text with <mark> around the matches.")
    html_url = serializers.SerializerMethodField(help_text="The page of the entry.")
    date = serializers.CharField(source="date_text")
    period = serializers.CharField()

    def get_html_url(self, hit) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(hit.url) if request else hit.url


class SearchViewSet(ApiViewMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Entries matching ``q``, best first, with facet counts (type, period, system).

    The same selector as ``/search/``; ``q`` means what it means on every list's ``q``.
    When the words find nothing, ``suggestion`` holds the nearest spelling the index
    knows and ``searched`` the query the results answer.
    """

    queryset = SearchEntry.objects.none()
    serializer_class = HitSerializer
    filterset_class = SearchParams  # documents the parameters; SearchForm validates them
    keyset_after = False  # ranked by relevance: pages by number only

    def get_serializer(self, *args, **kwargs):
        return HitSerializer(*args, **kwargs)

    @extend_schema(parameters=[], responses=HitSerializer(many=True))
    def list(self, request, *args, **kwargs):
        form = SearchForm(request.query_params)
        if not form.is_valid():
            raise exceptions.ValidationError({name: list(errors) for name, errors in form.errors.items()})
        filters = form.filters()
        page_size = self.paginator.get_page_size(request) if self.paginator else selectors.PAGE_SIZE
        results = selectors.search(filters, page=request.query_params.get("page") or 1, page_size=page_size)
        data = {
            "count": results.total,
            "count_exact": True,  # every match is ranked, so counted
            "searched": results.searched,
            "suggestion": results.suggestion,
            "facets": {
                name: [{"value": f.value, "label": f.label, "count": f.count} for f in values]
                for name, values in results.facets.items()
            },
            "results": HitSerializer(results.hits, many=True, context={"request": request}).data,
        }
        return Response(data)
