"""Compiled statements (``ground.statements``): the rows the ORM gives, for any values
and any number of them, and the API reads built on them."""

import datetime
import decimal

import pytest
from django.db.models import QuerySet
from django.db.models.signals import post_init

from ground.statements import (
    Statement,
    date_markers,
    from_row,
    instances,
    int_markers,
    prepared,
    row_builder,
    text_markers,
)
from tests.factories import TransferFactory
from transfers.models import Transfer

pytestmark = pytest.mark.django_db

COLUMNS = ("pk", "slug", "date_start", "value_usd", "tiv_total_order", "supplier__slug")


def by_slugs(markers: list) -> QuerySet:
    return Transfer.objects.filter(slug__in=markers).order_by("slug").values(*COLUMNS)


@pytest.fixture
def transfers():
    return [
        TransferFactory(
            slug="t-a",
            date_start=datetime.date(1999, 1, 2),
            value_usd=12_000_000,
            tiv_total_order=decimal.Decimal("1.25"),
        ),
        TransferFactory(slug="t-b", date_start=None, value_usd=None),
        TransferFactory(
            slug="t-c", date_start=datetime.date(2015, 11, 30), value_usd=1, tiv_total_order=decimal.Decimal("0.001")
        ),
    ]


@pytest.mark.parametrize("slugs", [["t-a"], ["t-b", "t-c"], ["t-a", "t-b", "t-c"], ["t-c", "missing"]])
def test_rows_are_the_orms_rows_for_any_values(transfers, slugs):
    statement = prepared(("test-by-slugs",), Transfer, by_slugs, text_markers(len(slugs)))
    rows = statement.dicts(slugs)
    assert rows == list(by_slugs(slugs))
    # Dates and decimals come back typed as the ORM types them (SQLite stores text).
    assert all(isinstance(r["date_start"], datetime.date | None) for r in rows)
    assert all(isinstance(r["tiv_total_order"], decimal.Decimal | None) for r in rows)


def test_the_same_shape_is_compiled_once_and_reads_current_rows(transfers):
    first = prepared(("test-by-slugs",), Transfer, by_slugs, text_markers(1))
    Transfer.objects.filter(slug="t-a").update(value_usd=99)
    again = prepared(("test-by-slugs",), Transfer, lambda m: pytest.fail("compiled twice"), text_markers(1))
    assert again is first
    assert again.dicts(["t-a"])[0]["value_usd"] == 99


def test_values_list_rows_are_tuples(transfers):
    def pairs(markers):
        return Transfer.objects.filter(pk__in=markers).order_by("pk").values_list("pk", "slug")

    pks = [t.pk for t in transfers]
    statement = prepared(("test-pairs",), Transfer, pairs, int_markers(3))
    assert statement.tuples(pks) == list(pairs(pks))


def test_an_empty_in_runs_no_sql():
    assert prepared(("test-by-slugs",), Transfer, by_slugs, []) is None


def test_a_marker_used_twice_gets_the_value_in_both_places(transfers):
    def twice(markers):
        return Transfer.objects.filter(slug=markers[0]).filter(slug__gte=markers[0]).values_list("slug", flat=True)

    statement = Statement.compile(twice(text_markers(1)), text_markers(1))
    assert [len(slots) for slots in statement.slots] == [2]
    assert statement.tuples(["t-a"]) == [("t-a",)]


def test_a_date_marker_is_sent_as_the_backend_sends_dates(transfers):
    """SQLite's adapter sends dates as text, PostgreSQL's as dates: either way the value
    lands where the marker stood and the rows are the ORM's."""

    def since(markers):
        return (
            Transfer.objects.filter(slug__startswith="t-", date_start__gte=markers[0])
            .order_by("slug")
            .values_list("slug", flat=True)
        )

    statement = prepared(("test-since",), Transfer, since, date_markers(1))
    start = Transfer.objects.get(slug="t-a").date_start
    later = start + datetime.timedelta(days=1)
    for day in (start, later):
        assert statement.tuples([day]) == [(slug,) for slug in since([day])]
    assert ("t-a",) in statement.tuples([start])
    assert ("t-a",) not in statement.tuples([later])


