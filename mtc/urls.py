"""URL routes: pages per app, the admin, and (later) the API under /api/."""

from django.contrib import admin
from django.urls import include, path

from mtc.health import healthz
from periods.statistics_api import StatisticsView
from periods.statistics_views import statistics_page

handler400 = "mtc.errors.bad_request"
handler403 = "mtc.errors.permission_denied"
handler500 = "mtc.errors.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("api/statistics/", StatisticsView.as_view(), name="api-statistics"),
    path("statistics/", statistics_page, name="statistics"),
    path("api/", include("mtc.api_urls", namespace="api")),
    path("", include("periods.urls")),
    path("", include("transfers.urls")),
    path("", include("sources.urls")),
]
