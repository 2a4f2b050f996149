"""The timeline chart as a reader meets it in Chromium: marks where the report puts them."""

import re

import pytest
from playwright.sync_api import expect

from periods.models import Event, Figure
from transfers.models import Project, Transfer

pytestmark = pytest.mark.browser


def box(locator) -> dict:
    return locator.bounding_box()


def test_the_first_eras_purchases_are_drawn_inside_1992_2006_and_every_dated_record_is_a_mark(page):
    page.goto("/")
    chart = page.locator("svg.lanes__chart")
    expect(chart).to_be_visible()
    band = box(chart.locator("rect.band-bg--1"))
    for slug, name in [
        ("su-27-1992-2006", "Su-27"),
        ("su-30-1992-2006", "Su-30"),
        ("s-300-1992-2006", "S-300"),
        ("kilo-class-1992-2006", "Kilo-class"),
    ]:
        mark = chart.locator(f'a.tl-mark--period[href="/transfers/{slug}/"]')
        assert re.search(r"1992-2006 \(the report gives no year\)", mark.get_attribute("aria-label"))
        expect(mark.locator("text")).to_have_text(f"{name} (no year given)")
        shape = box(mark.locator(".tl-mark__shape"))
        assert band["x"] - 1 <= shape["x"], name
        assert shape["x"] + shape["width"] <= band["x"] + band["width"] + 1, name

    dated = [r.get_absolute_url() for m in (Event, Transfer, Project, Figure) for r in m.objects.dated()]
    hrefs = set(chart.locator("a.tl-mark").evaluate_all("marks => marks.map(m => m.getAttribute('href'))"))
    assert len(dated) > 60  # the report's dated events, transfers, projects and figures
    assert set(dated) <= hrefs

    # A transfer runs from its order to its last delivery: the S-400 from 2015 to 2019.
    s400 = box(chart.locator('a.tl-mark[href="/transfers/s-400-2015/"] rect'))
    ticks = {t.text_content(): box(t) for t in chart.locator("text.lanes__tick").all()}
    centre = {year: b["x"] + b["width"] / 2 for year, b in ticks.items()}
    assert abs(s400["x"] - centre["2015"]) < 6
    assert abs(s400["x"] + s400["width"] - (centre["2020"])) < 6

    # Marks are links in the tab order: Tab reaches one, Enter opens its page.
    chart.locator('a.tl-mark[href="/transfers/s-400-2015/"]').focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/transfers/s-400-2015/")
    assert page.console_errors == []


def test_filters_zoom_the_chart(page):
    page.goto("/?period=2014-present")
    chart = page.locator("svg.lanes__chart")
    ticks = chart.locator("text.lanes__tick").all_text_contents()
    assert ticks[0] == "2014"
    assert "1995" not in ticks
    expect(chart.locator('a.tl-mark[href="/transfers/su-27-1992-2006/"]')).to_have_count(0)
    expect(chart.locator('a.tl-mark[href="/transfers/s-400-2015/"]')).to_have_count(1)
    expect(page.locator("#filters-summary")).to_contain_text("Showing 2014-present")
    expect(page.locator("details.periods__fold")).not_to_have_attribute("open", "")

    page.goto("/?from=2011&to=2013")
    ticks = page.locator("svg.lanes__chart text.lanes__tick").all_text_contents()
    assert ticks[0] == "2011"
    assert ticks[-1] == "2014"
    expect(page.locator('svg.lanes__chart a.tl-mark[href="/transfers/al-31f-140-2011/"] text')).to_have_text(
        "AL-31F (140 engines)"
    )
    assert page.console_errors == []