def test_a_marker_missing_from_the_sql_is_refused():
    with pytest.raises(ValueError, match="not in the compiled parameters"):
        Statement.compile(Transfer.objects.values("pk"), text_markers(1))


def test_an_edited_record_reads_back_edited(editor_api, transfers):
    """The SQL is kept, the data never: a record's API read after an edit shows the edit."""
    assert editor_api.get("/api/transfers/t-a/").json()["value_usd"] == 12_000_000
    response = editor_api.patch("/api/transfers/t-a/", {"value_usd": 13_000_000}, format="json")
    assert response.status_code == 200, response.content
    assert editor_api.get("/api/transfers/t-a/").json()["value_usd"] == 13_000_000
    listed = editor_api.get("/api/transfers/", {"value_usd__gte": 13_000_000, "value_usd__lte": 13_000_000})
    assert [row["slug"] for row in listed.json()["results"]] == ["t-a"]


def test_instances_are_the_orms_instances(transfers):
    """Every column of each instance as the ORM reads it (dates, decimals, foreign keys),
    in key order, missing keys left out; an empty list reads nothing."""
    wanted = sorted(t.pk for t in transfers) + [-1]
    read = instances(Transfer, wanted)
    orm = list(Transfer.objects.filter(pk__in=wanted).order_by("pk"))
    columns = [field.attname for field in Transfer._meta.concrete_fields]
    assert [[getattr(r, c) for c in columns] for r in sorted(read, key=lambda r: r.pk)] == [
        [getattr(r, c) for c in columns] for r in orm
    ]
    assert all(not r._state.adding and r._state.db == "default" for r in read)
    assert instances(Transfer, []) == []


def test_from_row_makes_the_instance_from_db_makes(transfers, django_assert_num_queries):
    """The loaded columns, the deferred ones (read on access, one query), the state, and
    what a model's methods give, as ``Model.from_db`` has them."""
    wanted = {"id", "slug", "date_start", "value_usd", "supplier_id", "designation", "number_ordered", "quantity_unit"}
    names = [f.attname for f in Transfer._meta.concrete_fields if f.attname in wanted]  # from_db's order
    for row in Transfer.objects.order_by("pk").values_list(*names):
        made, orm = from_row(Transfer, "default", names, row), Transfer.from_db("default", names, list(row))
        assert made.__dict__.keys() - {"_state"} == orm.__dict__.keys() - {"_state"}
        assert [getattr(made, n) for n in names] == [getattr(orm, n) for n in names]
        assert made.get_deferred_fields() == orm.get_deferred_fields()
        assert (made._state.adding, made._state.db) == (orm._state.adding, orm._state.db) == (False, "default")
        assert (made.get_absolute_url(), str(made), made.quantity(made.number_ordered)) == (
            orm.get_absolute_url(), str(orm), orm.quantity(orm.number_ordered)
        )  # fmt: skip
        assert made == orm
        with django_assert_num_queries(1):  # a deferred column is read on access, as only() defers it
            notes = made.notes
        assert notes == Transfer.objects.get(pk=made.pk).notes


def test_a_model_with_init_receivers_is_loaded_through_its_init(transfers):
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance.slug)

    post_init.connect(receiver, sender=Transfer)
    try:
        made = from_row(Transfer, "default", ["id", "slug"], [transfers[0].pk, transfers[0].slug])
        build = row_builder(Transfer, "default", ["id", "slug"])
        many = [build([t.pk, t.slug]) for t in transfers]
    finally:
        post_init.disconnect(receiver, sender=Transfer)
    assert seen == [transfers[0].slug, *(t.slug for t in transfers)]  # each row, as __init__ calls it
    assert made.slug == transfers[0].slug
    assert [m.slug for m in many] == [t.slug for t in transfers]
    plain = row_builder(Transfer, "default", ["id", "slug"])([transfers[1].pk, transfers[1].slug])
    assert len(seen) == 1 + len(transfers)  # none connected now: no receiver called
    assert (plain.pk, plain.slug, plain._state.adding, plain._state.db) == (
        transfers[1].pk,
        transfers[1].slug,
        False,
        "default",
    )
