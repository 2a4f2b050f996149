"""Aggregate statistics: every figure checked against values counted by hand from the report.

The report dataset (dataset/data/report/) holds 17 transfers, 6 joint projects and 38
events; the expected numbers below were counted from those YAML files by hand.
"""

import copy
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aggregates import statistics
from aggregates.models import StatisticsSnapshot, StatisticsState
from aggregates.tasks import rebuild_statistics
from periods.models import Period
from sources.models import Endnote
from tests.factories import CitationFactory, EventFactory, TransferFactory
from transfers.models import Transfer

from .stats_support import assert_consistent

pytestmark = pytest.mark.django_db


@pytest.fixture
def stats() -> statistics.StoredStatistics:
    statistics.rebuild()
    return statistics.current_statistics()


def metric(stats, family, scope="all", key=None, dimension="total", value=None):
    block = stats.block(family, scope, key)
    return block["total"] if dimension == "total" else block[dimension][value]


# -- transfers ------------------------------------------------------------------------


def test_total_known_value_of_russia_to_china_transfers_agreed_in_2014_present(stats):
    # S-400 (an estimated $3 billion, note 31) + Su-35 ($2.5 billion, note 32); the Su-57
    # is a reported interest with no value.
    ru_cn = metric(stats, "transfers", "period", "2014-present", "direction", "ru-cn")
    assert ru_cn["count"] == 3
    assert ru_cn["value_usd"] == 5_500_000_000
    assert (ru_cn["with_value"], ru_cn["without_value"], ru_cn["value_estimated"]) == (2, 1, 1)
    cn_ru = metric(stats, "transfers", "period", "2014-present", "direction", "cn-ru")
    assert (cn_ru["count"], cn_ru["value_usd"], cn_ru["without_value"]) == (4, 0, 4)


def test_transfers_overall_by_direction_with_known_value(stats):
    total = metric(stats, "transfers")
    assert total["count"] == 17
    assert total["value_usd"] == 660_000_000 + 3_000_000_000 + 2_500_000_000
    assert (total["with_value"], total["without_value"], total["value_estimated"]) == (3, 14, 1)
    directions = stats.block("transfers")["direction"]
    assert {k: v["count"] for k, v in directions.items()} == {"ru-cn": 13, "cn-ru": 4}
    assert directions["ru-cn"]["value_usd"] == 6_160_000_000


def test_transfers_per_period(stats):
    counts = {p: metric(stats, "transfers", "period", p)["count"] for p in ("1992-2006", "2006-2014", "2014-present")}
    assert counts == {"1992-2006": 4, "2006-2014": 6, "2014-present": 7}
    assert metric(stats, "transfers", "period", "1992-2006")["value_usd"] == 0  # the report gives no deal values
    assert metric(stats, "transfers", "period", "2006-2014")["value_usd"] == 660_000_000  # Mi-17, note 24


def test_transfers_by_category(stats):
    categories = {k: v["count"] for k, v in stats.block("transfers")["category"].items()}
    assert categories == {
        "aircraft": 4,  # Su-27, Su-30, Su-35, Su-57
        "aero-engines": 4,  # the four 2011-2012 engine contracts
        "air-defence": 2,  # S-300, S-400
        "naval": 2,  # Kilo-class, Lada-class
        "helicopters": 1,
        "electronics": 1,
        "materials": 1,
        "uav": 1,
        "marine-engines": 1,
    }
    assert stats.block("transfers")["category"]["aircraft"]["value_usd"] == 2_500_000_000


def test_transfers_by_status(stats):
    statuses = {k: v["count"] for k, v in stats.block("transfers")["status"].items()}
    assert statuses == {
        "delivered": 5,  # Su-27, Su-30, S-300, Kilo-class, Su-35
        "agreed": 5,  # four engine contracts, Mi-17
        "framework": 1,  # Lada-class
        "in-delivery": 1,  # S-400
        "reported-interest": 1,  # Su-57
        "unknown": 4,  # the four China-to-Russia supplies
    }


def test_numbers_ordered_and_delivered_by_unit(stats):
    units = stats.block("transfers")["unit"]
    # No engine deliveries are stated: not stated (null), not zero.
    assert (units["engines"]["number_ordered"], units["engines"]["number_delivered"]) == (150 + 123 + 184 + 140, None)
    # Su-35: 24 ordered; the report says the delivery was completed but prints no number delivered.
    assert (units["aircraft"]["number_ordered"], units["aircraft"]["number_delivered"]) == (24, None)
    assert (units["regiments"]["number_ordered"], units["regiments"]["number_delivered"]) == (2, 1)
    assert units["submarines"]["number_ordered"] == 4  # Lada-class; the Kilo purchase gives no number
    assert units["engines"]["count"] == 5  # the marine diesels have a unit but no number


