"""A weapon system's page and API resource; "same system" on record pages follows the links."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ground.models import DataVersion
from systems.models import System
from tests.factories import TransferFactory
from transfers.models import Transfer

pytestmark = pytest.mark.django_db


def entries(html: str) -> dict[str, str]:
    """Each record listed on a page (its URL) with the entry's HTML (where its endnotes are)."""
    found = {}
    for block in re.findall(r'<li class="entry entry--\w+">(.*?)</li>', html, flags=re.S):
        url = re.search(r'<h4 class="entry__title"><a href="([^"]+)"', block).group(1)
        found[url] = block
    return found


def endnotes(block: str) -> set[int]:
    return {int(n) for n in re.findall(r'aria-label="Endnote (\d+)"', block)}


def test_the_s400_page_lists_everything_about_it_each_with_its_endnote(client):
    response = client.get("/systems/s-400/")
    assert response.status_code == 200
    listed = entries(response.content.decode())
    expected = {
        "/transfers/s-400-2015/": {31},  # the 2015 sale
        "/events/s-400-first-regiment-delivered-2018-05/": {31},  # the 2018 delivery
        "/events/s-400-second-regiment-delivery-begins-2019-07/": {31},  # the 2019 delivery
        "/events/s-400-operator-training-course/": {31},  # the training course
        "/events/caatsa-sanctions-2018-09/": {49, 50},  # the 2018 sanctions
        "/figures/s-400-regiments-sold/": None,  # the figures about it
        "/figures/s-400-sale-value/": None,
    }
    assert set(expected) <= set(listed)
    for url, notes in expected.items():
        assert endnotes(listed[url]), f"{url} shows no endnote"
        if notes:
            assert endnotes(listed[url]) == notes, url
    html = response.content.decode()
    for name in ("SA-21 Growler", "С-400 «Триумф»", "Triumf"):
        assert name in html
    assert "added by the curators: NATO reporting name list" in html
    assert 'id="cite-selection"' in html or "Cite the endnotes of these records" in html


def test_the_cite_menu_of_a_system_cites_its_records_endnotes(client):
    text = client.get("/cite/endnotes.txt", {"system": "s-400", "undated": "1"}).content.decode()
    assert "Chinese PLA Personnel Complete Training for S-400" in text  # note 31
    assert "u-s-sanctions-china-for-buying-russian-fighter-jets-missiles" in text  # note 50 (the sanctions)
    assert "\n49. " in text
    assert "\n50. " in text


def test_system_is_a_filter_of_the_timeline_and_every_record_list(client, api):
    on_timeline = {i["slug"] for i in api.get("/api/timeline/", {"system": "su-35"}).json()["results"]}
    assert on_timeline >= {"su-35-2015", "su-35-delivery-completed-2019-04", "caatsa-sanctions-2018-09"}
    assert [t["slug"] for t in api.get("/api/transfers/", {"system": "su-35"}).json()["results"]] == ["su-35-2015"]
    events = {e["slug"] for e in api.get("/api/events/", {"system": "su-35"}).json()["results"]}
    assert events == {"su-35-delivery-completed-2019-04", "caatsa-sanctions-2018-09"}
    assert {f["slug"] for f in api.get("/api/figures/", {"system": "su-35"}).json()["results"]} == {
        "su-35-contract-value",
        "su-35-aircraft-contracted",
    }
    assert {p["slug"] for p in api.get("/api/projects/", {"system": "z-10"}).json()["results"]} == {
        "z-10-attack-helicopter"
    }
    page = client.get("/", {"system": "s-400"}).content.decode()
    assert "/events/caatsa-sanctions-2018-09/" in page
    assert "/transfers/su-35-2015/" not in page
    assert api.get("/api/transfers/", {"system": "nope"}).status_code == 400


def test_the_api_lists_systems_with_every_name_and_its_origin(api):
    body = api.get("/api/systems/s-400/").json()
    names = {n["name"]: n for n in body["names"]}
    assert names["S-400"]["from_report"] is True
    assert names["Growler"]["from_report"] is False
    assert names["Growler"]["origin"].startswith("NATO")
    assert body["records"].endswith("/api/timeline/?system=s-400&undated=1")
    assert {s["slug"] for s in api.get("/api/systems/", {"q": "Growler"}).json()["results"]} == {"s-400"}


def test_same_system_on_a_record_page_is_the_system_link_not_a_text_match(client):
    html = client.get("/events/caatsa-sanctions-2018-09/").content.decode()
    assert 'href="/systems/s-400/"' in html
    assert 'href="/systems/su-35/"' in html
    same = html.split("<h3>Same system</h3>", 1)[1].split("</ul>", 1)[0]
    assert "/transfers/s-400-2015/" in same
    assert "/transfers/su-35-2015/" in same
    # A deal whose text says "S-400" but which the curators did not link is not "the same system".
    TransferFactory(slug="unlinked-s-400-mention", designation="S-400", notes="S-400")
    html = client.get("/transfers/s-400-2015/").content.decode()
    same = html.split("<h3>Same system</h3>", 1)[1].split("</ul>", 1)[0]
    assert "/events/s-400-operator-training-course/" in same
    assert "unlinked-s-400-mention" not in same


