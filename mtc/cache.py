"""A response cache for anonymous reads that can never serve data older than a write.

Every cached response is keyed on ``DataVersion.version``, which every content write
bumps inside its own transaction (``periods.changes``). A request reads the version
first (one primary-key lookup); once a write has committed, every later request sees
the new version and so misses every entry made before it. Nothing has to be deleted
or invalidated, so the cache stays correct across processes and machines, whether the
backend is per-process memory (default) or a shared Redis (``CACHE_URL``).

Only anonymous GET/HEAD requests are cached (no session, no Authorization header),
and only plain 200 responses that set no cookie and are not marked private. Hits still
count against the anonymous API throttle, and honour ``If-None-Match``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from rest_framework.throttling import AnonRateThrottle

from periods.models import DataVersion

PRIVATE_COOKIES = ("sessionid", "messages")


def _is_anonymous(request) -> bool:
    cookies = request.COOKIES
    return (
        "HTTP_AUTHORIZATION" not in request.META
        and settings.SESSION_COOKIE_NAME not in cookies
        and not any(name in cookies for name in PRIVATE_COOKIES)
    )


def _cacheable(response: HttpResponse) -> bool:
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


class AnonymousReadCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.cache = caches[settings.RESPONSE_CACHE_ALIAS]
        self.timeout = settings.RESPONSE_CACHE_SECONDS
        self.excluded = tuple(settings.RESPONSE_CACHE_EXCLUDED_PREFIXES)

    def __call__(self, request):
        if (
            request.method not in ("GET", "HEAD")
            or not self.timeout
            or request.path.startswith(self.excluded)
            or not _is_anonymous(request)
        ):
            return self.get_response(request)
        version = DataVersion.objects.filter(id=1).values_list("version", flat=True).first() or 0
        headers = request.headers
        key = "|".join(
            ["resp", str(version), request.method, request.get_full_path(), headers.get("Accept", ""),
             headers.get("Origin", "")]
        )  # fmt: skip
        cached = self.cache.get(key)
        if cached is not None:
            if request.path.startswith("/api/"):
                request.user = AnonymousUser()  # known: no session, no credentials
                if not AnonRateThrottle().allow_request(request, None):
                    return self.get_response(request)  # let DRF answer 429 with its usual body
            conditional = get_conditional_response(request, etag=cached.get("ETag"))
            cached["X-Cache"] = "hit"
            return conditional or cached
        response = self.get_response(request)
        if _cacheable(response):
            self.cache.set(key, _plain_copy(response), self.timeout)
            response["X-Cache"] = "miss"
        return response


def _plain_copy(response) -> HttpResponse:
    """Bytes and headers only: a DRF response would pickle its serializer and models too."""
    if hasattr(response, "render") and not getattr(response, "is_rendered", True):
        response.render()
    copy = HttpResponse(response.content, status=response.status_code)
    for header, value in response.items():
        copy[header] = value
    return copy
