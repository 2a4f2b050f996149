"""The one search index and its one query language, for every app that searches.

Every search (the search page, each API list's ``q``, the timeline's ``q`` and the
citing selection) goes through ``matching_entries``: one query syntax, one
normalisation, one index. It lives in the bottom layer so the record querysets
(``sources.querysets.CitedRecordQuerySet.matching``) can use it without importing the
apps above; those apps tell it how their records read (``register``), from their
``AppConfig.ready``.

Query syntax (PostgreSQL's ``websearch_to_tsquery``): words are all required,
``"quoted phrases"`` are phrases, ``-word`` excludes, ``or`` between two terms allows
either. Before the database sees it, a query is normalised the way the index was:

- designations are compacted: ``S-400``, ``S400`` and ``s 400`` all become the token
  ``s400`` (the index adds that token beside every designation it reads), whatever the
  script (``С-400`` becomes ``с400``, ``苏-35`` becomes ``苏35``);
- British spellings become American ones (``defence`` is searched as ``defense``; the
  index adds the American form beside every British word it reads).

PostgreSQL: a weighted ``tsvector`` (A: title and names; B: public text; C: curator
remarks and related systems' names) behind a GIN index, ``websearch_to_tsquery`` with
English stemming, ranked with ``ts_rank``, snippets from ``ts_headline``; ``pg_trgm``
similarity over the index's vocabulary suggests a near miss ("did you mean").
SQLite: an FTS5 table (``porter unicode61`` tokenizer: the same stemming of plurals)
with the same three columns, ranked with ``bm25``, snippets from ``snippet()`` over
the public text column.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import NamedTuple

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramSimilarity,
)
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .fragment_cache import per_data_version
from .models import SearchEntry, SearchEntrySystem, SearchTerm
from .statements import prepared, text_markers

CONFIG = "english"
FTS_TABLE = "ground_search_fts"
# Column weights (A, B, C), as bm25 multipliers on SQLite; PostgreSQL uses its own A/B/C.
BM25_WEIGHTS = (10.0, 4.0, 1.0)
# Private-use characters mark highlights in the database's output: they cannot be
# confused with the text and survive escaping, so <mark> is added only afterwards.
START, STOP = "\ue000", "\ue001"
MAX_TERMS = 12

# -- normalisation (index and query alike) -----------------------------------------------

# British -> American. Whole words only (an -ise rule would turn "exercise" into "exercize").
_SPELLING_STEMS = {
    "defence": "defense",
    "offence": "offense",
    "licence": "license",
    "pretence": "pretense",
    "centre": "center",
    "theatre": "theater",
    "metre": "meter",
    "fibre": "fiber",
    "calibre": "caliber",
    "manoeuvre": "maneuver",
    "armour": "armor",
    "harbour": "harbor",
    "labour": "labor",
    "favour": "favor",
    "honour": "honor",
    "behaviour": "behavior",
    "endeavour": "endeavor",
    "neighbour": "neighbor",
    "rumour": "rumor",
    "colour": "color",
    "programme": "program",
    "catalogue": "catalog",
    "analyse": "analyze",
    "jewellery": "jewelry",
    "aluminium": "aluminum",
    "sceptic": "skeptic",
}
_SPELLINGS: dict[str, str] = {}
for _gb, _us in _SPELLING_STEMS.items():
    for _suffix in ("", "s", "d", "ed", "es", "ing", "ful"):
        _SPELLINGS.setdefault(_gb + _suffix, _us + _suffix)
_SPELLINGS.update({"armoured": "armored", "favoured": "favored", "honoured": "honored", "analysed": "analyzed"})
# -ise/-isation words spelled -ize/-ization in American English (never "exercise", "rise"...).
_IZE_STEMS = (
    "modern", "organ", "militar", "normal", "civil", "real", "recogn", "emphas", "character", "author",
    "util", "mobil", "priorit", "special", "standard", "central", "legal", "moral", "global", "industrial",
    "stabil", "subsid", "capital", "maxim", "minim", "optim", "critic", "harmon", "synchron",
    "democrat", "digit", "weapon", "neutral", "jeopard", "categor", "summar", "apolog",
)  # fmt: skip
_IZE_RE = re.compile(
    r"^(" + "|".join(sorted(set(_IZE_STEMS), key=len, reverse=True)) + r")is(e|es|ed|ing|ation|ations|er|ers)$"
)


_BRITISH = {us: gb for gb, us in _SPELLINGS.items()}
_IZE_US_RE = re.compile(_IZE_RE.pattern.replace(")is(", ")iz("))


def american(word: str) -> str:
    """The American spelling of ``word`` (lowercase), or ``word`` itself."""
    lower = word.lower()
    if lower in _SPELLINGS:
        return _SPELLINGS[lower]
    match = _IZE_RE.match(lower)
    return f"{match.group(1)}iz{match.group(2)}" if match else word


def british_spelling(word: str) -> str:
    """The British spelling of ``word`` (lowercase) that ``american`` turns into it, or ``word``."""
    lower = word.lower()
    if lower in _BRITISH:
        return _BRITISH[lower]
    match = _IZE_US_RE.match(lower)
    return f"{match.group(1)}is{match.group(2)}" if match else word


# A designation: up to four letters (any script), an optional hyphen or space, digits and
# an optional suffix: S-400, Su-30MKK, AL-31FN, Mi-17, С-400, 苏-35; or a longer word
# joined to its number by a hyphen (or nothing): Shtil-1, Helicopter-42. A longer word
# and a number apart ("Article 5", "helicopters 2015") are two words. A few short English
# words before a number ("in 2015", "May 2018") are left alone.
#
# Why the longer words: PostgreSQL's parser reads "Engine-50" as the word "engin" and
# the signed number "-50", so the query was a phrase, matched by intersecting the
# posting list of a common word with the number's. At a million transfers that took
# 53 ms for "Engine-50", and the whole API search took 28 ms median in-process. As one
# compact token, "engine50", it is a single lexeme of the index.
_DESIGNATION_RE = re.compile(
    r"(?<![^\W_])(?:(?P<short>[^\W\d_]{1,4})[ \-‐‑–]?|(?P<long>[^\W\d_]{5,})[\-‐‑–]?)"
    r"(?P<number>\d{1,4}[^\W_]*)(?![^\W_])"
)
_NOT_PREFIXES = frozenset(
    [
        "a",
        "an",
        "as",
        "at",
        "by",
        "in",
        "is",
        "of",
        "on",
        "or",
        "to",
        "and",
        "the",
        "for",
        "per",
        "from",
        "than",
        "over",
        "some",
        "with",
        "into",
        "about",
        "since",
        "until",
        "jan",
        "feb",
        "mar",
        "apr",
        "may",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "june",
        "july",
        "mid",
        "late",
        "fy",
    ]
)


def _compact(match: re.Match) -> str | None:
    """The compact token of a designation, its word in American spelling ("Armour-7" and
    "Armor-7" are one token, as the words are one search), or None for an English word."""
    letters = match["short"] or match["long"]
    if letters.lower() in _NOT_PREFIXES:
        return None
    return (american(letters) + match["number"]).lower()


def designation_tokens(text: str) -> list[str]:
    """The compact tokens of the designations in ``text``: "S-400 and Su-27/Su-30" -> s400, su27, su30."""
    tokens = (_compact(m) for m in _DESIGNATION_RE.finditer(text or ""))
    return list(dict.fromkeys(t for t in tokens if t))


_WORD_RE = re.compile(r"[^\W_]+")


def index_tokens(text: str) -> str:
    """What the index adds beside ``text``: compact designations and American spellings."""
    words = _WORD_RE.findall(text or "")
    americans = [us for w in words if (us := american(w)) != w and us != w.lower()]
    return " ".join(dict.fromkeys([*designation_tokens(text), *americans]))


def normalise_query(query: str) -> str:
    """The query as the index reads text: designations compacted, American spellings."""

    def compact(match: re.Match) -> str:
        return _compact(match) or match.group(0)

    query = _DESIGNATION_RE.sub(compact, query or "")
    return _WORD_RE.sub(lambda m: american(m.group(0)), query)


def name_key(text: str) -> str:
    """A name reduced for exact comparison: "S-400" = "s 400" = "S400"; "Air Defence" = "air defense"."""
    words = [american(w).lower() for w in _WORD_RE.findall(text or "")]
    return "".join(words)


# -- the query language ------------------------------------------------------------------

_TERM_RE = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')


@dataclass
class ParsedQuery:
    """A normalised query as AND-ed groups of alternatives, and excluded terms."""

    groups: list[list[str]] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)

    @property
    def terms(self) -> list[str]:
        """Every wanted word (for highlighting and suggestions)."""
        return [w for group in self.groups for term in group for w in _WORD_RE.findall(term)]

    def __bool__(self) -> bool:
        return bool(self.groups)


def parse(query: str) -> ParsedQuery:
    """Split a normalised query into terms the way ``websearch_to_tsquery`` does."""
    parsed = ParsedQuery()
    pending_or = False
    for minus_phrase, phrase, minus_word, word in _TERM_RE.findall(query):
        text = " ".join(phrase.split()) if phrase.strip() else word
        negated = bool(minus_phrase if phrase.strip() else minus_word)
        if not _WORD_RE.search(text):
            continue
        if not negated and text.lower() == "or" and parsed.groups:
            pending_or = True
            continue
        # A phrase, or a word joined to another ("Armour-54", "defence-industrial"), is
        # matched word by word in order, so the index's added American forms cannot meet
        # it: "air defense" is also looked for as printed, "air defence"; "armor-54" as
        # "armour-54".
        several = len(_WORD_RE.findall(text)) > 1
        british = _WORD_RE.sub(lambda m: british_spelling(m.group(0)), text) if several else text
        alternatives = [text] if british == text else [text, british]
        if negated:
            parsed.excluded.extend(alternatives)
        elif pending_or:
            parsed.groups[-1].extend(alternatives)
        else:
            parsed.groups.append(alternatives)
        pending_or = False
    parsed.groups, parsed.excluded = parsed.groups[:MAX_TERMS], parsed.excluded[:MAX_TERMS]
    return parsed


def _fts_term(term: str) -> str:
    # One FTS5 string per term: a multi-word term is a phrase; quotes inside are doubled.
    return '"' + " ".join(_WORD_RE.findall(term)).replace('"', '""') + '"'


def fts_expression(parsed: ParsedQuery) -> str:
    """The parsed query as an FTS5 MATCH expression."""
    expression = " AND ".join("(" + " OR ".join(_fts_term(t) for t in group) + ")" for group in parsed.groups)
    for term in parsed.excluded:
        expression = f"({expression}) NOT {_fts_term(term)}"
    return expression


def websearch_value(text: str) -> str:
    """A term as ``websearch_to_tsquery`` reads it: a phrase quoted, a word as it is."""
    return f'"{text}"' if " " in text else text


def _postgres_query(parsed: ParsedQuery) -> SearchQuery:
    """The parsed query as a tsquery: ``websearch_to_tsquery`` per term, combined as parsed.

    Combined here rather than by one websearch string, whose ``or`` binds looser than
    the words around it ("a b or c" is (a & b) | c): here it joins just its two terms,
    as on SQLite.
    """

    def term(text: str) -> SearchQuery:
        return SearchQuery(websearch_value(text), config=CONFIG, search_type="websearch")

    combined = None
    for group in parsed.groups:
        alternatives = term(group[0])
        for text in group[1:]:
            alternatives |= term(text)
        combined = alternatives if combined is None else combined & alternatives
    for text in parsed.excluded:
        combined &= ~term(text)
    return combined


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def match_condition(query: str) -> Q | None:
    """The condition on ``SearchEntry`` rows matching ``query``; None when it has no term."""
    parsed = parse(normalise_query(query))
    if not parsed:
        return None
    if _is_postgres():
        return Q(search_vector=_postgres_query(parsed))
    sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608 - constant table name
    return Q(pk__in=RawSQL(sql, [fts_expression(parsed)]))  # noqa: S611 - the query is a parameter


def matching_entries(query: str, *, kinds: Iterable[str] = ()) -> QuerySet[SearchEntry]:
    """Entries matching ``query`` (of these kinds), unordered: a filter, nothing fetched."""
    condition = match_condition(query)
    if condition is None:
        return SearchEntry.objects.none()
    qs = SearchEntry.objects.filter(condition)
    kinds = list(kinds)
    return qs.filter(kind__in=kinds) if kinds else qs


#: Up to this many matches, a search's record ids are read first and given to the
#: database as a list (see ``matching_record_ids``).
FEW_MATCHES = 1000


def matching_record_ids(query: str, kind: str) -> list[int] | QuerySet:
    """The primary keys of the records of ``kind`` matching ``query``.

    ``CitedRecordQuerySet.matching`` filters on it: the API lists, the timeline and the
    citing selection find exactly the records the search page lists for the query.

    The index is asked first for at most ``FEW_MATCHES + 1`` ids (one bounded read,
    unordered: in the entries' default order it sorted every match before stopping, 29 ms
    for "Su-30" at a million records, with its 34,730 matches). When
    that is all of them, they are the answer, as a list: PostgreSQL cannot estimate how
    many rows a phrase matches from the GIN index (``Missile-21``: 437 matches at a
    million transfers, estimated at 2,400), and believing them common it walked the date
    index through 211,000 transfers to find a page of 50 (2 to 7 s); given the list, it
    reads those rows and sorts them. More matches stay a subquery: common enough that
    walking the list's order finds a page at once.
    """
    # Kept per data version: the list's count asks again (``matching_count``), and so do
    # its other pages and filters.
    few = per_data_version("match-ids", lambda: _few(query, kind), key=(normalise_query(query), kind))
    if few is not None:
        return few
    return matching_entries(query, kinds=[kind]).order_by().values_list("record_id", flat=True)


_KIND = re.compile(r"[a-z][a-z_-]*\Z")


def _sql_literal(kind: str) -> str:
    if not _KIND.match(kind):
        raise ValueError(f"unexpected search kind {kind!r}")
    return f"'{kind}'"


def _few(query: str, kind: str) -> list[int] | None:
    """The first ``FEW_MATCHES`` + 1 ids: all of them when that many are not found, else None.

    On PostgreSQL the read is compiled once per shape of query (how many alternatives each
    word has, how many are excluded) and kind, and run with the terms as values
    (``ground.statements``): building and compiling the ``SearchQuery`` filter was a
    tenth of an API search's time in-process at 100k records (cProfile), and most
    searches are a designation or two.
    """
    parsed = parse(normalise_query(query))
    if not _is_postgres() or not parsed:
        entries = matching_entries(query, kinds=[kind]).order_by().values_list("record_id", flat=True)
        few = list(entries[: FEW_MATCHES + 1])
    else:
        shape = (tuple(len(group) for group in parsed.groups), len(parsed.excluded))

        def build(markers: list) -> QuerySet:
            values = iter(markers)
            like = ParsedQuery(
                groups=[[next(values) for _ in range(n)] for n in shape[0]],
                excluded=[next(values) for _ in range(shape[1])],
            )
            # The kind as a literal, not a parameter: a generic plan would then expect a
            # kind to be any kind's share and AND the GIN lookup with the kind index
            # (100,000 entries read for "Vehicle-97", 8.5 ms instead of 0.6).
            kind_literal = RawSQL(_sql_literal(kind), ())  # noqa: S611 - a checked identifier, no input
            condition = Q(search_vector=_postgres_query(like)) & Q(kind=kind_literal)
            return SearchEntry.objects.filter(condition).order_by().values_list("record_id")[: FEW_MATCHES + 1]

        terms = [*(text for group in parsed.groups for text in group), *parsed.excluded]
        statement = prepared(("match-ids", shape, kind), SearchEntry, build, text_markers(len(terms)))
        few = [record_id for (record_id,) in statement.tuples([websearch_value(text) for text in terms])]
    return few if len(few) <= FEW_MATCHES else None


def matching_count(query: str, kind: str, up_to: int | None = None) -> int:
    """How many records of ``kind`` match ``query``, counting at most ``up_to``, as the
    count of a list that ``q`` alone filters: the number of ids ``matching_record_ids``
    read when they are few, else their entries counted in the index (each record has
    one, by its unique key), once per data version and query. Counting the list's rows
    instead checked each record's entry in turn, 1,501 matches of ``Lada-class`` among
    65,000 records.
    """
    few = matching_record_ids(query, kind)
    if isinstance(few, list):  # read already: no second read of the index
        return len(few) if up_to is None else min(len(few), up_to)
    entries = matching_entries(query, kinds=[kind]).order_by()
    counted = entries[:up_to] if up_to is not None else entries
    return per_data_version("match-count", counted.count, key=(normalise_query(query), kind, up_to))


def record_matches(query: str, kind: str) -> Subquery | None:
    """Whether the outer query's record (its ``pk``) matches ``query``: its own entry's
    match, looked up per record (None when the query has no term).

    For a list filtered by a common query alone, walked in the list's order until a page
    is found. Its matches are at least ``FEW_MATCHES`` of the kind's records, so a page
    of 50 is at most 50 / that share of them away. As ``pk IN (matching entries)``,
    PostgreSQL reads every match before the first row when it underestimates them, as it
    does any phrase or several words: ``Lada-class``, 23,228 matches at a million
    transfers, estimated at 17, 0.3-2.4 s; walked, 2,839 records and 17-23 ms. A scalar
    subquery, because PostgreSQL would turn an EXISTS back into the same join.
    """
    condition = match_condition(query)
    if condition is None:
        return None
    entry = SearchEntry.objects.filter(kind=kind, record_id=OuterRef("pk")).annotate(
        hit=ExpressionWrapper(condition, output_field=BooleanField())
    )
    return Subquery(entry.values("hit")[:1], output_field=BooleanField())


def _rank_order() -> tuple[str, ...]:
    """The ranked order of ``ranked_entries``' columns: a name (record or system) equal to
    the query first, then the text rank (PostgreSQL's ``ts_rank`` is higher for better,
    SQLite's ``bm25`` lower), then type and key."""
    return ("-exact", "-rank", "kind", "key") if _is_postgres() else ("-exact", "rank", "kind", "key")


def ranked_entries(query: str, *, kind: str = "") -> QuerySet[SearchEntry]:
    """Entries matching ``query``, best first.

    First a record whose title or one of whose systems' names *is* the query ("s 400"
    is the S-400 deal), then a system so named, then the text rank (PostgreSQL
    ``ts_rank``, normalised by length; SQLite ``bm25`` with the same column weights).
    """
    parsed = parse(normalise_query(query))
    if not parsed:
        return SearchEntry.objects.none()
    key = name_key(query)
    exact = Case(
        When(Q(exact_keys__contains=f"|{key}|") & ~Q(kind="system"), then=Value(2)),
        When(exact_keys__contains=f"|{key}|", then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    if _is_postgres():
        search = _postgres_query(parsed)
        qs = SearchEntry.objects.filter(search_vector=search).annotate(
            exact=exact, rank=SearchRank(F("search_vector"), search, normalization=Value(1))
        )
    else:
        # A join with the FTS5 table (bm25 is only defined inside its MATCH query); lower is better.
        qs = SearchEntry.objects.extra(  # noqa: S610 - constant SQL; the query goes in as a parameter
            tables=[FTS_TABLE],
            where=[f"{FTS_TABLE}.rowid = ground_searchentry.id", f"{FTS_TABLE} MATCH %s"],
            params=[fts_expression(parsed)],
            select={"rank": f"bm25({FTS_TABLE}, {', '.join(map(str, BM25_WEIGHTS))})"},
        ).annotate(exact=exact)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by(*_rank_order())


class MatchSummary(NamedTuple):
    """All the entries a query matches, read once (``summarise_matches``)."""

    cells: list[tuple[str, str, int]]  # (type, period, entries)
    system_cells: list[tuple[str, str, str, int]]  # (type, period, system, entries naming it)
    ranked: list[tuple[int, str, str]]  # the best (pk, type, period), best first
    ranked_of_kind: list[tuple[int, str, str]]  # the best of the type asked for (of each type, by type)


#: The entries a query matches, materialised once and read three times: counted by type
#: and period, by type, period and system, and the first of them in ranked order (and a
#: fourth, ``_SUMMARY_OF_KIND_SQL``, when a type is chosen).
_SUMMARY_SQL = """
WITH m AS MATERIALIZED ({matches})
SELECT 0, m.kind, m.period, CAST(NULL AS varchar(80)), COUNT(*), CAST(NULL AS bigint)
FROM m GROUP BY m.kind, m.period
UNION ALL
SELECT 1, m.kind, m.period, s.system, COUNT(*), CAST(NULL AS bigint)
FROM m INNER JOIN {systems} s ON s.entry_id = m.pk GROUP BY m.kind, m.period, s.system
UNION ALL
SELECT * FROM (SELECT 2, m.kind, m.period, CAST(NULL AS varchar(80)), CAST(NULL AS bigint), m.pk
FROM m ORDER BY {order} LIMIT %s) AS best
"""
#: A type's own best, when a search chooses one: a common word's best entries of every
#: type can hold none of it.
_SUMMARY_OF_KIND_SQL = """
UNION ALL
SELECT * FROM (SELECT 3, m.kind, m.period, CAST(NULL AS varchar(80)), CAST(NULL AS bigint), m.pk
FROM m WHERE m.kind = %s ORDER BY {order} LIMIT %s) AS best_of_kind
"""

#: Every type's own best at once, numbered within its type (in the count column): what
#: the worker keeps for a common word (``search.common_words``), so that a search narrowed
#: to any type is cut from it.
_SUMMARY_OF_EVERY_KIND_SQL = """
UNION ALL
SELECT 3, best.kind, best.period, CAST(NULL AS varchar(80)), best.place, best.pk
FROM (SELECT m.kind, m.period, m.pk, row_number() OVER (PARTITION BY m.kind ORDER BY {order}) AS place
FROM m) AS best WHERE best.place <= %s
"""

#: PostgreSQL's memory for the summary's materialised matches and its exact bitmap: with
#: the default 4 MB a common word's bitmap turned lossy (``helicopter`` at a million
#: records rechecked 368,000 entries it does not match) and its matches spilled to disk.
SUMMARY_WORK_MEM = "32MB"


def summarise_matches(query: str, ranked: int, kind: str = "", *, every_kind: bool = False) -> MatchSummary:
    """The entries ``query`` matches, counted by type and period and by type, period and
    system, and the first ``ranked`` of them in ``ranked_entries`` order (and the first
    ``ranked`` of ``kind``, when given, or of every type, with ``every_kind``, type by
    type): one statement.

    Why one: the search page needs all three, and each read every match (a bitmap scan of
    the index's heap). At a million records a common word's three reads took 0.7-1 s and
    as many cores again in parallel workers, and a type chosen ranked them again; a
    designation such as ``Vehicle-21`` (a phrase, every candidate rechecked) 20-30 ms
    each. Materialised once, the matches are read once. Not expressible with the ORM (a
    CTE read three or four times), so its SQL is composed here around the ORM's own
    ranked query.
    """
    if not parse(normalise_query(query)):
        return MatchSummary([], [], [], [])
    columns = ("pk", "kind", "period", "key", "exact", "rank")
    matches, params = ranked_entries(query).order_by().values_list(*columns).query.sql_with_params()
    quote = connection.ops.quote_name
    order = ", ".join(
        f"m.{quote(name[1:])} DESC" if name.startswith("-") else f"m.{quote(name)}" for name in _rank_order()
    )
    sql, params = _SUMMARY_SQL, [*params, ranked]
    if every_kind:
        sql, params = sql + _SUMMARY_OF_EVERY_KIND_SQL, [*params, ranked]
    elif kind:
        sql, params = sql + _SUMMARY_OF_KIND_SQL, [*params, kind, ranked]
    sql = sql.format(matches=matches, systems=quote(SearchEntrySystem._meta.db_table), order=order)
    postgres = _is_postgres()
    # SET LOCAL lasts until the end of the transaction: one of its own (a read has none).
    with transaction.atomic() if postgres else nullcontext(), connection.cursor() as cursor:
        if postgres:
            cursor.execute(f"SET LOCAL work_mem = '{SUMMARY_WORK_MEM}'")
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return MatchSummary(
        cells=[(kind, period, n) for part, kind, period, _, n, _ in rows if part == 0],
        system_cells=[(kind, period, system, n) for part, kind, period, system, n, _ in rows if part == 1],
        ranked=[(pk, kind, period) for part, kind, period, _, _, pk in rows if part == 2],
        ranked_of_kind=[
            (pk, kind, period)
            for part, kind, period, _, _, pk in sorted((r for r in rows if r[0] == 3), key=lambda r: (r[1], r[4] or 0))
        ],
    )


def _mark_sentinels(text: str) -> SafeString:
    """Escape ``text`` and turn the highlight sentinels into ``<mark>`` elements."""
    html = escape(text).replace(START, "<mark>").replace(STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped just above; only <mark> is added


_COMPACT_RE = re.compile(r"([^\W\d_]+)(\d[^\W_]*)")


def _written_pattern(letters: str, number: str) -> str:
    """How a compact token's designation may be written: "armor7" is "Armor-7", "Armor 7",
    "Armour-7"... (a longer word is compacted in its American spelling, ``_compact``)."""
    spellings = dict.fromkeys([letters, british_spelling(letters)])
    return "(?:" + "|".join(map(re.escape, spellings)) + r")[ \-‐‑–]?" + re.escape(number)


def highlight(text: str, words: Iterable[str]) -> SafeString:
    """Escape ``text`` and mark the words of ``words`` (and designations written another way)."""
    patterns = []
    for word in sorted({w for w in words if w}, key=len, reverse=True):
        compact = _COMPACT_RE.fullmatch(word)
        if compact:  # s400 marks "S-400" and "S 400" too
            patterns.append(_written_pattern(*compact.groups()))
        else:
            patterns.append(re.escape(word) + r"\w*")
    if patterns:
        pattern = re.compile(r"(?<!\w)(?:" + "|".join(patterns) + ")", re.IGNORECASE)
        text = pattern.sub(lambda m: f"{START}{m.group(0)}{STOP}", text or "")
    return _mark_sentinels(text or "")


def snippets(entries: list[SearchEntry], query: str) -> dict[int, SafeString]:
    """Highlighted excerpts of the entries' public text (``body``), by entry id.

    One query for the page's entries: PostgreSQL ``ts_headline`` over ``body``, SQLite
    FTS5 ``snippet()`` over the body column. Curator remarks are never shown: they sit
    in column C, which no snippet reads.
    """
    ids = [e.pk for e in entries]
    parsed = parse(normalise_query(query))
    if not ids or not parsed:
        return {}
    if _is_postgres():
        options = {"config": CONFIG, "start_sel": START, "stop_sel": STOP}
        # Any wanted term marks (an AND query marks nothing in a text holding only some of
        # them, such as a body naming "S-400" while its compact token sits in column A).
        anyterm = _postgres_query(ParsedQuery(groups=[[t for group in parsed.groups for t in group]]))
        rows = (
            SearchEntry.objects.filter(pk__in=ids)
            .annotate(hl=SearchHeadline("body", anyterm, max_words=35, min_words=15, max_fragments=2, **options))
            .values_list("pk", "hl")
        )
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, snippet({FTS_TABLE}, 1, %s, %s, '…', 32) FROM {FTS_TABLE} "  # noqa: S608
                f"WHERE {FTS_TABLE} MATCH %s AND rowid IN ({', '.join(['%s'] * len(ids))})",
                [START, STOP, fts_expression(parsed), *ids],
            )
            rows = cursor.fetchall()
    designations = [t for t in parsed.terms if _COMPACT_RE.fullmatch(t)]
    return {pk: _mark_sentinels(_mark_designations(text or "", designations)) for pk, text in rows}


def _mark_designations(text: str, compact: list[str]) -> str:
    """Mark a designation the query named in compact form ("s400" marks "S-400"), unmarked so far."""
    if not compact:
        return text
    patterns = [_written_pattern(*_COMPACT_RE.fullmatch(token).groups()) for token in compact]
    pattern = re.compile(rf"(?<![\w{START}])(?:{'|'.join(patterns)})(?![\w{STOP}])", re.IGNORECASE)
    return pattern.sub(lambda m: f"{START}{m.group(0)}{STOP}", text)


def suggestion(query: str) -> str:
    """A near spelling of ``query`` built from the index's vocabulary ("Triumph" -> "Triumf").

    Each word the vocabulary lacks is replaced by its most similar word: ``pg_trgm``
    similarity on PostgreSQL (trigram GIN index), ``difflib`` over the words sharing
    the first letter on SQLite. Empty when nothing changes.
    """
    words = _WORD_RE.findall(query or "")
    changed = False
    out = []
    for word in words[:MAX_TERMS]:
        lower = word.lower()
        if len(lower) < 4 or SearchTerm.objects.filter(word=lower).exists():
            out.append(word)
            continue
        best = _nearest(lower)
        changed |= bool(best)
        # In the query's case: "Triumph" -> "Triumf", "TRIUMPH" -> "TRIUMF".
        out.append((best.upper() if word.isupper() else best.title() if word.istitle() else best) or word)
    return " ".join(out) if changed else ""


def _nearest(word: str) -> str:
    if _is_postgres():
        row = (
            SearchTerm.objects.filter(word__trigram_similar=word)
            .annotate(similarity=TrigramSimilarity("word", word))
            .order_by("-similarity", "word")
            .values_list("word", flat=True)
            .first()
        )
        return row or ""
    candidates = list(SearchTerm.objects.filter(word__startswith=word[0]).values_list("word", flat=True)[:20000])
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.7)
    return close[0] if close else ""


# -- building the index ------------------------------------------------------------------


@dataclass
class IndexedText:
    """What an upper app says about one record: how it reads and what it is called."""

    kind: str
    key: str
    record_id: int | None
    title: str
    url: str
    body: str = ""
    names: list[str] = field(default_factory=list)
    private: list[str] = field(default_factory=list)
    date_text: str = ""
    period: str = ""
    systems: list[str] = field(default_factory=list)
    exact_names: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Document:
    """How one model is indexed: its kind and a builder of ``IndexedText`` from a queryset.

    ``dependents`` maps changed rows of this model to other indexed rows whose text
    includes them (a renamed system changes the entries of its deals).
    """

    label: str
    kind: str
    queryset: Callable[[], QuerySet]
    build: Callable[[QuerySet], Iterator[IndexedText]]
    dependents: Callable[[set[int]], Iterable[tuple[str, int]]] | None = None


_documents: dict[str, Document] = {}


def register(document: Document) -> None:
    """Index the model ``document.label`` (called from an upper app's ``ready``)."""
    _documents[document.label] = document


def registered() -> dict[str, Document]:
    return dict(_documents)


def _entry(text: IndexedText) -> SearchEntry:
    a = " · ".join(part for part in [text.title, *text.names] if part)
    c = " · ".join(part for part in text.private if part)
    keys = {name_key(n) for n in [text.title, *text.names, *text.exact_names] if n}
    return SearchEntry(
        kind=text.kind,
        key=text.key,
        record_id=text.record_id,
        title=text.title[:500],
        body=text.body,
        url=text.url,
        date_text=text.date_text[:100],
        period=text.period,
        text_a=" ".join(filter(None, [a, index_tokens(a)])),
        text_b=text.body,
        text_c=" ".join(filter(None, [c, index_tokens(text.body + " " + c)])),
        exact_keys="|" + "|".join(sorted(k for k in keys if k)) + "|",
    )


_VOCABULARY_RE = re.compile(r"[^\W\d_]{4,}")


def _store(texts: list[IndexedText]) -> None:
    entries = [_entry(t) for t in texts]
    # An entry left under the same key by a row deleted without its change being seen
    # (a bulk delete, a test transaction) gives way to the row that now holds the key.
    for kind in {e.kind for e in entries}:
        keys = [e.key for e in entries if e.kind == kind]
        for start in range(0, len(keys), 500):
            stale = SearchEntry.objects.filter(kind=kind, key__in=keys[start : start + 500])
            if stale.exists():
                _delete(stale)
    created = SearchEntry.objects.bulk_create(entries, batch_size=2000)
    SearchEntrySystem.objects.bulk_create(
        (SearchEntrySystem(entry=e, system=s) for e, t in zip(created, texts, strict=True) for s in set(t.systems)),
        batch_size=5000,
        ignore_conflicts=True,
    )
    vocabulary = {w.lower() for e in created for w in _VOCABULARY_RE.findall(e.title + " " + e.text_a)}
    SearchTerm.objects.bulk_create(
        (SearchTerm(word=w[:100]) for w in vocabulary), batch_size=5000, ignore_conflicts=True
    )
    ids = [e.pk for e in created]
    if not ids:
        return
    if _is_postgres():
        vector = (
            SearchVector("text_a", weight="A", config=CONFIG)
            + SearchVector("text_b", weight="B", config=CONFIG)
            + SearchVector("text_c", weight="C", config=CONFIG)
        )
        for start in range(0, len(ids), 20000):
            SearchEntry.objects.filter(pk__in=ids[start : start + 20000]).update(search_vector=vector)
    else:
        with connection.cursor() as cursor:
            for start in range(0, len(ids), 500):  # a row left by a flushed table must not block its id
                chunk = ids[start : start + 500]
                cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({', '.join(['%s'] * len(chunk))})", chunk)  # noqa: S608
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE} (rowid, a, b, c) VALUES (%s, %s, %s, %s)",  # noqa: S608
                [(e.pk, e.text_a, e.text_b, e.text_c) for e in created],
            )


