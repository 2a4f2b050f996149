"""URL routes: pages per app, the admin, and (later) the API under /api/."""

from django.contrib import admin
from django.urls import include, path

from mtc.health import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("", include("periods.urls")),
    path("", include("transfers.urls")),
    path("", include("sources.urls")),
]
