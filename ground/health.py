"""``/healthz``: is the database reachable, the broker reachable, the data fresh?

Load balancers and operators poll it. It answers 200 while the database works (the
app can serve reads) and 503 when it does not; the broker and statistics are reported
so a degraded state is visible without failing the probe: writes still succeed with
the broker down (statistics catch up later).
"""

from __future__ import annotations

from collections.abc import Callable

from celery import current_app as app
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from .models import DataVersion


def database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        version = DataVersion.current()
        return {"ok": True, "data_version": version.version}
    except Exception as exc:  # any driver error means "not reachable" to a probe  # noqa: BLE001 - any driver error means unreachable to a probe
        return {"ok": False, "error": exc.__class__.__name__}


def broker() -> dict:
    url = settings.CELERY_BROKER_URL
    if not url:
        return {"ok": True, "mode": "in-process (no broker configured)"}
    try:
        with app.connection_for_write(url) as conn:
            conn.ensure_connection(max_retries=1, timeout=1)
        return {"ok": True, "mode": "broker"}
    except Exception as exc:  # kombu raises transport-specific errors  # noqa: BLE001 - kombu raises transport-specific errors
        return {"ok": False, "mode": "broker", "error": exc.__class__.__name__}


# Further checks registered by the apps above (the statistics' freshness): name -> probe.
PROBES: dict[str, Callable[[], dict]] = {}


def register_probe(name: str, probe: Callable[[], dict]) -> None:
    PROBES[name] = probe


@never_cache
def healthz(request):
    report = {"database": database(), "broker": broker(), **{name: probe() for name, probe in PROBES.items()}}
    report["status"] = "ok" if all(part.get("ok", True) for part in report.values()) else "degraded"
    if not report["database"]["ok"]:
        report["status"] = "down"
    return JsonResponse(report, status=503 if report["status"] == "down" else 200)