def test_the_loader_links_are_idempotent(call):
    assert "0 created, 0 updated" in call("load_report")


def _system_page(client, path: str) -> tuple[list[str], list[str]]:
    """The records a system page lists, in order, and the statements it ran."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return list(entries(response.content.decode())), [q["sql"] for q in queries.captured_queries]


def _locating(statements: list[str]) -> list[str]:
    """The statements that locate a page of several record types (``MergedTimeline._keyed_slice``)."""
    return [sql for sql in statements if "UNION ALL" in sql and "timeline_order" in sql]


def test_a_system_pages_records_are_located_once_per_data_version_and_a_write_shows_at_once(client, fragment_cache):
    """Locating a system's page walks every type's date index (45 ms of a 65 ms page at a
    million records): the next reader of the page reuses where its records are, reads
    their rows and endnotes itself, and a write shows at once."""
    first, cold = _system_page(client, "/systems/s-400/")
    again, warm = _system_page(client, "/systems/s-400/")
    assert len(_locating(cold)) == 1
    assert _locating(warm) == []
    assert again == first
    assert "/transfers/s-400-2015/" in first

    earliest = TransferFactory(slug="s-400-trial-1993", designation="S-400 trial", date_text="1993", date_edtf="1993")
    earliest.systems.add(System.objects.get(slug="s-400"))
    DataVersion.bump()
    after, _ = _system_page(client, "/systems/s-400/")
    assert after[0] == "/transfers/s-400-trial-1993/"
    assert after[1:] == first

    # A record gone between the version this request read and the rows it reads (a
    # write racing it; here its link removed in SQL, which bumps no version): the kept
    # keys name it, so the page is located again, not a 500.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM transfers_transfer_systems WHERE transfer_id = %s", [earliest.pk])
    raced, statements = _system_page(client, "/systems/s-400/")
    assert raced == first
    assert len(_locating(statements)) == 1


def test_a_second_write_racing_the_relocation_drops_the_vanished_record(client, fragment_cache):
    """The kept keys name a record gone (a write racing the read), so the page is located
    again; a second write lands between that locating and the rows read: the page lists
    what is still there rather than failing."""
    first, _ = _system_page(client, "/systems/s-400/")
    stale = TransferFactory(slug="s-400-trial-1993", designation="S-400 trial", date_text="1993", date_edtf="1993")
    stale.systems.add(System.objects.get(slug="s-400"))
    DataVersion.bump()
    kept, _ = _system_page(client, "/systems/s-400/")
    assert kept == ["/transfers/s-400-trial-1993/", *first]

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM transfers_transfer_systems WHERE transfer_id = %s", [stale.pk])
    second = Transfer.objects.get(slug="s-400-2015")
    located = []

    def race(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if "UNION ALL" in sql and "timeline_order" in sql and not located:
            located.append(sql)  # the re-location ran: now a second write lands
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM transfers_transfer_systems WHERE transfer_id = %s", [second.pk])
        return result

    with connection.execute_wrapper(race):
        response = client.get("/systems/s-400/")
    assert response.status_code == 200
    listed = list(entries(response.content.decode()))
    assert located
    assert listed == [url for url in first if url != "/transfers/s-400-2015/"]


def _heading(html: str) -> str:
    return re.search(r'Its records <span class="muted">\(([^)]*)\)</span>', html).group(1)


def test_every_system_page_counts_the_records_it_lists(client):
    """The heading said "(0)" above every system's records (a template filter chain that
    added a list to a number); it counts what the page lists."""
    counted = {}
    for slug in System.objects.values_list("slug", flat=True):
        html = client.get(f"/systems/{slug}/").content.decode()
        counted[slug] = (_heading(html), str(len(entries(html))))
    assert all(heading == listed for heading, listed in counted.values()), counted
    assert int(counted["s-400"][0]) >= 7


def test_a_system_with_more_records_than_a_page_says_which_are_shown(client, monkeypatch):
    from timeline import views

    everything = client.get("/systems/s-400/").content.decode()
    monkeypatch.setattr(views, "TIMELINE_PAGE_SIZE", 3)
    html = client.get("/systems/s-400/").content.decode()
    assert list(entries(html)) == list(entries(everything))[:3]
    assert _heading(html) == "the first 3"
    assert "More records concern this system than one page lists: the first 3, in timeline order" in html
    assert "More records concern" not in everything

    # A page exactly full is all of them: no "more" said.
    monkeypatch.setattr(views, "TIMELINE_PAGE_SIZE", len(entries(everything)))
    html = client.get("/systems/s-400/").content.decode()
    assert _heading(html) == str(len(entries(everything)))
    assert "More records concern" not in html
