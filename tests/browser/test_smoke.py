"""The browser can open the site and follow a record to its endnote."""

import pytest

pytestmark = pytest.mark.browser


def test_home_shows_periods_and_a_record_links_to_its_endnote(page, screenshot_dir):
    page.goto("/")
    assert page.get_by_role("heading", name="1992-2006", exact=False).count() >= 1
    page.screenshot(path=str(screenshot_dir / "home.png"), full_page=True)
    page.goto("/transfers/s-400-2015/")
    page.get_by_role("link", name="Endnote 31").click()
    page.wait_for_url("**/notes/csis-mtc-primer-2020/31/")
    assert "Gady" in page.content()
    assert page.console_errors == []
