"""Reads for the search page and ``/api/search/``: ranked hits, facets, a "did you mean".

Everything here asks the one index (``ground.search_index``) with the one query
language, so a query lists on this page exactly the records ``?q=`` selects on the
API lists, the timeline and the citing selection.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.safestring import SafeString

from ground import search_index
from ground.fragment_cache import per_data_version, store
from ground.models import SearchEntry
from ground.response_cache import live_version
from periods.models import Period
from systems.models import System

from .models import CommonWordSummary

PAGE_SIZE = 20

KIND_LABELS = {
    "system": "weapon system",
    "event": "event",
    "transfer": "arms transfer",
    "project": "joint project",
    "figure": "figure",
    "period": "period",
    "actor": "actor",
    "policy-option": "policy option",
    "analysis": "analysis",
    "endnote": "endnote",
    "source": "source",
}


@dataclass(frozen=True)
class SearchFilters:
    """A search: the words and the facets chosen (empty: any)."""

    q: str = ""
    kind: str = ""
    period: str = ""
    system: str = ""

    def params(self, **changes: str) -> list[tuple[str, str]]:
        """The search as query-string pairs (only those set), with ``changes`` applied."""
        values = {"q": self.q, "type": self.kind, "period": self.period, "system": self.system, **changes}
        return [(name, value) for name, value in values.items() if value]


@dataclass
class Hit:
    kind: str
    kind_label: str
    key: str
    title: SafeString
    snippet: SafeString
    url: str
    date_text: str
    period: str


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    href: str = ""
    current: bool = False


@dataclass
class Results:
    filters: SearchFilters
    page: Page
    total: int
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    suggestion: str = ""
    searched: str = ""  # the query the hits answer: the suggestion when the words found nothing

    @property
    def hits(self) -> list[Hit]:
        return list(self.page.object_list)


class Counted(NamedTuple):
    """What the grouped counts of a search say (see ``_counted``)."""

    total: int
    facets: dict[str, list[FacetValue]]
    matches: int  # under no facet: how many entries the words match

    @property
    def matched_any(self) -> bool:
        """Under any facet: whether to suggest another spelling."""
        return self.matches > 0


def narrowed(qs: QuerySet, filters: SearchFilters) -> QuerySet:
    """The entries of ``qs`` under the type, period and system chosen."""
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.period:
        qs = qs.filter(period=filters.period)
    if filters.system:
        qs = qs.filter(systems__system=filters.system)
    return qs


def facets(query: str, filters: SearchFilters) -> dict[str, list[FacetValue]]:
    """Counts by type, period and system of the entries matching ``query``, in the database.

    Each facet counts under the other facets' choices (choosing a period still shows
    every type's count in that period).
    """
    return _counted(query, filters).facets


def _counted(query: str, filters: SearchFilters, summary: Summary | None = None) -> Counted:
    """The number of entries ``filters`` select, the facets (see ``facets``), and whether
    the words match any entry at all (under any facet: whether to suggest a spelling).

    Every number comes from the two grouped counts of the query's summary (``summary``),
    whatever the facets chosen: by (type, period), and by (type, period, system). Each
    facet and the total are sums of their cells, in Python. Each count read every match
    again (a bitmap scan over 34,000 entries for "howitzer" at a million records,
    170-220 ms apiece), and three are sums of the same cells; counting the systems under
    the type and period chosen read every match again for each choice (``radar`` then
    ``radar`` among transfers: 400 ms each at a million records), where the (type,
    period, system) cells cost the same once and serve every choice.
    """
    summary = summary or match_summary(query)
    every_cell, system_cells = summary.cells, summary.system_cells
    cells = every_cell
    if filters.system:  # an entry names a system at most once: its cells are the entries naming it
        cells = [(kind, period, n) for kind, period, system, n in system_cells if system == filters.system]
    kind_counts: dict[str, int] = defaultdict(int)
    period_counts: dict[str, int] = defaultdict(int)
    total = 0
    for kind, period, n in cells:
        in_kind, in_period = filters.kind in ("", kind), filters.period in ("", period)
        if in_period:
            kind_counts[kind] += n
        if in_kind and period:
            period_counts[period] += n
        if in_kind and in_period:
            total += n
    system_counts: dict[str, int] = defaultdict(int)
    for kind, period, system, n in system_cells:
        if filters.kind in ("", kind) and filters.period in ("", period):
            system_counts[system] += n
    system_names = dict(System.objects.filter(slug__in=system_counts).values_list("slug", "name"))
    period_years = {p.slug: p.years for p in Period.objects.all()}
    chosen = {"type": filters.kind, "period": filters.period, "system": filters.system}
    result = {
        "type": [FacetValue(k, KIND_LABELS.get(k, k), kind_counts[k]) for k in KIND_LABELS if k in kind_counts],
        "period": [FacetValue(s, years, period_counts[s]) for s, years in period_years.items() if s in period_counts],
        "system": sorted(
            (FacetValue(s, system_names.get(s, s), n) for s, n in system_counts.items()),
            key=lambda f: (-f.count, f.label),
        ),
    }
    for name, values in result.items():
        for value in values:
            value.current = chosen[name] == value.value
            value.href = "?" + urlencode(filters.params(q=query, **{name: value.value}))
    matches = sum(n for _, _, n in every_cell)
    return Counted(total, result, matches)


def _hits(entries: list, query: str) -> list[Hit]:
    snippets = search_index.snippets(entries, query)
    words = search_index.parse(search_index.normalise_query(query)).terms
    return [
        Hit(
            kind=e.kind,
            kind_label=KIND_LABELS.get(e.kind, e.kind),
            key=e.key,
            title=search_index.highlight(e.title, words),
            snippet=snippets.get(e.pk, SafeString("")),
            url=e.url,
            date_text=e.date_text,
            period=e.period,
        )
        for e in entries
    ]


#: How many of a query's best entries are kept per data version, in rank order: its pages
#: and its narrowings by type or period are cut from them, not ranked again.
RANKED_KEPT = 1000


class KeptRanking(NamedTuple):
    """A query's best entries as (pk, type, period), best first; ``complete``: all of its matches."""

    rows: list[tuple[int, str, str]]
    complete: bool


