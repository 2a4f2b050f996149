"""Every page reads a fixed number of SQL queries, whatever the number of records.

Each page is read twice (so per-process caches such as ContentType's are warm, as in
production, and on PostgreSQL its statements are prepared: ``ground.plan_cache``),
counted on the report's data, then read and measured again after ``grow_dataset`` adds
ten cited, dated records of every type (tied to the same periods, to Rostec and to
endnotes 1 and 2): same number. Pages are
chosen whose lists are non-empty at both sizes (an empty list skips its prefetch query).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import grow_dataset
from tests.query_counts import SUMMARY_WORK_MEM

pytestmark = pytest.mark.django_db

# page -> queries (a read opens no transaction: ground.middleware.AtomicWritesMiddleware). The
# timeline's four record types (events, transfers, projects, analyses) each cost their
# year spans (one GROUP BY gives the count and the overview), rows and
# citations on the timeline pages; a list of several types is first
# located by their sort keys (one UNION query), so only the rows shown are read whole.
# The home page also reads each type's marks for the timeline chart; its Cite menu, and a
# system's, load the selection's endnotes from /cite/ when opened. Endnote and document
# pages read their Cite menu's endnotes and works; actor and policy-option pages link
# their Cite menu to the citations' own page. A record page's group lists (same period,
# actors, systems) hold the record itself when it is among their first rows (each page
# drops itself from the shared list), so the analysis reads its own type's rows once more.
PAGES = {
    "/": 41,
    "/?period=2014-present&type=transfer&category=air-defence&direction=ru-cn&from=2014&to=2020&actor=russia": 23,
    "/?period=nope&from=abc&to=1800": 27,
    "/periods/2014-present/": 20,
    "/actors/russia/": 11,
    "/policy-options/increase-federal-rd-funding/": 2,
    "/notes/csis-mtc-primer-2020/1/": 14,
    "/documents/csis-mtc-primer-2020/": 6,
    "/sources/": 2,
    "/sources/meick-2017/": 9,
    # With the summary the worker keeps of a common word (none: "S-400" is not one), under
    # the data version (with the fragment cache on, as deployed, read anyway).
    "/search/?q=S-400": 7 + SUMMARY_WORK_MEM,
    "/search/?q=S-400&system=s-400&type=transfer": 8 + SUMMARY_WORK_MEM,
    "/systems/lada-class/": 11,
    "/cite/transfer/s-400-2015/": 7,
    "/cite/analysis/schwartz-concerns-overridden/": 5,
}

# Record pages: at most this many. Besides the record and its citations, the neighbours'
# keys are one statement, their rows one query per record type shown (five at most) and
# their periods one more, so the number depends on which types are nearby, never on how
# many records there are.
# The Cite menu's Chicago forms are on their own page (/cite/<type>/<slug>/), in PAGES.
RECORD_PAGES = {
    "/events/rostec-su-57-statement-2019-03/": 11,
    "/transfers/s-400-2015/": 9,
    "/projects/heavy-lift-helicopter-2015/": 10,
    "/figures/russia-share-china-arms-imports-1992-2006/": 10,
    "/analyses/schwartz-concerns-overridden/": 11,
}


def warm(client, url: str) -> None:
    """Per-process caches filled, and on PostgreSQL the page's statements prepared (on
    their second run on a connection), as on a running server."""
    for _ in range(2):
        client.get(url)


def test_query_counts_do_not_grow_with_the_records(client):
    """All pages measured at both sizes in one test: growing the data once keeps it quick.

    Every page is measured before asserting, so one run names every page that changed.
    """
    statuses, counts = {}, {}
    for url in [*PAGES, *RECORD_PAGES]:
        warm(client, url)
        with CaptureQueriesContext(connection) as queries:
            statuses[url] = client.get(url).status_code
        counts[url] = [len(queries)]
    grow_dataset(10)
    for url in [*PAGES, *RECORD_PAGES]:
        warm(client, url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == statuses[url]
        counts[url].append(len(queries))
    wrong = {url: counts[url] for url in PAGES if counts[url] != [PAGES[url], PAGES[url]]}
    wrong |= {url: counts[url] for url in RECORD_PAGES if max(counts[url]) > RECORD_PAGES[url]}
    assert not wrong, f"queries (report, grown) differ from the table: {wrong}"
    assert set(statuses.values()) <= {200, 400}


def test_the_grown_records_are_on_the_pages_measured(client):
    """The second size really is bigger on the measured pages (else the test proves nothing)."""
    before = client.get("/").content.decode().count('class="entry ')
    grow_dataset(10)
    after = client.get("/").content.decode().count('class="entry ')
    assert after == before + 50  # ten more of each of the five dated record types
    note = client.get("/notes/csis-mtc-primer-2020/1/").content.decode()
    assert "X-" in note or "Event " in note
