"""Keeping the search index fresh: after every committed change, and after ``migrate``.

The index and its query live in ``ground.search_index``; this app says how each kind
of thing reads (``search.documents``) and when to re-index.
"""

from __future__ import annotations

import logging

from ground import change_bus as changes
from ground import search_index
from ground.models import SearchEntry
from ground.search_index import prune_orphans, refresh_search_entries
from periods.models import Event, Period
from systems.models import SystemName

from .models import CommonWordSummary

logger = logging.getLogger(__name__)

__all__ = ["rebuild_search_index", "refresh_after_change", "refresh_search_entries"]

# Above this many changed rows one full rebuild is cheaper than per-row refreshes.
INCREMENTAL_LIMIT = 2000


def rebuild_search_index() -> int:
    """Replace the whole index (``ground.search_index.rebuild_search_index``), and drop the
    common words' summaries kept of the old one: a rebuild without a content change (after
    a migration, by hand) keeps the data version, and their entries are gone."""
    count = search_index.rebuild_search_index()
    CommonWordSummary.objects.all().delete()
    return count


def refresh_after_change() -> None:
    """Content-change listener: re-index what changed; a failure is logged, not raised.

    It runs after the content's own transaction has committed, so raising would turn a
    successful save into an error page; ``manage.py rebuild_search_index`` repairs the
    index. Only the changed records (and those showing a changed system's names) are
    re-indexed; a bulk change, or one whose extent is unknown, rebuilds everything.
    """
    changed = changes.current_changes()
    try:
        if changed is None or len(changed) > INCREMENTAL_LIMIT or _deleted_system_names(changed):
            rebuild_search_index()
        else:
            refresh_search_entries(changed)
    except Exception:
        logger.exception("Refreshing the search index failed")


def _deleted_system_names(changed: frozenset[tuple[str, int]]) -> bool:
    """Whether a system's name was deleted: the entries carrying it cannot be found from
    the deleted row, so the index is rebuilt (names are rarely deleted)."""
    pks = {pk for label, pk in changed if label == "systems.systemname"}
    return bool(pks) and SystemName.objects.filter(pk__in=pks).count() < len(pks)


# Above this many events, indexing inside ``migrate`` would hold it for minutes; such a
# database is indexed by ``manage.py rebuild_search_index`` instead (README, Search).
MIGRATE_INDEX_LIMIT = 50_000


def rebuild_index_after_migrate(using: str = "default", **kwargs) -> None:
    """Index a database migrated after its content was loaded; an existing index stays.

    Also run after ``flush``, which empties the entries but not SQLite's FTS5 table.
    """
    prune_orphans()
    if SearchEntry.objects.exists() or not Period.objects.exists():
        return
    if Event.objects.count() > MIGRATE_INDEX_LIMIT:
        logger.warning("Search index empty: run manage.py rebuild_search_index")
        return
    rebuild_search_index()
