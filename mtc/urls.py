"""URL routes: pages per app, the admin, and (later) the API under /api/."""

from django.contrib import admin
from django.urls import include, path

from aggregates.api import StatisticsView
from aggregates.views import statistics_page
from ground.health import healthz

handler400 = "ground.errors.bad_request"
handler403 = "ground.errors.permission_denied"
handler500 = "ground.errors.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("api/statistics/", StatisticsView.as_view(), name="api-statistics"),
    path("statistics/", statistics_page, name="statistics"),
    path("api/", include("mtc.api_urls", namespace="api")),
    path("", include("dataset.urls")),
    path("", include("timeline.urls")),
    path("", include("search.urls")),
    path("", include("sources.urls")),
]
