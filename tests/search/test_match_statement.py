"""A list's search reads its matching ids with one statement per shape of query (how many
alternatives each word has, how many terms are excluded), compiled once and run with the
terms as values (``ground.search_index._few``): the same ids as the index's own filter,
for every shape the query language has."""

import django_filters
import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ground.search_index import matching_entries, matching_record_ids

pytestmark = pytest.mark.django_db

QUERIES = [
    "S-400",  # a designation
    "s400",
    "Su-35 fighters",  # two words
    '"air defense"',  # a phrase
    "air defence",  # British spelling, and its phrase alternative
    "helicopters or submarines",  # alternatives
    "Russia -China",  # an exclusion
    "defence-industrial",  # a hyphenated word: two spellings
    "nothing-like-this-anywhere",
]


def _subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    return found.union(*(_subclasses(sub) for sub in found)) if found else found


def searched_kinds() -> list[str]:
    """Every kind a list searches: its queryset's ``search_kind``, or its FilterSet's."""
    import mtc.api_urls  # noqa: F401 - every API view, so every FilterSet class, is loaded

    kinds = {getattr(model.objects.all(), "search_kind", "") for model in apps.get_models()}
    kinds |= {getattr(filterset, "search_kind", "") for filterset in _subclasses(django_filters.FilterSet)}
    return sorted(kind for kind in kinds if isinstance(kind, str) and kind)


def test_every_list_searches_a_kind():
    assert {"transfer", "event", "policy-option", "project", "endnote", "source"} <= set(searched_kinds())


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("kind", searched_kinds())
def test_the_compiled_read_finds_what_the_index_filter_finds(query, kind):
    ids = matching_record_ids(query, kind)
    expected = matching_entries(query, kinds=[kind]).values_list("record_id", flat=True)
    assert sorted(ids) == sorted(expected)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's compiled read; SQLite searches FTS5 (CI runs PostgreSQL)"
)
def test_the_kind_is_written_into_the_statement(settings):
    """As a parameter, a generic plan took a kind to be any kind's share and read the
    kind's whole index beside the GIN lookup (8.5 ms instead of 0.6 at 100k records)."""
    settings.DB_PREPARED_STATEMENTS = False  # the SQL itself, not EXECUTE of a prepared statement
    with CaptureQueriesContext(connection) as captured:
        matching_record_ids("Vehicle-97 S-300", "transfer")
    (sql,) = [q["sql"] for q in captured.captured_queries if "ground_searchentry" in q["sql"]]
    assert "\"kind\" = ('transfer')" in sql
    assert "websearch_to_tsquery" in sql
