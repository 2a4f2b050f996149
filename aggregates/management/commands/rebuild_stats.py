"""``python manage.py rebuild_stats``: rebuild the aggregate statistics now, in this process."""

from __future__ import annotations

from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from aggregates import statistics


class Command(BaseCommand):
    help = (
        "Rebuild the aggregate statistics synchronously (the same service the Celery task runs), "
        "showing each step and a summary. Waits for a rebuild already running elsewhere."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--wait",
            type=float,
            default=statistics.TIME_LIMIT_SECONDS,
            help="Seconds to wait for a rebuild running elsewhere before giving up (default: %(default)s).",
        )

    def handle(self, *args, wait: float, **options):
        if wait < 0:
            raise CommandError("--wait must be 0 or more seconds.")

        def progress(step: str) -> None:
            self.stdout.write(f"  [{statistics.STEPS.index(step) + 1}/{len(statistics.STEPS)}] {step}...")

        self.stdout.write("Rebuilding statistics")
        try:
            result = statistics.rebuild(force=True, wait=wait, progress=progress)
        except DatabaseError as exc:
            raise CommandError(f"Rebuild failed: {exc}") from exc
        if result.passes == 0:
            raise CommandError(
                f"Another rebuild is still running after {wait:g} s; it will make one more pass for this request."
            )
        stored = statistics.current_statistics()
        transfers = stored.block("transfers")["total"]
        projects = stored.block("projects")["total"]
        events = stored.block("events")["total"]
        records = stored.data.get("citations", {}).get("records", {})
        uncited = sum(r["uncited"] for r in records.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Statistics rebuilt: {result.passes} pass(es), {result.statements} aggregate statements, "
                f"{result.duration_ms} ms; data version {stored.data_version}, "
                f"computed at {stored.computed_at:%Y-%m-%d %H:%M:%S %Z}."
            )
        )
        self.stdout.write(
            f"  transfers: {transfers['count']} ({transfers['with_value']} with a value totalling "
            f"${intcomma(transfers['value_usd'])}, {transfers['without_value']} without)\n"
            f"  joint projects: {projects['count']}; events: {events['count']}\n"
            f"  records without citations: {uncited} of {sum(r['records'] for r in records.values())}"
        )
        if stored.stale:
            self.stdout.write(
                self.style.WARNING("  The data changed during the rebuild; statistics are already stale.")
            )
