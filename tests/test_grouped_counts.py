"""A dated list filtered only by period, category, direction, years or ``dated`` counts
from the year groups (``periods.year_groups``), not by reading its rows: the count is
the number of rows it lists, for every such filter alone, in pairs and in threes, and
no ``COUNT`` of the rows is run; any other filter counts the rows as before."""

from itertools import combinations
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import resolve

from ground.models import DataVersion
from periods.models import Analysis, Event, Figure, Period
from tests.factories import TransferFactory
from transfers.models import Project, Transfer

pytestmark = pytest.mark.django_db

LISTS = ["transfers", "events", "projects", "figures", "analyses"]


def _filters(name: str) -> list[tuple[str, str]]:
    """Every value of each grouped filter the list has (and a period by slug); years on
    both sides of every year a listed record starts or ends in, where a year's grain
    could go wrong by one."""
    pairs = [("period", p.slug) for p in Period.objects.all()]
    model = {"transfers": Transfer, "events": Event, "projects": Project, "figures": Figure, "analyses": Analysis}[name]
    dates = model.objects.exclude(date_start=None).values_list("date_start", "date_end")
    years = sorted({d.year + step for pair in dates for d in pair if d for step in (-1, 0, 1)})
    pairs += [("from", str(y)) for y in years] + [("to", str(y)) for y in years]
    pairs += [("dated", "true"), ("dated", "false")]
    if name == "transfers":
        pairs += [("category", c) for c in Transfer.Category.values]
        pairs += [("direction", d) for d in Transfer.Direction.values]
    return pairs


def _selections(name: str) -> list[list[tuple[str, str]]]:
    filters = _filters(name)
    alone = [[pair] for pair in filters]
    several = [list(c) for c in combinations(filters, 2) if c[0][0] != c[1][0]]
    several += [list(c) for c in combinations(filters[::5], 3) if len({k for k, _ in c}) == 3]
    return alone + several


def _listed(api, name: str, pairs) -> tuple[dict, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        body = api.get(f"/api/{name}/?{urlencode([*pairs, ('page_size', '500')])}").json()
    return body, [q["sql"] for q in queries.captured_queries]


def _rows(name: str, pairs) -> int:
    """The rows the list's FilterSet selects, counted by the database (a page's length
    is no check: the paginator cuts the last page at the count)."""
    view = resolve(f"/api/{name}/").func.cls
    filterset = view.filterset_class(QueryDict(urlencode(pairs)), queryset=view.queryset.model.objects.all())
    assert filterset.is_valid(), filterset.errors
    return filterset.qs.count()


@pytest.mark.parametrize("name", LISTS)
def test_a_grouped_filters_count_is_the_rows_it_lists_without_counting_them(api, name):
    checked = 0
    for pairs in _selections(name):
        body, queries = _listed(api, name, pairs)
        assert body["count"] == _rows(name, pairs) == len(body["results"]), pairs
        assert not any(sql.startswith('SELECT COUNT(*) AS "__count"') for sql in queries), pairs
        checked += body["count"] > 0
    assert checked > 5  # selections that list something, not only empty ones


@pytest.mark.parametrize(
    ("name", "pairs"),
    [
        ("transfers", [("status", "delivered")]),
        ("transfers", [("period", "2014-present"), ("actor", "russia")]),
        ("events", [("kind", "agreement"), ("from", "2010")]),
        ("transfers", [("category", "aircraft"), ("q", "Su-35")]),
    ],
)
def test_any_other_filter_counts_its_rows(api, name, pairs):
    body, queries = _listed(api, name, pairs)
    assert body["count"] == _rows(name, pairs) == len(body["results"])
    assert body["count"] > 0
    assert any("COUNT(" in sql and "GROUP BY" not in sql for sql in queries)


def test_a_grouped_count_is_read_once_per_data_version_and_follows_a_write(api, fragment_cache):
    """Every list and filter shares the groups read once per data version; a write (a
    new version) regroups, and the new transfer is counted."""
    first, queries = _listed(api, "transfers", [("direction", "ru-cn")])
    assert sum("GROUP BY" in sql for sql in queries) == 1
    other, queries = _listed(api, "transfers", [("category", "aircraft"), ("period", "2014-present")])
    assert not any("GROUP BY" in sql or "COUNT(" in sql for sql in queries)
    assert other["count"] == _rows("transfers", [("category", "aircraft"), ("period", "2014-present")])

    TransferFactory(direction="ru-cn", supplier__slug="russia", recipient__slug="china")
    DataVersion.bump()
    after, queries = _listed(api, "transfers", [("direction", "ru-cn")])
    assert after["count"] == first["count"] + 1 == _rows("transfers", [("direction", "ru-cn")])
