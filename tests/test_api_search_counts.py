"""A searched list counts its matches only up to a cap (``ground.pagination``): ``count``
stops there and ``count_exact`` says so, every row stays reachable by ``next`` links,
``page=last`` counts them all, and a list without ``q`` always counts exactly.

The cap is lowered here (and the numbered pages with it) so the report's seventeen
transfers are "many"; the rule the real cap keeps, that every numbered page lies within
it, is asserted on the real values.
"""

import pytest

from ground.pagination import PageNumberWithSize
from transfers.models import Transfer

pytestmark = pytest.mark.django_db

WORD = "aircraft"  # in 8 of the report's 17 transfers


def lower_the_cap(monkeypatch) -> None:
    """Cap 5, numbered pages up to row 2, pages of 3 at most: still within the cap."""
    monkeypatch.setattr(PageNumberWithSize, "SEARCH_COUNT_CAP", 5)
    monkeypatch.setattr(PageNumberWithSize, "KEYSET_FROM", 2)
    monkeypatch.setattr(PageNumberWithSize, "max_page_size", 3)


@pytest.fixture
def small_cap(monkeypatch):
    lower_the_cap(monkeypatch)


def slugs_by_next(api, params: dict) -> tuple[list[str], list[dict]]:
    response = api.get("/api/transfers/", params)
    bodies = [response.json()]
    while bodies[-1]["next"] is not None:
        response = api.get(bodies[-1]["next"])
        assert response.status_code == 200, response.json()
        bodies.append(response.json())
    return [row["slug"] for body in bodies for row in body["results"]], bodies


def test_the_real_cap_keeps_every_numbered_page():
    """A numbered page ends at most a page past ``KEYSET_FROM`` (then ``next`` continues
    ``after``), so it never reaches past the cap, where it would be cut short."""
    assert PageNumberWithSize.KEYSET_FROM + PageNumberWithSize.max_page_size <= PageNumberWithSize.SEARCH_COUNT_CAP


def test_under_the_cap_a_search_counts_exactly(api):
    body = api.get("/api/transfers/", {"q": WORD}).json()
    assert body["count"] == Transfer.objects.matching(WORD).count() == 8
    assert body["count_exact"] is True


@pytest.mark.usefixtures("small_cap")
def test_over_the_cap_count_stops_there_and_says_so(api):
    body = api.get("/api/transfers/", {"q": WORD, "page_size": 2}).json()
    assert body["count"] == 5
    assert body["count_exact"] is False


@pytest.mark.parametrize("size", [1, 2, 3])
def test_next_links_reach_every_match_past_the_cap(api, monkeypatch, size):
    whole = [row["slug"] for row in api.get("/api/transfers/", {"q": WORD, "page_size": 500}).json()["results"]]
    lower_the_cap(monkeypatch)
    walked, bodies = slugs_by_next(api, {"q": WORD, "page_size": size})
    assert len(whole) == 8
    assert walked == whole
    assert all(body["count_exact"] is False for body in bodies)


@pytest.mark.usefixtures("small_cap")
def test_page_last_counts_every_match(api):
    body = api.get("/api/transfers/", {"q": WORD, "page_size": 3, "page": "last"}).json()
    assert body["count"] == 8
    assert body["count_exact"] is True
    assert len(body["results"]) == 2  # the third page of 3, 3, 2


@pytest.mark.usefixtures("small_cap")
def test_a_page_asked_for_by_number_past_the_cap_counts_every_match(api):
    body = api.get("/api/transfers/", {"q": WORD, "page_size": 3, "page": 2}).json()  # rows 4-6 of 8
    assert body["count"] == 8
    assert body["count_exact"] is True
    assert len(body["results"]) == 3
    assert body["next"] is not None


@pytest.mark.usefixtures("small_cap")
def test_a_list_without_q_counts_exactly_past_the_cap(api):
    body = api.get("/api/transfers/", {"page_size": 2}).json()
    assert body["count"] == Transfer.objects.count() == 17
    assert body["count_exact"] is True


def test_the_schema_documents_count_exact(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    page = schema["components"]["schemas"]["PaginatedTransferList"]
    assert page["properties"]["count_exact"]["type"] == "boolean"
    assert "count_exact" in page["required"]


def test_the_search_endpoint_counts_every_match(api):
    """``/api/search/`` ranks every match, so its count is always exact, and says so."""
    body = api.get("/api/search/", {"q": WORD}).json()
    assert body["count"] >= 8
    assert body["count_exact"] is True


@pytest.mark.parametrize(("path", "word"), [("/api/timeline/", WORD), ("/api/endnotes/", "China")])
def test_lists_numbered_at_any_depth_count_every_match(api, monkeypatch, path, word):
    """The timeline and endnotes page by number at any depth: their next links need the
    count, so a search there is counted whole and every row is reached."""
    whole = api.get(path, {"q": word, "page_size": 500}).json()
    lower_the_cap(monkeypatch)
    first = api.get(path, {"q": word, "page_size": 2}).json()
    assert first["count"] == whole["count"] > 5
    assert first["count_exact"] is True
    seen, body = len(first["results"]), first
    while body["next"] is not None:
        body = api.get(body["next"]).json()
        seen += len(body["results"])
    assert seen == whole["count"]
