"""The pages in a real browser: the issue's walk-through, keyboard use and a phone screen."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_walk_through_periods_filter_search_record_endnote_and_back(page, screenshot_dir):
    # Open / and see the three periods.
    page.goto("/")
    for years in ("1992-2006", "2006-2014", "2014-present"):
        expect(page.get_by_role("heading", level=3, name=re.compile(years)).first).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "home.png"), full_page=True)

    # Filter to 2014-present with the form.
    page.get_by_label("Period", exact=True).select_option("2014-present")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"period=2014-present"))
    groups = page.locator(".period-group h3")
    expect(groups).to_have_count(1)
    expect(groups.first).to_contain_text("2014-present")
    expect(page.locator(".entries").get_by_role("link", name="S-400: surface-to-air missile")).to_be_visible()
    expect(page.locator("svg.lanes__chart a.tl-mark[href='/transfers/s-400-2015/']")).to_be_visible()

    # Search "S-400" from the header.
    page.get_by_role("searchbox", name="Search the knowledge base").fill("S-400")
    page.get_by_role("searchbox", name="Search the knowledge base").press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=S-400"))
    expect(page.locator("mark").first).to_have_text("S-400")

    # Open the S-400 record, follow its endnote to endnote 31 and come back.
    page.locator(".hit__title a").first.click()
    page.wait_for_url("**/transfers/s-400-2015/")
    expect(page.get_by_role("heading", level=1)).to_have_text("S-400 (Russia → China)")
    page.get_by_role("link", name="Endnote 31", exact=True).click()
    page.wait_for_url("**/notes/csis-mtc-primer-2020/31/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Endnote 31")
    expect(page.locator("blockquote.endnote-text")).to_contain_text("Franz-Stefan Gady")
    # The record is listed under the report's sentence carrying ³¹ and among the records citing it.
    passages = page.locator("section[aria-labelledby=passages-heading]")
    expect(passages).to_contain_text("In 2015 Russia announced the sale of two S-400 regiments")
    citing = page.locator("section[aria-labelledby=citing-heading]")
    citing.get_by_role("link", name="S-400 (Russia → China)").click()
    page.wait_for_url("**/transfers/s-400-2015/")
    page.go_back()
    page.wait_for_url("**/notes/csis-mtc-primer-2020/31/")
    page.go_back()
    page.wait_for_url("**/transfers/s-400-2015/")

    assert page.console_errors == []


def test_overview_year_links_bad_filters_and_print_styles(page):
    page.goto("/")
    bar = page.locator('.overview a[aria-label^="2015:"]')
    count = int(re.search(r"2015: (\d+) record", bar.get_attribute("aria-label")).group(1))
    bar.click()
    page.wait_for_url(re.compile(r"from=2015&to=2015"))
    dates = page.locator(".entry__date").all_inner_texts()
    assert len(dates) == count  # the bar counts exactly the records its link lists
    assert all("2015" in d or "2014" in d or "201" in d for d in dates)

    response = page.goto("/?period=nope&from=abc")
    assert response.status == 400
    expect(page.get_by_role("alert")).to_contain_text("Filter “period” was ignored")
    expect(page.get_by_role("alert")).to_contain_text("Filter “from” was ignored")
    expect(page.locator(".entry").first).to_be_visible()
    # Chromium logs the page's own 400 status; nothing else may appear.
    assert page.console_errors == ["Failed to load resource: the server responded with a status of 400 (Bad Request)"]
    page.console_errors.clear()

    page.goto("/")
    page.emulate_media(media="print")
    expect(page.locator("form.filters")).to_be_hidden()
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".entry").first).to_be_visible()
    assert page.console_errors == []


def test_keyboard_focus_is_visible_and_the_404_page_helps(page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Tab")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"

    response = page.goto("/transfers/no-such-deal/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    page.get_by_label("Search for it instead").fill("Su-35")
    page.get_by_label("Search for it instead").press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=Su-35"))
    expect(page.locator(".hit").first).to_be_visible()
    # Chromium logs the 404 page's own status; nothing else may appear.
    assert page.console_errors == ["Failed to load resource: the server responded with a status of 404 (Not Found)"]


def test_pages_fit_a_375px_phone_screen(page, screenshot_dir):
    page.set_viewport_size({"width": 375, "height": 800})
    for url in ("/", "/transfers/s-400-2015/", "/notes/csis-mtc-primer-2020/71/", "/search/?q=S-400", "/sources/"):
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{url} is {width}px wide on a 375px screen"
        if url == "/":
            page.screenshot(path=str(screenshot_dir / "home-375.png"), full_page=True)
    assert page.console_errors == []


def test_a_reporting_name_leads_to_the_system_and_everything_about_it(page):
    # Search the NATO reporting name, which the report never prints.
    page.goto("/")
    page.get_by_role("searchbox", name="Search the knowledge base").fill("Growler")
    page.get_by_role("searchbox", name="Search the knowledge base").press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=Growler"))
    expect(page.locator(".hit__title a").first).to_have_attribute("href", "/transfers/s-400-2015/")

    # Narrow to events with the type facet: the deliveries, the training course, the sanctions.
    page.get_by_role("navigation", name="Narrow the results").get_by_role("link", name=re.compile(r"^Event")).click()
    page.wait_for_url(re.compile(r"type=event"))
    titles = page.locator(".hit__title a").all_inner_texts()
    assert any("CAATSA" in t for t in titles)
    assert any("training course" in t for t in titles)

    # From the deal's page to the system's page, which lists every record about it.
    page.goto("/transfers/s-400-2015/")
    page.get_by_role("link", name="S-400", exact=True).click()
    page.wait_for_url("**/systems/s-400/")
    expect(page.get_by_role("heading", level=1)).to_have_text("S-400")
    expect(page.get_by_role("rowheader", name="SA-21 Growler")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("CAATSA sanctions"))).to_be_visible()
    expect(page.get_by_role("link", name="Russian training course for Chinese S-400 operators")).to_be_visible()
    listed = page.locator("li.entry").count()
    assert listed >= 7
    expect(page.get_by_role("heading", name=re.compile("^Its records"))).to_have_text(f"Its records ({listed})")
    page.locator("summary", has_text="Cite").click()
    expect(page.locator(".cite-text").first).to_contain_text("Gady")
    assert page.console_errors == []
