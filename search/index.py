"""Full-text search over records, figures, endnotes and sources.

The index is a flat ``SearchEntry`` table kept fresh after each committed content
change (``ground.change_bus.on_content_change``): the changed records' entries are
replaced by ``record_id`` (so a renamed slug or a deleted record leaves nothing behind),
and ``rebuild_search_index`` rebuilds it whole after bulk loads.

PostgreSQL: a weighted ``tsvector`` (title A, body B, English stemming) behind a GIN
index, ranked with ``ts_rank`` and highlighted with ``ts_headline``. SQLite has neither,
so it falls back to matching every word case-insensitively and ranking in Python.
Highlighting never trusts the text: it is escaped first, then ``<mark>`` is added.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection, transaction
from django.db.models import Case, F, Q, QuerySet, Value, When
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ground import change_bus as changes
from periods.models import Actor, Analysis, Event, Figure, Period, PolicyOption
from sources.models import Endnote, Source
from transfers.models import Project, Transfer

from .models import SearchEntry

logger = logging.getLogger(__name__)

CONFIG = "english"
# Private-use characters mark highlights inside the database's output: they cannot be
# confused with the text, and survive escaping so <mark> is added only afterwards.
START, STOP = "\ue000", "\ue001"
MAX_WORDS = 12


# -- building the index ------------------------------------------------------------------


def _join(*parts) -> str:
    """The parts as one text; " · " keeps them apart in a highlighted excerpt."""
    return " · ".join(str(p).strip() for p in parts if p and str(p).strip())


def _periods(qs) -> Iterator[SearchEntry]:
    for p in qs:
        yield SearchEntry(
            kind="period", key=p.slug, record_id=p.pk, title=f"{p.years}: {p.name}", body=_join(p.heading, p.summary)
        )


def _events(qs) -> Iterator[SearchEntry]:
    for e in qs.prefetch_related("actors"):
        actors = ", ".join(a.name for a in e.actors.all())
        body = _join(e.get_kind_display(), e.description, actors, e.remarks)
        yield SearchEntry(kind="event", key=e.slug, record_id=e.pk, title=e.title, body=body, date_text=e.date_display)


def _transfers(qs) -> Iterator[SearchEntry]:
    for t in qs.select_related("supplier", "recipient"):
        body = _join(
            t.description,
            t.get_category_display(),
            f"{t.supplier.name} to {t.recipient.name}",
            t.get_status_display(),
            t.notes,
            t.remarks,
        )
        yield SearchEntry(
            kind="transfer", key=t.slug, record_id=t.pk, title=t.designation, body=body, date_text=t.date_display
        )


def _projects(qs) -> Iterator[SearchEntry]:
    for pr in qs.prefetch_related("partners"):
        partners = ", ".join(a.name for a in pr.partners.all())
        body = _join(pr.description, partners, pr.division_of_labour, pr.remarks)
        yield SearchEntry(
            kind="project", key=pr.slug, record_id=pr.pk, title=pr.name, body=body, date_text=pr.date_display
        )


def _figures(qs) -> Iterator[SearchEntry]:
    for f in qs:
        body = _join(f.scope, f.qualifier, f.remarks)
        yield SearchEntry(
            kind="figure", key=f.slug, record_id=f.pk, title=f.statement, body=body, date_text=f.date_display
        )


def _actors(qs) -> Iterator[SearchEntry]:
    for a in qs.select_related("country"):
        body = _join(a.get_kind_display(), a.description, a.country.name if a.country_id else "")
        yield SearchEntry(kind="actor", key=a.slug, record_id=a.pk, title=a.name, body=body)


def _policy_options(qs) -> Iterator[SearchEntry]:
    for o in qs:
        yield SearchEntry(kind="policy-option", key=o.slug, record_id=o.pk, title=o.title, body=_join(o.summary))


def _analyses(qs) -> Iterator[SearchEntry]:
    """The claim in the report's words, who makes it and its kind: found by its words or its author."""
    for a in qs.select_related("made_by").prefetch_related("made_by_others"):
        body = _join(a.claim, a.attribution, a.get_kind_display(), a.remarks)
        yield SearchEntry(
            kind="analysis", key=a.slug, record_id=a.pk, title=a.title, body=body, date_text=a.date_display
        )


def _endnotes(qs) -> Iterator[SearchEntry]:
    for n in qs.select_related("document"):
        # Markdown italics are markup, not words: drop the asterisks from the searchable text.
        yield SearchEntry(
            kind="endnote",
            key=f"{n.document.slug}/{n.number}",
            record_id=n.pk,
            title=f"Endnote {n.number}",
            body=_join(n.text.replace("*", ""), n.remarks),
        )


