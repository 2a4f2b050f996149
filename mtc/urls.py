"""URL routes: pages per app, the admin, and (later) the API under /api/."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("mtc.api_urls", namespace="api")),
    path("", include("periods.urls")),
    path("", include("transfers.urls")),
    path("", include("sources.urls")),
]
