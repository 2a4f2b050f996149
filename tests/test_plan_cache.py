"""Compiled statements run as server-side prepared statements on PostgreSQL
(``ground.plan_cache``): planned once per connection, the same rows as plain SQL, and
never a broken transaction. On SQLite they run as plain SQL."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from ground.plan_cache import positional
from ground.statements import Statement, prepared, text_markers
from transfers.models import Transfer

pytestmark = pytest.mark.django_db

ON_POSTGRESQL = connection.vendor == "postgresql"


def by_slug(markers):
    return Transfer.objects.filter(slug=markers[0]).values_list("slug", "designation", "date_start")


def run_counting(statement, values):
    with CaptureQueriesContext(connection) as queries:
        rows = statement.tuples(values)
    return rows, [q["sql"].split()[0] for q in queries.captured_queries]


def test_placeholders_become_positional_and_percent_signs_stay():
    sql = "SELECT \"a\" FROM t WHERE b LIKE %s AND c = %s AND d LIKE 'x%%'"
    assert positional(sql) == "SELECT \"a\" FROM t WHERE b LIKE $1 AND c = $2 AND d LIKE 'x%'"


def test_a_statement_is_prepared_on_its_second_run_then_executed():
    statement = prepared(("test-plan-by-slug",), Transfer, by_slug, text_markers(1))
    runs = [run_counting(statement, [slug]) for slug in ("s-400-2015", "su-35-2015", "s-400-2015")]
    for (rows, _), slug in zip(runs, ("s-400-2015", "su-35-2015", "s-400-2015"), strict=True):
        assert rows
        assert rows == list(by_slug([slug]))
    sent = [sent for _, sent in runs]
    if ON_POSTGRESQL:
        assert sent[0] == ["SELECT"]  # once: plain SQL
        assert "PREPARE" in sent[1]
        assert sent[1][-1] == "EXECUTE"
        assert sent[2] == ["EXECUTE"]
    else:
        assert sent == [["SELECT"]] * 3


@pytest.mark.django_db(transaction=True)
def test_a_new_connection_prepares_again(loaded_report):
    """A reconnect (here: the connection closed between requests) knows no statement."""
    statement = prepared(("test-plan-by-slug",), Transfer, by_slug, text_markers(1))
    statement.tuples(["s-400-2015"])
    statement.tuples(["s-400-2015"])
    connection.close()
    statement.tuples(["s-400-2015"])
    rows, sent = run_counting(statement, ["s-400-2015"])
    assert rows == list(by_slug(["s-400-2015"]))
    assert ("PREPARE" in sent) == ON_POSTGRESQL


def test_a_statement_prepared_in_a_rolled_back_transaction_still_runs():
    statement = prepared(("test-plan-rollback",), Transfer, by_slug, text_markers(1))

    def read_then_fail():
        with transaction.atomic():
            statement.tuples(["s-400-2015"])
            statement.tuples(["s-400-2015"])  # prepared here
            raise RuntimeError("roll back")

    with pytest.raises(RuntimeError):
        read_then_fail()
    rows, sent = run_counting(statement, ["s-400-2015"])
    assert rows == list(by_slug(["s-400-2015"]))
    assert sent == (["EXECUTE"] if ON_POSTGRESQL else ["SELECT"])


def test_sql_the_server_cannot_prepare_runs_plain_and_leaves_the_transaction_usable():
    """``$1 + $2`` has no type PostgreSQL can infer; with the values written in, it does."""
    statement = Statement.from_sql("default", "SELECT %s + %s", [2, 3], [])
    with transaction.atomic():
        for _ in range(3):
            assert statement.tuples([]) == [(5,)]
        assert Transfer.objects.filter(slug="s-400-2015").exists()


def test_prepared_statements_can_be_turned_off(settings):
    settings.DB_PREPARED_STATEMENTS = False
    statement = prepared(("test-plan-off",), Transfer, by_slug, text_markers(1))
    rows, sent = run_counting(statement, ["s-400-2015"])
    assert rows == list(by_slug(["s-400-2015"]))
    assert sent == ["SELECT"]