def _sources(qs) -> Iterator[SearchEntry]:
    for s in qs:
        body = _join(s.author_display, s.container_title, s.collection_title, s.publisher, s.date_edtf, s.remarks)
        yield SearchEntry(kind="source", key=s.slug, record_id=s.pk, title=s.title, body=body, date_text=s.date_edtf)


# Model label -> (index kind, model, entry builder).
INDEXED = {
    "periods.period": ("period", Period, _periods),
    "periods.event": ("event", Event, _events),
    "transfers.transfer": ("transfer", Transfer, _transfers),
    "transfers.project": ("project", Project, _projects),
    "periods.figure": ("figure", Figure, _figures),
    "periods.actor": ("actor", Actor, _actors),
    "periods.policyoption": ("policy-option", PolicyOption, _policy_options),
    "periods.analysis": ("analysis", Analysis, _analyses),
    "sources.endnote": ("endnote", Endnote, _endnotes),
    "sources.source": ("source", Source, _sources),
}
# Above this many changed rows one full rebuild is cheaper than per-row refreshes.
INCREMENTAL_LIMIT = 2000


def _entries() -> Iterator[SearchEntry]:
    for _kind, model, build in INDEXED.values():
        yield from build(model.objects.all())


def _url(entry: SearchEntry) -> str:
    from django.urls import reverse

    if entry.kind == "endnote":
        document, number = entry.key.rsplit("/", 1)
        return reverse("sources:endnote", kwargs={"document": document, "number": int(number)})
    name = {
        "period": "timeline:period",
        "event": "timeline:event",
        "figure": "timeline:figure",
        "actor": "timeline:actor",
        "policy-option": "timeline:policy-option",
        "analysis": "timeline:analysis",
        "transfer": "timeline:transfer",
        "project": "timeline:project",
        "source": "sources:source",
    }[entry.kind]
    return reverse(name, kwargs={"slug": entry.key})


def _store(entries: list[SearchEntry], *, everything: bool = False) -> None:
    for entry in entries:
        entry.url = _url(entry)
    created = SearchEntry.objects.bulk_create(entries, batch_size=2000)
    if connection.vendor == "postgresql" and created:
        rows = SearchEntry.objects.all() if everything else SearchEntry.objects.filter(pk__in=[e.pk for e in created])
        rows.update(
            search_vector=SearchVector("title", weight="A", config=CONFIG)
            + SearchVector("body", weight="B", config=CONFIG)
        )


@transaction.atomic
def rebuild_search_index() -> int:
    """Replace the whole index with entries built from the current content; return their number."""
    entries = list(_entries())
    SearchEntry.objects.all().delete()
    _store(entries, everything=True)
    return len(entries)


@transaction.atomic
def refresh_search_entries(changed: frozenset[tuple[str, int]]) -> int:
    """Re-index just the changed records (deleted ones simply lose their entry)."""
    entries: list[SearchEntry] = []
    for label in {label for label, _ in changed}:
        if label not in INDEXED:
            continue
        kind, model, build = INDEXED[label]
        pks = {pk for lbl, pk in changed if lbl == label}
        SearchEntry.objects.filter(kind=kind, record_id__in=pks).delete()
        entries.extend(build(model.objects.filter(pk__in=pks)))
    _store(entries)
    return len(entries)


def refresh_after_change() -> None:
    """Content-change listener: re-index what changed; a failure is logged, not raised.

    It runs after the content's own transaction has committed, so raising would turn a
    successful save into an error page; ``manage.py rebuild_search_index`` repairs the
    index. Only the changed records are re-indexed (a write stays cheap at a million
    rows); a bulk change, or one whose extent is unknown, rebuilds everything. A name
    shown inside other records' text (an actor renamed) is caught up by a full rebuild.
    """
    changed = changes.current_changes()
    try:
        if changed is None or len(changed) > INCREMENTAL_LIMIT:
            rebuild_search_index()
        else:
            refresh_search_entries(changed)
    except Exception:
        logger.exception("Refreshing the search index failed")


# -- querying ----------------------------------------------------------------------------


@dataclass
class Hit:
    kind: str
    kind_label: str
    title: SafeString
    snippet: SafeString
    url: str
    date_text: str
    rank: float


WORD_RE = re.compile(r"\w[\w\-.]*\w|\w")
TERM_RE = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')


def terms(query: str) -> tuple[list[str], list[str]]:
    """The query as (wanted, excluded) terms, like PostgreSQL's websearch syntax.

    ``"air defence"`` is one phrase, ``-delivery`` excludes a word, and hyphenated
    designations stay whole ("S-400", "Su-35").
    """
    wanted: list[str] = []
    excluded: list[str] = []
    for minus_phrase, phrase, minus_word, word in TERM_RE.findall(query):
        if phrase.strip():
            (excluded if minus_phrase else wanted).append(" ".join(phrase.split()))
        elif word:
            target = excluded if minus_word else wanted
            target.extend(WORD_RE.findall(word))
    return wanted[:MAX_WORDS], excluded[:MAX_WORDS]


