"""The response cache across gunicorn workers sharing PostgreSQL.

Each worker keeps its own in-memory cache; what keeps them all correct is that every
request reads the committed data version first. These tests check that from outside,
as a client sees it: after a write returns, no worker answers with the old data, and
a database connection dropped between requests costs no failed read.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from rest_framework.authtoken.models import Token

from tests import live_gunicorn
from tests.aggregates.stats_support import on_postgres

pytestmark = [on_postgres, pytest.mark.django_db(transaction=True)]

DETAIL = "/api/transfers/s-400-2015/"
PAGE = "/transfers/s-400-2015/"


@pytest.fixture
def server(loaded_report, tmp_path):
    with live_gunicorn.gunicorn(tmp_path / "gunicorn.log", workers=2, RESPONSE_CACHE_SECONDS="600") as base:
        yield base


@pytest.fixture
def editor_token(loaded_report) -> str:
    user = User.objects.create_user("cache-editor", password="x")
    user.user_permissions.add(*Permission.objects.filter(codename="change_transfer"))
    return Token.objects.create(user=user).key


def get(url: str) -> tuple[int, str, bytes]:
    """(status, X-Cache header, body) of an anonymous GET."""
    status, headers, body = live_gunicorn.exchange(url)
    return status, headers.get("X-Cache", ""), body


def gets(url: str, n: int) -> list[tuple[int, str, bytes]]:
    """``n`` GETs, eight at a time, so that both workers answer some of them."""
    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(get, [url] * n))


def test_no_worker_serves_data_older_than_the_last_write(server, editor_token):
    warm = gets(server + DETAIL, 32)  # both workers cache the old response
    assert {status for status, _, _ in warm} == {200}
    assert "hit" in {cache for _, cache, _ in warm}
    for edit in range(4):
        designation = f"S-400 Triumf, edit {edit}"
        status, body = live_gunicorn.request(
            server + DETAIL, token=editor_token, payload={"designation": designation}, method="PATCH"
        )
        assert status == 200, body
        # The write has returned: every later read, from whichever worker, shows it.
        reads = gets(server + DETAIL, 16) + gets(server + PAGE, 8)
        assert all(status == 200 for status, _, _ in reads)
        assert all(json.loads(body)["designation"] == designation for _, _, body in reads[:16])
        assert all(designation.encode() in body for _, _, body in reads[16:])


def test_a_dropped_database_connection_costs_no_failed_read(server):
    before = gets(server + DETAIL, 32)
    assert "hit" in {cache for _, cache, _ in before}
    with connection.cursor() as cursor:  # the server side ends every app connection
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        )
        assert cursor.fetchone()[0] >= 1  # the persistent connection of each worker that answered
    after = gets(server + DETAIL, 16)
    assert [status for status, _, _ in after] == [200] * 16
    assert {body for _, _, body in after} == {before[0][2]}
