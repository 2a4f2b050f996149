"""Empty the search index, so that it is rebuilt with the compact tokens of hyphenated
designations of five letters or more ("Helicopter-42" -> "helicopter42",
``ground.search_index._DESIGNATION_RE``). Queries now ask for those tokens, and an index
built before has none of them.

After ``migrate`` the index is rebuilt by the search app's post-migrate handler
(``search.index.rebuild_index_after_migrate``). That happens when the index is empty and
the database holds at most 50,000 events. A larger database logs a warning: run
``manage.py rebuild_search_index``. Written as SQL rather than with the models: Django's
cascading delete reads every entry's id first (1.7 million at a million transfers).
"""

from django.db import migrations

TABLES = ["ground_searchentrysystem", "ground_searchentry", "ground_searchterm"]


def empty_index(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute(f"TRUNCATE {', '.join(TABLES)}")
    else:
        for table in [*TABLES, "ground_search_fts"]:
            schema_editor.execute(f"DELETE FROM {table}")  # noqa: S608 - constant table names


class Migration(migrations.Migration):
    dependencies = [
        ("ground", "0002_search_index"),
    ]

    operations = [migrations.RunPython(empty_index, migrations.RunPython.noop)]
