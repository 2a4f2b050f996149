"""The period summaries every timeline page shows are computed once per data version.

A reader who changes a filter misses the response cache (another URL); the summaries
are the same for every filter and cost a grouped pass over each record table, so they
are cached per data version. A write bumps the version: the next page shows its count.
"""

import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ground.models import DataVersion
from tests.factories import TransferFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def fragment_cache(settings):
    settings.FRAGMENT_CACHE_SECONDS = 600
    caches[settings.RESPONSE_CACHE_ALIAS].clear()
    yield
    caches[settings.RESPONSE_CACHE_ALIAS].clear()


def _transfers_in_first_period(html: str) -> int:
    return int(re.search(r"<dt>Arms transfers</dt><dd>(\d+)</dd>", html).group(1))


def _get(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_another_filter_reuses_the_summaries_and_a_write_refreshes_them(client, fragment_cache):
    first, cold = _get(client, "/?period=1992-2006")
    second, warm = _get(client, "/?period=2006-2014")
    assert warm < cold  # the second filter's page reused the summaries
    before = _transfers_in_first_period(second)
    assert _transfers_in_first_period(first) == before

    TransferFactory(period__slug="1992-2006")  # a write through the models bumps the version
    DataVersion.bump()
    after, _ = _get(client, "/?period=2006-2014&undated=1")
    assert _transfers_in_first_period(after) == before + 1
