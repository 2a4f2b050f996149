"""The API under /api/: one router for every resource, the schema and its viewers."""

from __future__ import annotations

from csp.decorators import csp_update
from django.http import JsonResponse
from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from periods.api import (
    ActorViewSet,
    AnalysisViewSet,
    EventViewSet,
    FigureViewSet,
    PeriodViewSet,
    PolicyOptionViewSet,
)
from search.api import SearchViewSet
from sources.api import CitationViewSet, DocumentViewSet, EndnoteViewSet, SourceViewSet
from systems.api import SystemViewSet
from timeline.api import TimelineViewSet
from transfers.api import ProjectViewSet, TransferViewSet

app_name = "api"


class Router(DefaultRouter):
    """A DefaultRouter that also knows composite lookups.

    A viewset with ``lookup_url_kwargs = {"document": regex, "number": regex}`` gets
    detail URLs with both parts (/endnotes/<document>/<number>/): an endnote is
    identified by its document and number, as printed, not by a database id.
    """

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        parts = getattr(viewset, "lookup_url_kwargs", None)
        if parts:
            return "/".join(f"(?P<{lookup_prefix}{name}>{regex})" for name, regex in parts.items())
        return super().get_lookup_regex(viewset, lookup_prefix)


router = Router()
router.register("periods", PeriodViewSet, basename="period")
router.register("events", EventViewSet, basename="event")
router.register("transfers", TransferViewSet, basename="transfer")
router.register("projects", ProjectViewSet, basename="project")
router.register("figures", FigureViewSet, basename="figure")
router.register("actors", ActorViewSet, basename="actor")
router.register("policy-options", PolicyOptionViewSet, basename="policyoption")
router.register("analyses", AnalysisViewSet, basename="analysis")
router.register("documents", DocumentViewSet, basename="document")
router.register("sources", SourceViewSet, basename="source")
router.register("endnotes", EndnoteViewSet, basename="endnote")
router.register("citations", CitationViewSet, basename="citation")
router.register("timeline", TimelineViewSet, basename="timeline")
router.register("search", SearchViewSet, basename="search")
router.register("systems", SystemViewSet, basename="system")


@csrf_exempt  # an unsafe method on an unknown address is a 404, not a CSRF failure page
def not_found(request, path=""):
    """Unknown /api/ addresses answer in JSON like the API, not with the site's HTML 404."""
    return JsonResponse({"detail": "Not found."}, status=404)


# Swagger UI's start-up script is served from ?script (the split view), so the page keeps
# script-src 'self'. ReDoc's styled-components insert <style> elements and its search
# runs in a blob: worker: that page alone allows both (no stored text reaches it).
swagger_view = SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html")
redoc_view = csp_update({"style-src": ["'unsafe-inline'"], "worker-src": ["'self'", "blob:"]})(
    SpectacularRedocView.as_view(url_name="api:schema", template_name="api/redoc.html")
)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", swagger_view, name="docs"),
    path("redoc/", redoc_view, name="redoc"),
    *router.urls,
    re_path(r"^(?P<path>[\s\S]*)$", not_found),  # any character, newlines too
]
