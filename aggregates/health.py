"""The statistics' part of ``/healthz``: fresh when computed from the current data version."""

from __future__ import annotations

from .statistics import current_statistics


def statistics_probe() -> dict:
    """Fresh when computed from the current data version; stale is reported, not fatal."""
    try:
        stats = current_statistics()
    except Exception as exc:  # the database check reports the cause  # noqa: BLE001 - any error means the probe failed; the database check names the cause
        return {"ok": False, "error": exc.__class__.__name__}
    return {
        "ok": not stats.failing,
        "computed_at": stats.computed_at.isoformat() if stats.computed_at else None,
        "stale": stats.stale,
        "last_error": stats.last_error or None,
    }
