"""Migration ground 0003 empties the search index, and ``migrate``'s handler rebuilds it
with the compact tokens of longer designations: a database indexed by older code
finds "Helicopter-42" once migrated."""

from importlib import import_module

import pytest
from django.apps import apps
from django.db import connection

from ground.models import SearchEntry
from search.index import rebuild_index_after_migrate
from tests.factories import TransferFactory

pytestmark = pytest.mark.django_db

migration = import_module("ground.migrations.0003_reindex_long_designations")


class SchemaEditor:
    """What ``empty_index`` uses of a schema editor: its connection and ``execute``. (A
    real one cannot open inside the test's transaction on SQLite.)"""

    connection = connection

    def execute(self, sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)


def hits(api, query: str) -> list[str]:
    return [row["slug"] for row in api.get("/api/transfers/", {"q": query}).json()["results"]]


def test_the_migration_empties_the_index_and_migrate_rebuilds_it(django_capture_on_commit_callbacks, api):
    with django_capture_on_commit_callbacks(execute=True):
        TransferFactory(slug="h-42", designation="Helicopter-42")
    # As an index built before the change holds it: the words, without "helicopter42".
    SearchEntry.objects.filter(key="h-42").update(text_a="Helicopter-42")
    if connection.vendor == "postgresql":
        SearchEntry.objects.filter(key="h-42").update(search_vector=None)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE ground_searchentry SET search_vector = to_tsvector('english', text_a) WHERE key = 'h-42'"
            )
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE ground_search_fts SET a = 'Helicopter-42' WHERE rowid = %s",
                [SearchEntry.objects.get(key="h-42").pk],
            )
    assert hits(api, "Helicopter-42") == []  # the query asks for a token the old index lacks

    migration.empty_index(apps, SchemaEditor())
    assert not SearchEntry.objects.exists()
    assert hits(api, "S-400") == []

    rebuild_index_after_migrate()
    assert hits(api, "Helicopter-42") == ["h-42"]
    assert "s-400-2015" in hits(api, "S-400")
