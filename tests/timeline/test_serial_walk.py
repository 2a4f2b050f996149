"""The timeline's page of keys is read without PostgreSQL's parallel workers.

Why it matters: at a million records PostgreSQL planned each record type's walk of its
date index as a Gather Merge of two workers; a system's page took twice as long so
(``timeline.unions.serial``). Here the planner is made to want workers on the small
test data (parallel plans costed as free), and the statement the system page sends
must still plan none, while the same SELECT sent alone plans them.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel workers are PostgreSQL's"),
]

#: Settings under which PostgreSQL plans parallel workers for any scan (this test's transaction only).
PARALLEL_COSTED_FREE = (
    "SET LOCAL parallel_setup_cost = 0; SET LOCAL parallel_tuple_cost = 0; "
    "SET LOCAL min_parallel_table_scan_size = 0; SET LOCAL min_parallel_index_scan_size = 0; "
    "SET LOCAL max_parallel_workers_per_gather = 2"
)


def plan(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_a_system_pages_key_statement_plans_no_parallel_workers(client):
    with connection.cursor() as cursor:
        cursor.execute(PARALLEL_COSTED_FREE)
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/systems/s-400/")
    assert response.status_code == 200
    (sent,) = [q["sql"] for q in captured.captured_queries if "timeline_order, slug FROM" in q["sql"]]
    select = sent[sent.index("SELECT timeline_order") :]
    with connection.cursor() as cursor:  # what the statement set holds to this transaction's end
        cursor.execute(PARALLEL_COSTED_FREE)

    assert "Gather" in plan("EXPLAIN " + select), "the guard: PostgreSQL plans workers for the SELECT alone"
    sent_plan = plan(sent.replace("SELECT timeline_order", "EXPLAIN SELECT timeline_order", 1))
    assert "Gather" not in sent_plan
    assert "Merge Append" in sent_plan or "Append" in sent_plan  # the union's parts, walked in turn
