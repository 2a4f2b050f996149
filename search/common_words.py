"""The summaries of the index's commonest words, computed after each write for every reader.

Why: a search page's first page needs its words' summary (``selectors.match_summary``):
its matches counted by type, period and system and its best entries. For a word in a
large share of the records that is a read of every match: at a million records ``radar``
(71,400 entries) 0.5-1.4 s, ``china`` (nearly every entry) 3 s. Kept per server
process, each process paid it once per word and data version, on a reader's request;
those were the slowest one in a hundred searches. The worker computes them after each
write (``tasks.refresh_common_searches``) into ``CommonWordSummary``, where every
process reads them.

Which words: those of the index's public text (what a reader sees, and so types) and the
systems' names, in at least ``SEARCH_COMMON_WORD_MATCHES`` entries, the commonest
``SEARCH_COMMON_WORDS`` of them; the text's words counted on an even sample of the
entries above ``SAMPLE_ENTRIES``.
"""

from __future__ import annotations

import logging
import re
import time
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.db.models.functions import Mod

from ground import search_index
from ground.models import DataVersion, SearchEntry, SearchEntrySystem
from systems.models import SystemName

from . import selectors
from .models import CommonWordSummary

logger = logging.getLogger(__name__)

#: Entries read to find the common words; above it, every n-th entry (by key) is read.
SAMPLE_ENTRIES = 20_000
_WORD_RE = re.compile(r"[^\W\d_]{3,}")


@dataclass(frozen=True)
class Refreshed:
    """What a refresh did: the data version, the words it kept, and whether it had
    already been done for that version (``fresh``)."""

    version: int
    words: list[str]
    seconds: float
    fresh: bool = False


def common_words(*, min_matches: int) -> list[str]:
    """The words of the index's public text (titles and bodies) in about ``min_matches``
    entries or more, commonest first: counted per entry, on an even sample of the entries
    when there are more than ``SAMPLE_ENTRIES``. On PostgreSQL the stop words ("the")
    among them match no entry in the index, and are not kept."""
    total = SearchEntry.objects.count()
    if total < min_matches:
        return []
    step = max(1, total // SAMPLE_ENTRIES)
    entries = SearchEntry.objects.order_by()
    if step > 1:
        entries = entries.alias(bucket=Mod("id", step)).filter(bucket=0)
    counts: Counter[str] = Counter()
    for title, body in entries.values_list("title", "body").iterator(chunk_size=2000):
        counts.update(set(_WORD_RE.findall(f"{title} {body}".lower())))
    estimates = {word: n * step for word, n in counts.items()}
    # A system's names match every entry about it (the index holds them, unshown, in the
    # entries that name the system): "kilo" in 35,000 entries at a million records, most
    # of whose public text does not say it.
    for word, n in _system_name_words():
        estimates[word] = max(n, estimates.get(word, 0))
    ranked = sorted(estimates.items(), key=lambda item: (-item[1], item[0]))
    return [word for word, n in ranked if n >= min_matches]


def _system_name_words() -> list[tuple[str, int]]:
    """Each name of each system, and each word of it, with how many entries concern the
    system (at least that many match it)."""
    concerning = dict(
        SearchEntrySystem.objects.order_by().values("system").annotate(n=Count("entry")).values_list("system", "n")
    )
    found = []
    for name, system in SystemName.objects.values_list("name", "system__slug"):
        n = concerning.get(system, 0)
        found += [(name.lower(), n), *((word, n) for word in _WORD_RE.findall(name.lower()))]
    return found


def refresh(*, min_matches: int | None = None, limit: int | None = None, force: bool = False) -> Refreshed:
    """Compute and keep the summaries of the common words for the current data version.

    Idempotent: done already for this version (a summary of it is kept), it does nothing
    unless ``force``. Each word is written in its own transaction (its summary and its
    types' rankings replaced together); a summary of a later version, kept by a refresh
    that overtook this one, is never replaced. Summaries of earlier versions (words no
    longer common among them) are dropped.
    """
    min_matches = settings.SEARCH_COMMON_WORD_MATCHES if min_matches is None else min_matches
    limit = settings.SEARCH_COMMON_WORDS if limit is None else limit
    started = time.monotonic()
    version = DataVersion.current().version
    if not force and CommonWordSummary.objects.filter(data_version=version).exists():
        return Refreshed(version, [], time.monotonic() - started, fresh=True)
    kept, keys = [], set()
    for word in common_words(min_matches=min_matches):
        if len(kept) == limit:
            break
        key = selectors.query_key(word)
        if key not in keys and _keep(word, key, version, min_matches):  # "Kilo class" is "kilo-class"
            kept.append(word)
            keys.add(key)
    CommonWordSummary.objects.filter(data_version__lt=version).delete()
    seconds = time.monotonic() - started
    logger.info("Kept the summaries of %d common words for data version %d in %.1f s.", len(kept), version, seconds)
    return Refreshed(version, kept, seconds)


def _keep(word: str, key: tuple[str, str], version: int, min_matches: int) -> bool:
    """Summarise ``word`` and keep it, unless it matches fewer than ``min_matches`` entries
    (a stop word matches none)."""
    started = time.monotonic()
    found = search_index.summarise_matches(word, selectors.RANKED_KEPT + 1, every_kind=True)
    seconds = time.monotonic() - started
    matches = sum(n for _, _, n in found.cells)
    if matches < min_matches:
        return False
    word_key, name = key
    by_kind: dict[str, list] = {}
    for row in found.ranked_of_kind:
        by_kind.setdefault(row[1], []).append(list(row))
    per_kind: Counter[str] = Counter()
    for kind, _, n in found.cells:
        per_kind[kind] += n
    rows = [
        CommonWordSummary(
            word=word_key,
            name=name,
            kind="",
            data_version=version,
            matches=matches,
            seconds=seconds,
            summary={
                "cells": [list(c) for c in found.cells],
                "system_cells": [list(c) for c in found.system_cells],
                "ranked": [list(r) for r in found.ranked],
            },
        ),
        *(
            CommonWordSummary(
                word=word_key,
                name=name,
                kind=kind,
                data_version=version,
                matches=per_kind[kind],
                seconds=0,
                summary={"ranked": ranked},
            )
            for kind, ranked in by_kind.items()
        ),
    ]
    # A later version's rows (a refresh that overtook this one) stay: these conflict with
    # them and are dropped. Readers ask for the current version, so a row left of an
    # earlier one is never read, and the next refresh drops it.
    with transaction.atomic():
        CommonWordSummary.objects.filter(word=word_key, name=name, data_version__lte=version).delete()
        CommonWordSummary.objects.bulk_create(rows, ignore_conflicts=True)
    return True
