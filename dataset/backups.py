"""Portable backups: a JSON dump of content, history and users, restorable on any database.

``pg_dump`` is the tool for a large PostgreSQL deployment; this works the same on
SQLite and PostgreSQL, which is what lets a researcher move a knowledge base between
the two. Derived tables (statistics) are left out and rebuilt after a restore.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction

from aggregates.statistics import rebuild
from ground import stored_rows
from ground.models import DataVersion
from search.index import rebuild_search_index

EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "admin.logentry",
    "axes",
    "aggregates.statisticssnapshot",
    "aggregates.statisticsstate",
    # The search index is derived from the content and rebuilt on restore (SQLite's FTS5
    # table, which dumpdata cannot see, must match the entries row for row).
    "ground.searchentry",
    "ground.searchentrysystem",
    "ground.searchterm",
    # Kept per data version: a restore's version is new, so none would be read.
    "search.commonwordsummary",
    # Keyed by record ids, which a restore may change (natural keys): built again after it.
    "ground.storedrow",
]


def backup(*, path: Path) -> None:
    """Write every row a restore needs to ``path`` (natural keys, so ids may differ).

    The file holds users' password hashes and API tokens, so it is created readable by
    its owner only (0600) before anything is written, whatever the umask, and an
    existing file is narrowed to 0600 too.
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    os.close(fd)
    call_command(
        "dumpdata",
        natural_foreign=True,
        natural_primary=True,
        exclude=EXCLUDED,
        indent=1,
        output=str(path),
        verbosity=0,
    )


@transaction.atomic
def restore(*, path: Path) -> int:
    """Replace the database's content with the backup at ``path``; return the new data version.

    The data version ends above both the current one and the backup's, so no cache or
    ETag keyed on an older version can ever match the restored data.
    """
    if not path.exists():
        raise FileNotFoundError(f"No backup at {path}")
    before = DataVersion.current().version
    if connection.vendor == "postgresql":
        # TRUNCATE refuses tables with deferred FK checks pending in this transaction
        # (an edit earlier in the same transaction); run those checks now.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    ContentType.objects.clear_cache()  # flush re-creates content types with new ids
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # back to Django's deferred FK checks for loaddata
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    call_command("loaddata", str(path), verbosity=0)
    rebuild_search_index()
    version = max(before, DataVersion.current().version) + 1
    DataVersion.objects.update_or_create(id=1, defaults={"version": version})
    transaction.on_commit(lambda: rebuild(force=True))
    transaction.on_commit(stored_rows.refresh)  # flush emptied them; loaddata reaches no listener
    return version