class Summary(NamedTuple):
    """What the search page needs of all a query's matches, kept per data version
    (``match_summary``): its grouped counts and its first ``RANKED_KEPT`` entries."""

    cells: list[tuple[str, str, int]]
    system_cells: list[tuple[str, str, str, int]]
    ranking: KeptRanking


def _kept(rows: list[tuple[int, str, str]]) -> KeptRanking:
    """``RANKED_KEPT`` of ``rows`` (read one more, to know whether they are all)."""
    return KeptRanking(rows[:RANKED_KEPT], complete=len(rows) <= RANKED_KEPT)


def query_key(query: str) -> tuple[str, str]:
    """What a query's summary is kept under: "S 400" and "s-400", "Radar" and " radar"
    read the same matches (the index folds case and spacing); the name a query equals
    ranks first, so it is part of the key."""
    return (" ".join(search_index.normalise_query(query).split()).lower(), search_index.name_key(query))


def _ranking_key(query: str, kind: str = "") -> tuple[str, str, str]:
    return (*query_key(query), kind)


def _kept_by_worker(query: str, kind: str = "") -> CommonWordSummary | None:
    """The summary (or, with ``kind``, that type's ranking) the worker kept of ``query``
    for the current data version, if it is a common word (``search.common_words``)."""
    word, name = query_key(query)
    return CommonWordSummary.objects.filter(word=word, name=name, kind=kind, data_version=live_version()).first()


def _rows(rows: list[list]) -> list[tuple]:
    return [tuple(row) for row in rows]


def match_summary(query: str, kind: str = "") -> Summary:
    """The grouped counts and the kept ranking of ``query``, from one read of its matches
    (``search_index.summarise_matches``), once per data version and query.

    The three read every match on their own before: for a common word at a million
    records 0.7-1 s, for a designation such as ``Vehicle-21`` 60 ms; and every search
    asks for all three on its first page. With ``kind`` (a search narrowed to a type), the
    same read keeps that type's own ranking too (``kept_ranking``): a common word's best
    entries of every type can hold none of it, and ranking them again took 0.3-0.4 s.

    A common word's summary (and each type's ranking) the worker keeps after each write
    (``search.common_words``): it is read in one query, and no reader pays for it.
    """

    def summarised() -> Summary:
        kept = _kept_by_worker(query)
        if kept is not None:
            cells, ranked = kept.summary, _rows(kept.summary["ranked"])
            return Summary(_rows(cells["cells"]), _rows(cells["system_cells"]), _kept(ranked))
        found = search_index.summarise_matches(query, RANKED_KEPT + 1, kind)
        if kind:
            store("search-ranking", _kept(found.ranked_of_kind), key=_ranking_key(query, kind))
        return Summary(found.cells, found.system_cells, _kept(found.ranked))

    return per_data_version("search-summary", summarised, key=_ranking_key(query)[:2])


