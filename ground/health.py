"""``/healthz``: is the database reachable, the broker reachable, the data fresh?

Load balancers and operators poll it. It answers 200 when every dependency works and
503 (with the same JSON report) when one does not: ``"down"`` when the database is
unreachable (nothing can be served), ``"degraded"`` when the broker or the shared cache
is (reads and writes still work; statistics catch up later). Stale statistics are
reported, never fatal.

It must answer within ``HEALTH_PROBE_TIMEOUT_SECONDS`` in every fault, including a
dependency that accepts connections and never answers (a stopped Redis): each probe
runs with its own socket timeouts and, in case a client library ignores them, under
a deadline in a worker thread. Like every read it runs outside any transaction
(``ground.middleware.AtomicWritesMiddleware``), so no database connection is opened
(and failed with HTML) before it runs.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from celery import current_app as app
from django.conf import settings
from django.core.cache import caches
from django.db import close_old_connections, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from .models import DataVersion

#: Probes that talk to the network run here, so a hung one cannot hold the request.
_probes = ThreadPoolExecutor(max_workers=4, thread_name_prefix="healthz")

#: Dependencies whose failure makes the answer a 503 (the apps' probes only report).
DEPENDENCIES = ("database", "broker", "cache")


def _bounded(probe: Callable[[float], dict], seconds: float) -> dict:
    """``probe(seconds)`` or, past the deadline, a failure naming the timeout."""
    future = _probes.submit(probe, seconds)
    try:
        return future.result(timeout=seconds)
    except FutureTimeout:
        return {"ok": False, "error": f"no answer within {seconds:g} s"}


def database() -> dict:
    """In the request's thread (a test's transaction is visible only there); bounded by ``connect_timeout``."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        version = DataVersion.current()
        return {"ok": True, "data_version": version.version}
    except Exception as exc:  # noqa: BLE001 - any driver error means unreachable to a probe
        close_old_connections()
        return {"ok": False, "error": exc.__class__.__name__}


def _broker_probe(seconds: float) -> dict:
    options = {"socket_timeout": seconds, "socket_connect_timeout": seconds, "max_retries": 0}
    try:
        with app.connection_for_write(settings.CELERY_BROKER_URL, transport_options=options) as conn:
            conn.ensure_connection(max_retries=0, timeout=seconds)
            client = getattr(conn.default_channel, "client", None)
            if client is not None and hasattr(client, "ping"):
                client.ping()  # a round trip: a hung broker accepts connections but never answers
        return {"ok": True, "mode": "broker"}
    except Exception as exc:  # noqa: BLE001 - kombu raises transport-specific errors
        return {"ok": False, "mode": "broker", "error": exc.__class__.__name__}


def broker(seconds: float) -> dict:
    if not settings.CELERY_BROKER_URL:
        return {"ok": True, "mode": "in-process (no broker configured)"}
    return _bounded(_broker_probe, seconds)


def _cache_probe(seconds: float) -> dict:
    try:
        caches["default"].get("healthz-probe")
        return {"ok": True, "backend": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]}
    except Exception as exc:  # noqa: BLE001 - redis-py raises its own connection and timeout errors
        return {"ok": False, "error": exc.__class__.__name__}


def cache(seconds: float) -> dict:
    if "locmem" in settings.CACHES["default"]["BACKEND"].lower():
        return {"ok": True, "backend": "per-process memory"}
    return _bounded(_cache_probe, seconds)


# Further checks registered by the apps above (the statistics' freshness): name -> probe.
PROBES: dict[str, Callable[[], dict]] = {}


def register_probe(name: str, probe: Callable[[], dict]) -> None:
    PROBES[name] = probe


@never_cache
def healthz(request):
    seconds = settings.HEALTH_PROBE_TIMEOUT_SECONDS
    report = {"database": database(), "broker": broker(seconds), "cache": cache(seconds)}
    database_ok = report["database"]["ok"]
    for name, probe in PROBES.items():
        report[name] = probe() if database_ok else {"ok": False, "error": "database down"}
    dependencies_ok = all(report[name]["ok"] for name in DEPENDENCIES)
    if not database_ok:
        report["status"] = "down"
    elif not all(part.get("ok", True) for part in report.values()):
        report["status"] = "degraded"
    else:
        report["status"] = "ok"
    return JsonResponse(report, status=200 if dependencies_ok else 503)
