"""A deterministic synthetic knowledge base at any scale, for benchmarks.

``generate_synthetic(transfers=N)`` adds N transfers plus events, projects, actors,
sources, endnotes and citations in proportion, spread over the report's periods, under
a separate document ("synthetic") so the real report stays intact. It writes with
``bulk_create`` in batches (one INSERT per batch, not per row), so it sets the columns
``save()`` would derive (date bounds, direction, first delivery year) itself, and bumps
the data version once at the end. A share of the transfers and events concern the
report's weapon systems (so system pages and "same system" lists are measured at
scale), and the new rows are indexed for search in batches (``bulk_create`` sends
no change signal).
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable, Iterator

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from ground import stored_rows
from ground.models import DataVersion
from ground.search_index import index_rows
from periods.models import Actor, Event, Period
from sources.models import Citation, Document, Endnote, EndnoteWork, Source
from systems.models import System
from transfers.models import Project, Transfer

BATCH = 5000
WORDS = [
    "fighter",
    "helicopter",
    "submarine",
    "radar",
    "engine",
    "missile",
    "frigate",
    "corvette",
    "transport",
    "trainer",
    "tanker",
    "drone",
    "satellite",
    "sonar",
    "turbine",
    "armour",
    "artillery",
    "howitzer",
    "rifle",
    "vehicle",
    "interceptor",
    "bomber",
]
CATEGORIES = [c for c, _ in Transfer.Category.choices]
STATUSES = [s for s, _ in Transfer.Status.choices]
EVENT_KINDS = [k for k, _ in Event.Kind.choices]
Progress = Callable[[str, int, int], None]


def _batches(items: Iterator, size: int = BATCH) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _year_date(rng: random.Random, period: Period) -> tuple[str, datetime.date, datetime.date, str]:
    year = rng.randint(period.start_year, period.end_year or 2020)
    if rng.random() < 0.5:
        month = rng.randint(1, 12)
        start = datetime.date(year, month, 1)
        end = (start.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)
        return f"{year}-{month:02d}", start, end, "month"
    return str(year), datetime.date(year, 1, 1), datetime.date(year, 12, 31), "year"


@transaction.atomic
def generate_synthetic(*, transfers: int, seed: int = 1992, progress: Progress | None = None) -> dict[str, int]:  # noqa: C901 - one pass per generated table, kept together so the order of inserts reads top-down
    """Create ``transfers`` synthetic transfers and proportional records; return counts."""
    rng = random.Random(seed)  # noqa: S311 - seeded, reproducible synthetic data; nothing secret
    report = progress or (lambda stage, done, total: None)
    periods = list(Period.objects.all())
    if not periods:
        raise ValueError("Load the report first (manage.py load_report): synthetic data uses its periods.")
    start = Transfer.objects.filter(slug__startswith="syn-").count()
    russia = Actor.objects.get_or_create(slug="russia", defaults={"name": "Russia", "kind": "state"})[0]
    china = Actor.objects.get_or_create(slug="china", defaults={"name": "China", "kind": "state"})[0]

    document, _ = Document.objects.get_or_create(slug="synthetic", defaults={"title": "Synthetic benchmark data"})
    first_note = (
        Endnote.objects.filter(document=document).order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    run = first_note  # distinguishes the rows of successive runs
    n_actors = max(10, transfers // 200)
    actors = Actor.objects.bulk_create(
        Actor(
            slug=f"syn-a-{run}-{i}",
            name=f"Synthetic actor {run}-{i}",
            kind="organisation",
            country=russia if i % 2 else china,
        )
        for i in range(n_actors)
    )
    n_sources, n_notes = max(5, transfers // 50), max(10, transfers // 10)
    sources = Source.objects.bulk_create(
        Source(
            slug=f"syn-s-{run}-{i}",
            kind="article-magazine",
            title=f"Synthetic work {i} on {rng.choice(WORDS)}s",
            authors=[{"family": f"Author{i}", "given": "A."}],
            date_edtf="2019",
        )
        for i in range(n_sources)
    )
    notes: list[Endnote] = []
    for batch in _batches(
        Endnote(document=document, number=first_note + i, text=f"Synthetic note {first_note + i}.")
        for i in range(n_notes)
    ):
        notes.extend(Endnote.objects.bulk_create(batch))
    for batch in _batches(
        EndnoteWork(endnote=note, source=sources[i % len(sources)], position=1, pinpoint=str(i % 300 + 1))
        for i, note in enumerate(notes)
    ):
        EndnoteWork.objects.bulk_create(batch)

    states = {russia.pk: "russia", china.pk: "china"}

    def transfer_rows() -> Iterator[Transfer]:
        for i in range(transfers):
            period = periods[i % len(periods)]
            edtf, d_start, d_end, precision = _year_date(rng, period)
            supplier, recipient = (russia, china) if rng.random() < 0.8 else (china, russia)
            year = d_start.year
            delivery = f"{year + 1}; {year + 2}" if rng.random() < 0.5 else ""
            ordered = rng.randint(1, 200)
            value = rng.randint(1, 5000) * 1_000_000 if rng.random() < 0.7 else None
            word = rng.choice(WORDS)
            yield Transfer(
                slug=f"syn-t-{start + i}",
                designation=f"{word.title()}-{rng.randint(1, 99)}",
                description=f"synthetic {word}",
                category=rng.choice(CATEGORIES),
                supplier=supplier,
                recipient=recipient,
                direction="ru-cn" if states[supplier.pk] == "russia" else "cn-ru",
                period=period,
                date_text=edtf,
                date_edtf=edtf,
                date_start=d_start,
                date_end=d_end,
                date_precision=precision,
                year_ordered=year,
                delivery_years=delivery,
                first_delivery_year=year + 1 if delivery else None,
                number_ordered=ordered,
                number_delivered=rng.randint(0, ordered) if delivery else None,
                value_usd=value,
                value_approximate=rng.random() < 0.3,
                status=rng.choice(STATUSES),
                notes=f"Synthetic {word} deal number {start + i}.",
            )

    created_transfers: list[int] = []
    for batch in _batches(transfer_rows()):
        created_transfers.extend(t.pk for t in Transfer.objects.bulk_create(batch))
        report("transfers", len(created_transfers), transfers)

    n_events, n_projects = transfers // 2, max(1, transfers // 20)

    def event_rows() -> Iterator[Event]:
        for i in range(n_events):
            period = periods[i % len(periods)]
            edtf, d_start, d_end, precision = _year_date(rng, period)
            yield Event(
                slug=f"syn-e-{run}-{i}",
                title=f"Synthetic {rng.choice(WORDS)} meeting {i}",
                kind=rng.choice(EVENT_KINDS),
                description="Synthetic event.",
                period=period,
                date_text=edtf,
                date_edtf=edtf,
                date_start=d_start,
                date_end=d_end,
                date_precision=precision,
            )

    created_events: list[int] = []
    for batch in _batches(event_rows()):
        created_events.extend(e.pk for e in Event.objects.bulk_create(batch))
        report("events", len(created_events), n_events)
    created_projects = [
        p.pk
        for p in Project.objects.bulk_create(
            Project(
                slug=f"syn-p-{run}-{i}",
                name=f"Synthetic joint {rng.choice(WORDS)} {i}",
                period=periods[i % len(periods)],
                status="agreed",
                date_text="2016",
                date_edtf="2016",
                date_start=datetime.date(2016, 1, 1),
                date_end=datetime.date(2016, 12, 31),
                date_precision="year",
            )
            for i in range(n_projects)
        )
    ]

    def citation_rows() -> Iterator[Citation]:
        for model, pks in ((Transfer, created_transfers), (Event, created_events), (Project, created_projects)):
            ctype = ContentType.objects.get_for_model(model)
            for pk in pks:
                for position in range(1, rng.choice((1, 1, 2)) + 1):
                    note = notes[rng.randrange(len(notes))]
                    yield Citation(content_type=ctype, object_id=pk, endnote=note, position=position)

    total_citations = 0
    for batch in _batches(citation_rows()):
        Citation.objects.bulk_create(batch, ignore_conflicts=True)
        total_citations += len(batch)
        report("citations", total_citations, total_citations)
    systems = list(System.objects.order_by("slug").values_list("pk", flat=True))
    linked = 0
    if systems:
        for model, pks in ((Transfer, created_transfers), (Event, created_events)):
            through = model.systems.through
            column = f"{model._meta.model_name}_id"
            rows = (through(**{column: pk, "system_id": rng.choice(systems)}) for pk in pks if rng.random() < 0.3)
            for batch in _batches(rows):
                through.objects.bulk_create(batch)
                linked += len(batch)
        report("system links", linked, linked)
    indexed = 0
    for label, pks in (
        ("periods.actor", [a.pk for a in actors]),
        ("sources.source", [s.pk for s in sources]),
        ("sources.endnote", [n.pk for n in notes]),
        ("transfers.transfer", created_transfers),
        ("periods.event", created_events),
        ("transfers.project", created_projects),
    ):
        indexed += index_rows(label, pks)
        report("search index", indexed, indexed)
    DataVersion.bump()
    stored = stored_rows.refresh()  # bulk inserts reach no listener: the API rows here
    report("stored API rows", stored, stored)
    return {
        "transfers": len(created_transfers),
        "events": len(created_events),
        "projects": len(created_projects),
        "actors": len(actors),
        "sources": len(sources),
        "endnotes": len(notes),
        "citations": total_citations,
        "system links": linked,
        "search entries": indexed,
    }