def kept_ranking(query: str, kind: str = "") -> KeptRanking:
    """The first ``RANKED_KEPT`` entries ``query`` ranks (among those of ``kind``), once per
    data version and query: of every type, from the query's summary (``match_summary``).

    Ranking reads every match: for a common word at a million records (``radar``, 70,000
    entries) about 200-300 ms, on every page and for each period chosen, where the order
    of the entries does not change with them (a narrowing keeps the order of what it keeps).
    """
    if not kind:
        return match_summary(query).ranking

    def ranked() -> KeptRanking:
        kept = _kept_by_worker(query, kind)
        if kept is not None:
            return _kept(_rows(kept.summary["ranked"]))
        entries = search_index.ranked_entries(query, kind=kind).values_list("pk", "kind", "period")
        return _kept(list(entries[: RANKED_KEPT + 1]))

    return per_data_version("search-ranking", ranked, key=_ranking_key(query, kind))


class RankedPages:
    """A search's ranked entries as the paginator slices them: a page of a query without a
    system chosen is cut from ``kept`` (its summary's ranking, ``match_summary``) where
    that reaches it, or from the kept ranking of the type chosen (a common word's first
    thousand entries can hold no transfer), and read by primary key; a deeper page, or one
    under a system, is ranked by the database."""

    def __init__(self, filters: SearchFilters, query: str, entries: QuerySet, kept: KeptRanking):
        self.filters, self.query, self.entries, self.kept = filters, query, entries, kept

    def __getitem__(self, window: slice) -> list:
        if not self.filters.system:
            shown = self._cut(self.kept, window)
            if shown is None and self.filters.kind:
                shown = self._cut(kept_ranking(self.query, self.filters.kind), window)
            if shown is not None:
                found = SearchEntry.objects.in_bulk(shown)
                # All of them, unless the index was refreshed after the ranking was kept:
                # a write bumps the version before its entries are re-created (after its
                # commit, with new keys), so the ranking may name entries since replaced.
                if len(found) == len(shown):
                    return [found[pk] for pk in shown]
        return list(self.entries[window])

    def _cut(self, kept: KeptRanking, window: slice) -> list[int] | None:
        """The primary keys in ``window`` of the kept entries under the type and period
        chosen, or None where the kept entries end before it and there are more."""
        kind, period = self.filters.kind, self.filters.period
        ids = [pk for pk, k, p in kept.rows if kind in ("", k) and period in ("", p)]
        return ids[window] if kept.complete or len(ids) >= window.stop else None


def search(filters: SearchFilters, *, page: int | str | None = 1, page_size: int = PAGE_SIZE) -> Results:
    """One page of the entries matching ``filters``, best first, with facets.

    When the words find nothing at all, the nearest spelling the index knows is tried
    ("Triumph" -> "Triumf") and the results say so.
    """
    searched = filters.q
    suggestion = ""
    found: dict[str, list[FacetValue]] = {}
    total = 0
    entries = narrowed(search_index.ranked_entries(searched), filters)
    pages: RankedPages | QuerySet = entries
    if filters.q:  # the summary's grouped counts give the total too: the paginator need not count
        summary = match_summary(filters.q, filters.kind)
        counted = _counted(filters.q, filters, summary)
        if not counted.matched_any:
            suggestion = search_index.suggestion(filters.q)
            if suggestion and search_index.matching_entries(suggestion).exists():
                searched = suggestion
                summary = match_summary(searched, filters.kind)
                counted = _counted(searched, filters, summary)
                entries = narrowed(search_index.ranked_entries(searched), filters)
        total, found = counted.total, counted.facets
        pages = RankedPages(filters, searched, entries, summary.ranking)
    paginator = Paginator(pages, page_size)
    if searched:
        paginator.count = total
    shown = paginator.get_page(page)
    shown.object_list = _hits(list(shown.object_list), searched)  # one snippet query for the page
    return Results(
        filters=filters,
        page=shown,
        total=paginator.count,
        facets=found,
        suggestion=suggestion,
        searched=searched,
    )
