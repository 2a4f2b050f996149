"""The timeline chart's SVG, written in Python (``timeline.chart_markup``), is the markup of
the template it replaced (``lanes_reference.html`` beside this file): the report's
chart whole, filtered (zoomed to a period, to years, to one type), and with marks left out."""

from pathlib import Path

import pytest
from django.template import Context, Template

from tests.factories import TransferFactory
from timeline import selectors, summaries
from timeline.chart_markup import chart_svg
from timeline.filters import timeline_query
from timeline.lanes import timeline_chart

pytestmark = pytest.mark.django_db

REFERENCE = Template((Path(__file__).parent / "lanes_reference.html").read_text())


def both(params: dict, limit: int = selectors.MARK_LIMIT) -> tuple[str, str]:
    query = timeline_query(params)
    periods = summaries.period_summaries()
    chart = timeline_chart(selectors.timeline_marks(query, periods, limit=limit), periods, query)
    assert chart is not None
    ours = chart_svg(chart, filtered=query.active, mark_limit=limit)
    return ours, REFERENCE.render(Context({"chart": chart, "filters": query, "mark_limit": limit}))


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"period": "1992-2006"},
        {"from": "2010", "to": "2016"},
        {"type": "transfer"},
        {"type": "event", "actor": "china"},
        {"q": "S-400"},
    ],
)
def test_the_chart_is_the_templates_markup(params):
    ours, reference = both(params)
    assert ours == reference
    assert ours.count('<a class="tl-mark') >= 1


def test_a_chart_with_marks_left_out_says_so_as_the_template_did():
    ours, reference = both({}, limit=3)
    assert ours == reference
    assert "more not drawn" in ours
    assert "Only the first 3 " in ours


def test_a_chart_with_one_record_is_in_the_singular():
    singular = '<figcaption id="lanes-caption">1 record matching the filters,'
    found = []
    for term in ["Su-35", "AL-31FN", "Lavrov", "Kilo", "Amur", "Tor-M1"]:
        ours, reference = both({"q": term})
        assert ours == reference
        found += [term] if singular in ours else []
    assert found, "no query of one record among the candidates"


@pytest.mark.parametrize(
    "params",
    [
        {"from": "2010"},
        {"from": "2014", "type": "transfer"},
        {"from": "2000", "to": "2015", "type": ["event", "project"]},
        {"from": "2005", "actor": "china"},
        {"from": "1995", "q": "S-400"},
    ],
)
@pytest.mark.parametrize("limit", [2, selectors.MARK_LIMIT])
def test_a_chart_from_a_year_reads_from_the_selections_first_year_the_same_marks(monkeypatch, params, limit):
    """Under ``from``, each type's marks are read from the first year any selected record
    starts in (``_first_year``): the same marks, in order, and the same "left out", as
    read from the first record; with a limit of 2, which two come first is the test."""

    def marks() -> dict:
        query, periods = timeline_query(params), summaries.period_summaries()
        found = selectors.timeline_marks(query, periods, limit=limit)
        return {kind: ([r.slug for r in rows], left_out) for kind, (rows, left_out) in found.items()}

    bounded = marks()
    monkeypatch.setattr(selectors, "_first_year", lambda spans: None)
    assert bounded == marks()
    assert any(rows for rows, _ in bounded.values())


def test_a_page_whose_selection_is_past_the_mark_limit_draws_that_many_and_says_it_left_some_out(client):
    """A reader filtering to more transfers than the chart draws sees the first
    ``MARK_LIMIT`` as marks, and the lane and caption say the rest are not drawn."""
    limit = selectors.MARK_LIMIT
    TransferFactory.create_batch(limit + 2, period__slug="2014-present", date_text="2016", date_edtf="2016")
    html = client.get("/", {"type": "transfer", "period": "2014-present"}).content.decode()
    assert html.count('<a class="tl-mark') == limit
    assert f"Arms transfers ({limit}, more not drawn)" in html
    assert f"Only the first {limit} arms transfers are drawn: narrow the filters to see the rest." in html