def test_transfers_per_year_of_the_deal(stats):
    years = {k: b["total"]["count"] for k, b in stats.data["transfers"]["year"].items()}
    # 2011: the four engine contracts dated 2011-2012 (first year); 2012: Mi-17 (ordered);
    # 2013: Lada-class (March 2013); 2015: S-400 and Su-35; undated: the rest.
    assert years == {"2011": 4, "2012": 1, "2013": 1, "2015": 2, "undated": 9}
    assert metric(stats, "transfers", "year", "2015")["value_usd"] == 5_500_000_000


# -- projects, events -----------------------------------------------------------------


def test_joint_projects_by_status(stats):
    assert {k: v["count"] for k, v in stats.block("projects")["status"].items()} == {
        "in-progress": 4,
        "agreed": 1,
        "revealed": 1,
    }
    # Every project is told in the 2014-present section (the Lada, Z-10 and Tigr ones too,
    # although dated 2011-2013): one period rule for all records, dataset/data/README.md.
    by_period = stats.block("projects", "period", "2014-present")["status"]
    assert {k: v["count"] for k, v in by_period.items()} == {"in-progress": 4, "agreed": 1, "revealed": 1}
    assert metric(stats, "projects", "period", "2014-present")["count"] == 6


def test_events_by_kind(stats):
    kinds = {k: v["count"] for k, v in stats.block("events")["kind"].items()}
    assert kinds == {
        "agreement": 4,
        "announcement": 1,
        "decision": 1,  # the Kremlin ends its informal ban
        "decree": 1,
        "delivery": 4,
        "legislation": 1,  # CAATSA (2017)
        "meeting": 3,
        "other": 11,  # with the S-400 operator training course
        "review": 1,
        "sanction": 2,
        "statement": 9,
    }
    # The Z-10 revelation (2013) is told in the 2014-present section; the Kremlin's decision
    # and CAATSA (2017) are new records there.
    assert [metric(stats, "events", "period", p)["count"] for p in ("1992-2006", "2006-2014", "2014-present")] == [
        5,
        8,
        25,  # with the S-400 operator training course
    ]
    assert stats.block("events", "period", "2006-2014")["kind"]["meeting"]["count"] == 3


# -- citation coverage ----------------------------------------------------------------


def test_citation_coverage(stats):
    citations = stats.data["citations"]
    notes = citations["records_per_endnote"]["csis-mtc-primer-2020"]
    assert len(notes) == 73
    assert notes["23"] == 11  # 4 engine contracts + 7 figures
    assert notes["37"] == 4  # the four China-to-Russia supplies
    assert notes["1"] == 1  # Meick's definition of MTC, an analysis record
    assert all(n > 0 for n in notes.values())  # every endnote supports a record
    assert citations["endnotes_cited"]["csis-mtc-primer-2020"] == {"endnotes": 73, "cited": 73}
    per_source = citations["endnotes_per_source"]
    assert len(per_source) == 36
    assert (per_source["meick-2017"], per_source["korolev-2018"]) == (12, 11)
    records = citations["records"]
    assert records["transfers.transfer"] == {"records": 17, "uncited": 0, "uncited_explained": 0}
    assert records["periods.event"] == {"records": 38, "uncited": 2, "uncited_explained": 2}
    assert records["periods.figure"] == {"records": 38, "uncited": 2, "uncited_explained": 2}
    assert records["periods.actor"] == {"records": 32, "uncited": 32, "uncited_explained": 0}
    assert records["periods.analysis"] == {"records": 11, "uncited": 0, "uncited_explained": 0}


def test_parts_add_up_to_the_totals(stats):
    assert assert_consistent(stats) == 17


# -- rebuild behaviour ----------------------------------------------------------------


def test_a_change_shows_stale_until_the_rebuild_counts_it(stats):
    period = Period.objects.get(slug="2014-present")
    TransferFactory(period=period, value_usd=Decimal("1000000"), category=Transfer.Category.MISSILES)
    stale = statistics.current_statistics()
    assert stale.stale
    assert stale.data == stats.data
    statistics.rebuild()
    fresh = statistics.current_statistics()
    assert not fresh.stale
    assert metric(fresh, "transfers")["count"] == 18
    assert metric(fresh, "transfers", "period", "2014-present", "direction", "ru-cn")["value_usd"] == 5_501_000_000
    assert fresh.block("transfers")["category"]["missiles"]["count"] == 1


