"""Error responses outside DRF's own handling: JSON under ``/api/``, the site's pages elsewhere.

DRF answers the errors it knows (validation, permissions, throttling...) as
``{"detail": ...}`` JSON. Everything else ends in Django's error handlers: an
unexpected exception (500), the database going away (here 503, whether it happened in
the view or earlier, e.g. when a write's transaction is opened), a request
body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (413) or another suspicious request (400).
These handlers (wired in ``mtc.urls``) keep the API's shape for all of them, so a client
always gets ``{"detail": "..."}`` with a status it can act on.
"""

from __future__ import annotations

import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults

API_PREFIX = "/api/"
DATABASE_DOWN = (OperationalError, InterfaceError)


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def too_large_detail() -> str:
    return f"The request body is larger than the limit of {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes."


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        if is_api(request):
            return JsonResponse({"detail": too_large_detail()}, status=413)
        return HttpResponse(too_large_detail(), status=413, content_type="text/plain; charset=utf-8")
    if is_api(request):
        return JsonResponse({"detail": "Bad request."}, status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):
        return JsonResponse({"detail": "You do not have permission to perform this action."}, status=403)
    return defaults.permission_denied(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """500, or 503 when the exception being handled is the database being unreachable."""
    database_down = isinstance(sys.exc_info()[1], DATABASE_DOWN)
    if database_down:
        detail = "The database is unreachable; try again shortly."
        if is_api(request):
            return JsonResponse({"detail": detail}, status=503, headers={"Retry-After": "5"})
        return HttpResponse(detail, status=503, content_type="text/plain; charset=utf-8", headers={"Retry-After": "5"})
    if is_api(request):
        return JsonResponse({"detail": "A server error occurred."}, status=500)
    return defaults.server_error(request)
