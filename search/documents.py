"""How each kind of thing reads in the search index (``ground.search_index``).

Registered from ``SearchConfig.ready``: this app sits above every record app, so it
can say how each reads, while the index and its query stay in the bottom layer where
every record list's ``matching(q)`` can reach them.

A record's entry carries the names of the systems it concerns: a deal for the S-400
is found as "Triumf", "SA-21", "Growler" or "С-400". For a deal or project those
names weigh like its title (the deal *is* that system); for an event or a figure they
weigh like remarks (it is about the system, not named by it). Curator remarks are
indexed in column C, never in ``body``, so no snippet shows them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db.models import Prefetch, QuerySet

from ground.search_index import Document, IndexedText, register
from ground.url_reversing import reverse
from periods.models import Actor, Analysis, Event, Figure, Period, PolicyOption
from sources.models import Endnote, Source
from systems.models import System, SystemName
from transfers.models import Project, Transfer


def _join(*parts) -> str:
    """The parts as one text; " · " keeps them apart in a highlighted excerpt."""
    return " · ".join(str(p).strip() for p in parts if p and str(p).strip())


def _systems_prefetch() -> Prefetch:
    return Prefetch(
        "systems",
        queryset=System.objects.prefetch_related(Prefetch("names", queryset=SystemName.objects.order_by("position"))),
    )


def _system_names(record) -> tuple[list[str], list[str]]:
    """(every name of the record's systems, their slugs)."""
    systems = list(record.systems.all())
    names = [n for s in systems for n in [s.name, *(name.name for name in s.names.all())]]
    return list(dict.fromkeys(names)), [s.slug for s in systems]


def _url(name: str, slug: str) -> str:
    return reverse(name, kwargs={"slug": slug})


def _periods(qs: QuerySet) -> Iterator[IndexedText]:
    for p in qs:
        yield IndexedText(
            kind="period", key=p.slug, record_id=p.pk, title=f"{p.years}: {p.name}",
            body=_join(p.heading, p.summary), url=_url("timeline:period", p.slug), period=p.slug,
        )  # fmt: skip


def _events(qs: QuerySet) -> Iterator[IndexedText]:
    for e in qs.select_related("period").prefetch_related("actors", _systems_prefetch()):
        names, systems = _system_names(e)
        actors = ", ".join(a.name for a in e.actors.all())
        yield IndexedText(
            kind="event", key=e.slug, record_id=e.pk, title=e.title, url=_url("timeline:event", e.slug),
            body=_join(e.get_kind_display(), e.description, actors), private=[*names, e.remarks],
            date_text=e.date_display, period=e.period.slug, systems=systems,
        )  # fmt: skip


def _transfers(qs: QuerySet) -> Iterator[IndexedText]:
    for t in qs.select_related("supplier", "recipient", "period").prefetch_related(_systems_prefetch()):
        names, systems = _system_names(t)
        body = _join(
            t.description,
            t.get_category_display(),
            f"{t.supplier.name} to {t.recipient.name}",
            t.get_status_display(),
            t.notes,
        )
        yield IndexedText(
            kind="transfer", key=t.slug, record_id=t.pk, title=t.designation, names=names, body=body,
            private=[t.remarks], url=_url("timeline:transfer", t.slug), date_text=t.date_display,
            period=t.period.slug, systems=systems,
        )  # fmt: skip


def _projects(qs: QuerySet) -> Iterator[IndexedText]:
    for pr in qs.select_related("period").prefetch_related("partners", _systems_prefetch()):
        names, systems = _system_names(pr)
        partners = ", ".join(a.name for a in pr.partners.all())
        yield IndexedText(
            kind="project", key=pr.slug, record_id=pr.pk, title=pr.name, names=names,
            body=_join(pr.description, partners, pr.division_of_labour), private=[pr.remarks],
            url=_url("timeline:project", pr.slug), date_text=pr.date_display, period=pr.period.slug,
            systems=systems,
        )  # fmt: skip


def _figures(qs: QuerySet) -> Iterator[IndexedText]:
    for f in qs.select_related("period").prefetch_related(_systems_prefetch()):
        names, systems = _system_names(f)
        yield IndexedText(
            kind="figure", key=f.slug, record_id=f.pk, title=f.statement, body=_join(f.scope, f.qualifier),
            private=[*names, f.remarks], url=_url("timeline:figure", f.slug), date_text=f.date_display,
            period=f.period.slug if f.period_id else "", systems=systems,
        )  # fmt: skip


def _actors(qs: QuerySet) -> Iterator[IndexedText]:
    for a in qs.select_related("country"):
        body = _join(a.get_kind_display(), a.description, a.country.name if a.country_id else "")
        yield IndexedText(
            kind="actor", key=a.slug, record_id=a.pk, title=a.name, body=body, url=_url("timeline:actor", a.slug)
        )


def _policy_options(qs: QuerySet) -> Iterator[IndexedText]:
    for o in qs:
        yield IndexedText(
            kind="policy-option", key=o.slug, record_id=o.pk, title=o.title, body=_join(o.summary),
            url=_url("timeline:policy-option", o.slug),
        )  # fmt: skip


def _analyses(qs: QuerySet) -> Iterator[IndexedText]:
    """The claim in the report's words, who makes it and its kind: found by its words or its author."""
    for a in qs.select_related("made_by", "period").prefetch_related("made_by_others"):
        yield IndexedText(
            kind="analysis", key=a.slug, record_id=a.pk, title=a.title, url=_url("timeline:analysis", a.slug),
            body=_join(a.claim, a.attribution, a.get_kind_display()), private=[a.remarks],
            date_text=a.date_display, period=a.period.slug if a.period_id else "",
        )  # fmt: skip


def _endnotes(qs: QuerySet) -> Iterator[IndexedText]:
    for n in qs.select_related("document"):
        # Markdown italics are markup, not words: drop the asterisks from the searchable text.
        yield IndexedText(
            kind="endnote", key=f"{n.document.slug}/{n.number}", record_id=n.pk, title=f"Endnote {n.number}",
            body=n.text.replace("*", ""), private=[n.remarks],
            url=reverse("sources:endnote", kwargs={"document": n.document.slug, "number": n.number}),
        )  # fmt: skip


def _sources(qs: QuerySet) -> Iterator[IndexedText]:
    for s in qs:
        body = _join(s.author_display, s.container_title, s.collection_title, s.publisher, s.date_edtf)
        yield IndexedText(
            kind="source", key=s.slug, record_id=s.pk, title=s.title, body=body, private=[s.remarks],
            url=_url("sources:source", s.slug), date_text=s.date_edtf,
        )  # fmt: skip


def _systems(qs: QuerySet) -> Iterator[IndexedText]:
    for s in qs.prefetch_related(Prefetch("names", queryset=SystemName.objects.order_by("position"))):
        names = [n.name for n in s.names.all()]
        yield IndexedText(
            kind="system", key=s.slug, record_id=s.pk, title=s.name, names=names,
            body=_join(s.get_kind_display(), s.get_category_display(), s.origin, s.description),
            url=_url("timeline:system", s.slug), systems=[s.slug],
        )  # fmt: skip


def _records_of_systems(pks: set[int]) -> Iterable[tuple[str, int]]:
    """The records whose entries carry these systems' names (re-indexed when a system changes)."""
    for model in (Transfer, Project, Event, Figure):
        for pk in model.objects.filter(systems__in=pks).values_list("pk", flat=True).distinct():
            yield model._meta.label_lower, pk


def _system_of_names(pks: set[int]) -> Iterable[tuple[str, int]]:
    system_ids = set(SystemName.objects.filter(pk__in=pks).values_list("system_id", flat=True))
    yield from (("systems.system", pk) for pk in system_ids)
    yield from _records_of_systems(system_ids)


def register_documents() -> None:
    """Tell the index how every searchable model reads (called once, from ``SearchConfig.ready``)."""
    for label, kind, model, build in (
        ("periods.period", "period", Period, _periods),
        ("periods.event", "event", Event, _events),
        ("transfers.transfer", "transfer", Transfer, _transfers),
        ("transfers.project", "project", Project, _projects),
        ("periods.figure", "figure", Figure, _figures),
        ("periods.actor", "actor", Actor, _actors),
        ("periods.policyoption", "policy-option", PolicyOption, _policy_options),
        ("periods.analysis", "analysis", Analysis, _analyses),
        ("sources.endnote", "endnote", Endnote, _endnotes),
        ("sources.source", "source", Source, _sources),
    ):
        register(Document(label=label, kind=kind, queryset=model.objects.all, build=build))
    register(
        Document(
            label="systems.system", kind="system", queryset=System.objects.all, build=_systems,
            dependents=_records_of_systems,
        )
    )  # fmt: skip
    # A name is indexed through its system (and the records that carry it), not on its own.
    register(
        Document(
            label="systems.systemname", kind="system-name", queryset=SystemName.objects.none,
            build=lambda qs: iter(()), dependents=_system_of_names,
        )
    )  # fmt: skip