def test_rebuilding_twice_gives_the_same_statistics_and_keeps_one_snapshot(stats):
    statistics.rebuild()
    again = statistics.current_statistics()
    assert again.data == stats.data
    assert again.fingerprint == stats.fingerprint
    assert StatisticsSnapshot.objects.count() == 1


def test_an_unforced_request_with_unchanged_data_keeps_the_snapshot(stats):
    snapshot_id = StatisticsState.objects.get().current_id
    result = statistics.rebuild(force=False)
    assert result.outcome == "unchanged"
    assert StatisticsState.objects.get().current_id == snapshot_id


def test_one_rebuild_runs_twelve_statements_of_which_three_aggregate(stats):
    # Bookkeeping (request, lock, claim, swap of three writes, claim again, unlock,
    # check) plus 3 set-based aggregate statements, whatever the number of records.
    # Savepoints are the test's transaction nesting; outside tests PostgreSQL adds one
    # statement setting the read transaction's isolation level and timeout.
    with CaptureQueriesContext(connection) as queries:
        result = statistics.rebuild()
    statements = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(statements) == 12, statements
    assert result.statements == 3
    assert result.passes == 1


# -- triggers -------------------------------------------------------------------------


def test_create_update_delete_each_rebuild_after_commit(stats, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        transfer = TransferFactory(value_usd=Decimal("5"))
    assert metric(statistics.current_statistics(), "transfers")["count"] == 18
    with django_capture_on_commit_callbacks(execute=True):
        transfer.value_usd = Decimal("7")
        transfer.save()
    current = statistics.current_statistics()
    assert metric(current, "transfers")["value_usd"] == 6_160_000_007
    assert not current.stale
    with django_capture_on_commit_callbacks(execute=True):
        transfer.delete()
    assert metric(statistics.current_statistics(), "transfers")["count"] == 17


def test_a_new_citation_updates_coverage_after_commit(stats, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        event = EventFactory()
        CitationFactory(record=event, endnote=Endnote.objects.get(number=1))
    citations = statistics.current_statistics().data["citations"]
    assert citations["records_per_endnote"]["csis-mtc-primer-2020"]["1"] == 2
    assert citations["records"]["periods.event"] == {"records": 39, "uncited": 2, "uncited_explained": 2}


def test_nothing_is_rebuilt_before_commit(stats, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        TransferFactory()
        assert metric(statistics.current_statistics(), "transfers")["count"] == 17
    assert len(callbacks) == 1


def test_the_task_runs_the_service_and_the_beat_schedule_names_it(settings):
    from mtc.celery import app

    assert app.tasks[settings.CELERY_BEAT_SCHEDULE["rebuild-statistics"]["task"]].name == rebuild_statistics.name
    assert rebuild_statistics.apply().get()["outcome"] == "rebuilt"
    assert rebuild_statistics.apply(kwargs={"force": False}).get()["outcome"] == "unchanged"


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's planner statistics; SQLite has no such thing (CI runs this)"
)
def test_postgresql_estimates_the_rebuilds_transfer_groups_from_extended_statistics():
    # The migration's extended statistics must cover the very columns and year
    # expression the rebuild groups transfers by: otherwise the planner multiplies
    # the columns' distinct counts, expects far more groups than exist, and at a
    # million transfers sorts on disk instead of hashing (2.2 s against 0.8 s).
    template = Transfer.objects.get(slug="s-400-2015")
    categories, statuses = list(Transfer.Category.values), list(Transfer.Status.values)
    rows = []
    for i in range(3000):
        k = i % 24  # 24 groups: year, category and status move together
        row = copy.copy(template)
        row.pk, row.slug, row.year_ordered = None, f"planner-{i}", 1990 + k
        row.category, row.status = categories[k % len(categories)], statuses[k % len(statuses)]
        rows.append(row)
    Transfer.objects.bulk_create(rows)
    sql, params = statistics._base_sql(statistics.FAMILIES[0])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE transfers_transfer")
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) AS groups", params)
        actual = cursor.fetchone()[0]
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        estimated = cursor.fetchone()[0][0]["Plan"]["Plan Rows"]
    assert actual < 60
    assert estimated <= 2 * actual, (estimated, actual)
