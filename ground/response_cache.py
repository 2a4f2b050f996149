"""A response cache for anonymous reads that can never serve data older than a write.

Every cached response is keyed on ``DataVersion.version``, which every content write
bumps inside its own transaction (``ground.change_bus``). A request reads the version
first (one primary-key lookup); once a write has committed, every later request sees
the new version and so misses every entry made before it. Nothing has to be deleted
or invalidated, so the cache stays correct across processes and machines, whether the
backend is per-process memory (default) or a shared Redis (``CACHE_URL``).

Only anonymous GET/HEAD requests are cached (no session, no Authorization header),
and only plain 200 responses that set no cookie and are not marked private. Hits still
count against the anonymous API throttle, and honour ``If-None-Match``.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.utils.cache import get_conditional_response

from ground.models import DataVersion
from ground.throttling import AnonWindowThrottle

logger = logging.getLogger(__name__)
PRIVATE_COOKIES = ("sessionid", "messages")
VERSION_SQL = f"SELECT version, changed_at FROM {DataVersion._meta.db_table} WHERE id = 1"


class VersionStamp(NamedTuple):
    version: int
    changed_at: datetime.datetime | None


class _ReadOnce:
    """The version a read request reads at: read when first asked for, then kept."""

    stamp: VersionStamp | None = None


_request_reads: ContextVar[_ReadOnce | None] = ContextVar("request_reads", default=None)


def live_version() -> int:
    """The committed data version, read on every anonymous request, so kept cheap."""
    return live_stamp().version


def live_stamp() -> VersionStamp:
    """The committed data version and when it changed; within a read request, as first
    read in it (see ``version_read_once``)."""
    reads = _request_reads.get()
    if reads is None:
        return _read_stamp_retrying()
    if reads.stamp is None:
        reads.stamp = _read_stamp_retrying()
    return reads.stamp


@contextmanager
def version_read_once() -> Iterator[None]:
    """While a read request is answered, read the data version once, when first needed.

    A page asks for it several times (the response cache, each fragment, the API's
    ETag); a GET writes nothing, so one read serves them all, and a request that needs
    none (caches off) reads none.
    """
    token = _request_reads.set(_ReadOnce())
    try:
        yield
    finally:
        _request_reads.reset(token)


def _read_stamp_retrying() -> VersionStamp:
    """Raw SQL because building the ORM query cost more than running it (about half of a
    cache hit, measured with cProfile). The read doubles as the connection's health
    check: Django's would spend one more round trip (``SELECT 1``) per request, so it is
    marked done, and a persistent connection the server dropped since the last request
    (restart, idle timeout) is closed and the read retried once on a new one.
    """
    try:
        return _read_stamp()
    except (OperationalError, InterfaceError):
        if connection.in_atomic_block:
            raise
        connection.close()
        return _read_stamp()


def _read_stamp() -> VersionStamp:
    connection.health_check_done = True
    with connection.cursor() as cursor:
        cursor.execute(VERSION_SQL)
        row = cursor.fetchone()
    return VersionStamp(*row) if row else VersionStamp(0, None)


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
        if request.method not in ("GET", "HEAD") or request.path.startswith(self.excluded):
            return self.get_response(request)
        with version_read_once():
            if not self.timeout or not _is_anonymous(request):
                return self.get_response(request)
            return self._answer(request, live_version())

    def _answer(self, request, version: int):
        key = _key(version, request)
        cached = self._call(self.cache.get, key)
        if cached is not None:
            if request.path.startswith("/api/"):
                request.user = AnonymousUser()  # known: no session, no credentials
                if not AnonWindowThrottle().allow_request(request, None):
                    return self.get_response(request)  # let DRF answer 429 with its usual body
            cached["X-Cache"] = "hit"
            if _asks_conditionally(request):
                return get_conditional_response(request, etag=cached.get("ETag"), response=cached)
            return cached
        response = self.get_response(request)
        if _cacheable(response):
            self._call(self.cache.set, key, _plain_copy(response), self.timeout)
            response["X-Cache"] = "miss"
        return response

    @staticmethod
    def _call(method, *args):
        """A cache call that cannot fail the request: a shared cache that is down is a miss.

        Its client's socket timeouts (``CACHE_TIMEOUT_SECONDS``) bound the wait.
        """
        try:
            return method(*args)
        except Exception:
            logger.warning("Response cache unavailable; serving without it.", exc_info=True)
            return None


def _key(version: int, request) -> str:
    """Version, scheme, host, method, full path and the headers responses vary on, hashed.

    Scheme and host because responses carry absolute links built from them
    (``build_absolute_uri``): without them one request with another allowed ``Host``
    (or ``X-Forwarded-Proto`` behind a proxy) would plant its links for every client.

    Hashed so that a long query string cannot exceed a backend's key limit (memcached's
    250 bytes) and key validation stays cheap.
    """
    meta = request.META
    parts = (str(version), request.scheme, request.get_host(), request.method, request.get_full_path(),
             meta.get("HTTP_ACCEPT", ""), meta.get("HTTP_ORIGIN", ""))  # fmt: skip
    return "resp:" + hashlib.blake2b("\x1f".join(parts).encode(), digest_size=20).hexdigest()


def _asks_conditionally(request) -> bool:
    meta = request.META
    return "HTTP_IF_NONE_MATCH" in meta or "HTTP_IF_MODIFIED_SINCE" in meta


def _plain_copy(response) -> HttpResponse:
    """Bytes and headers only: a DRF response would pickle its serializer and models too."""
    if hasattr(response, "render") and not getattr(response, "is_rendered", True):
        response.render()
    copy = HttpResponse(response.content, status=response.status_code)
    for header, value in response.items():
        copy[header] = value
    return copy