def prune_orphans() -> None:
    """SQLite: drop FTS5 rows whose entry is gone (``flush`` empties model tables only)."""
    if not _is_postgres():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid NOT IN (SELECT id FROM ground_searchentry)")  # noqa: S608


def _delete(entries: QuerySet[SearchEntry]) -> None:
    if not _is_postgres():
        ids = list(entries.values_list("pk", flat=True))
        with connection.cursor() as cursor:
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                cursor.execute(
                    f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({', '.join(['%s'] * len(chunk))})",  # noqa: S608
                    chunk,
                )
    entries.delete()


BATCH = 20000


@transaction.atomic
def rebuild_search_index() -> int:
    """Replace the whole index with entries built from the current content; return their number."""
    if not _is_postgres():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608
    SearchEntrySystem.objects.all().delete()
    SearchEntry.objects.all().delete()
    SearchTerm.objects.all().delete()
    total = 0
    for document in _documents.values():
        batch: list[IndexedText] = []
        for text in document.build(document.queryset()):
            batch.append(text)
            if len(batch) >= BATCH:
                _store(batch)
                total += len(batch)
                batch = []
        _store(batch)
        total += len(batch)
    return total


def index_rows(label: str, pks: list[int], *, batch: int = BATCH) -> int:
    """Index (or re-index) rows of one registered model by primary key, a batch at a time.

    For bulk writers that bypass the change signals (``generate_synthetic``): memory
    stays at one batch however many rows there are.
    """
    document = _documents[label]
    total = 0
    for start in range(0, len(pks), batch):
        chunk = pks[start : start + batch]
        _delete(SearchEntry.objects.filter(kind=document.kind, record_id__in=chunk))
        texts = list(document.build(document.queryset().filter(pk__in=chunk)))
        _store(texts)
        total += len(texts)
    return total


@transaction.atomic
def refresh_search_entries(changed: frozenset[tuple[str, int]]) -> int:
    """Re-index just the changed records and those whose text includes them."""
    wanted: set[tuple[str, int]] = set(changed)
    for label in {label for label, _ in changed}:
        document = _documents.get(label)
        if document and document.dependents:
            wanted |= set(document.dependents({pk for lbl, pk in changed if lbl == label}))
    texts: list[IndexedText] = []
    for label in {label for label, _ in wanted}:
        document = _documents.get(label)
        if document is None:
            continue
        pks = {pk for lbl, pk in wanted if lbl == label}
        _delete(SearchEntry.objects.filter(kind=document.kind, record_id__in=pks))
        texts.extend(document.build(document.queryset().filter(pk__in=pks)))
    _store(texts)
    return len(texts)
