"""``manage.py generate_synthetic --transfers N``: a realistic knowledge base at scale."""

import sys

from django.core.management.base import BaseCommand, CommandError

from dataset.synthetic import generate_synthetic


class Command(BaseCommand):
    help = "Add N synthetic transfers with proportional events, projects, sources, endnotes and citations."

    def add_arguments(self, parser):
        parser.add_argument("--transfers", type=int, required=True, help="How many transfers to create.")
        parser.add_argument("--seed", type=int, default=1992, help="Random seed (same seed, same data).")

    def handle(self, *args, transfers, seed, **options):
        if transfers < 1:
            raise CommandError("--transfers must be 1 or more.")
        interactive = sys.stdout.isatty()

        def progress(stage: str, done: int, total: int) -> None:
            line = f"  {stage}: {done:,}/{total:,}"
            if interactive:
                self.stdout.write(f"\r{line}", ending="")
            elif done == total or done % 50_000 == 0:
                self.stdout.write(line)

        try:
            counts = generate_synthetic(transfers=transfers, seed=seed, progress=progress)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if interactive:
            self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Created " + ", ".join(f"{v:,} {k}" for k, v in counts.items())))