def _mark_sentinels(text: str) -> SafeString:
    """Escape ``text`` and turn the highlight sentinels into ``<mark>`` elements.

    PostgreSQL's English parser splits "S-400" into "s" (a stop word) and "-400", so a
    mark starting at a hyphen is widened over the letters just before it ("S-400").
    """
    text = re.sub(rf"([A-Za-z]+){START}-", rf"{START}\1-", text)
    html = escape(text).replace(START, "<mark>").replace(STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped just above; only <mark> is added


def highlight(text: str, terms: list[str], *, window: int | None = None) -> SafeString:
    """Escape ``text`` and mark every case-insensitive occurrence of ``terms``.

    With ``window``, return an excerpt of about that many characters around the first
    match (the SQLite counterpart of ``ts_headline``).
    """
    text = text or ""
    terms = sorted({t for t in terms if t}, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE) if terms else None
    if window and len(text) > window:
        match = pattern.search(text) if pattern else None
        start = max(0, (match.start() if match else 0) - window // 3)
        end = min(len(text), start + window)
        text = ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
    if pattern:
        text = pattern.sub(lambda m: f"{START}{m.group(0)}{STOP}", text)
    return _mark_sentinels(text)


def _postgres(query: str) -> QuerySet:
    search = SearchQuery(query, config=CONFIG, search_type="websearch")
    options = {"config": CONFIG, "start_sel": START, "stop_sel": STOP}
    return (
        SearchEntry.objects.filter(search_vector=search)
        .annotate(
            exact=Case(When(title__iexact=query, then=Value(1)), default=Value(0)),
            # Normalisation 1 divides by 1 + log(length): a long endnote repeating a
            # word does not outrank the record named by it.
            rank=SearchRank(F("search_vector"), search, normalization=Value(1)),
            title_hl=SearchHeadline("title", search, highlight_all=True, **options),
            body_hl=SearchHeadline("body", search, max_words=35, min_words=15, max_fragments=2, **options),
        )
        .order_by("-exact", "-rank", "kind", "key")
    )


def _hit(entry: SearchEntry, title: SafeString, snippet: SafeString, rank: float) -> Hit:
    return Hit(
        kind=entry.kind,
        kind_label=entry.get_kind_display(),
        title=title,
        snippet=snippet,
        url=entry.url,
        date_text=entry.date_text,
        rank=rank,
    )


def search(query: str, *, kind: str = "") -> list[Hit]:
    """Entries matching ``query``, best first, with their matching words highlighted.

    One query on either database; every matching entry is returned (the index holds a
    few hundred rows) and the page paginates the list.
    """
    query = (query or "").strip()
    if not query:
        return []
    if connection.vendor == "postgresql":
        qs = _postgres(query)
        if kind:
            qs = qs.filter(kind=kind)
        return [_hit(e, _mark_sentinels(e.title_hl), _mark_sentinels(e.body_hl), e.exact + e.rank) for e in qs]
    return _fallback(query, kind=kind)


def _fallback(query: str, *, kind: str = "") -> list[Hit]:
    """SQLite: every word must appear in the title or body.

    Ranked like the PostgreSQL path: an entry titled exactly as the query first, then
    words in the title (weight 5) above words in the body (1 each, at most 3 per word).
    """
    wanted, excluded = terms(query)
    if not wanted:
        return []
    condition = Q()
    for term in wanted:
        condition &= Q(title__icontains=term) | Q(body__icontains=term)
    for term in excluded:
        condition &= ~Q(title__icontains=term) & ~Q(body__icontains=term)
    qs = SearchEntry.objects.filter(condition)
    if kind:
        qs = qs.filter(kind=kind)
    hits = []
    for entry in qs:
        title, body = entry.title.lower(), entry.body.lower()
        rank = 100 if title == query.lower() else 0
        rank += sum(5 * (t.lower() in title) + min(body.count(t.lower()), 3) for t in wanted)
        hits.append(_hit(entry, highlight(entry.title, wanted), highlight(entry.body, wanted, window=220), rank))
    hits.sort(key=lambda h: (-h.rank, h.kind, h.url))
    return hits


# Above this many events, indexing inside ``migrate`` would hold it for minutes; such a
# database is indexed by ``manage.py rebuild_search_index`` instead (README, Search).
MIGRATE_INDEX_LIMIT = 50_000


def rebuild_index_after_migrate(using: str = "default", **kwargs) -> None:
    """Index a database migrated after its content was loaded; an existing index stays."""
    if SearchEntry.objects.exists() or not Period.objects.exists():
        return
    if Event.objects.count() > MIGRATE_INDEX_LIMIT:
        logging.getLogger(__name__).warning("Search index empty: run manage.py rebuild_search_index")
        return
    rebuild_search_index()
