"""The Cite menu in a real browser: readable without JavaScript, copyable with it."""

import pytest

pytestmark = pytest.mark.browser

SELECTION = "/cite/?type=transfer&period=2014-present"


def test_cite_menu_copies_the_chicago_note(page, browser, live_server, screenshot_dir):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto(SELECTION)
    page.get_by_text("Cite", exact=True).click()
    notes = page.locator(".cite-block").filter(has_text="Chicago note")
    assert "31. Franz-Stefan Gady" in notes.locator(".cite-text").inner_text()
    notes.get_by_role("button", name="Copy: Chicago note").click()
    page.get_by_role("status").filter(has_text="Copied to the clipboard.").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("31. Franz-Stefan Gady, “Chinese PLA Personnel Complete Training")
    assert "<i>" not in copied  # the plain-text twin, not the HTML
    page.screenshot(path=str(screenshot_dir / "cite-menu.png"), full_page=True)
    assert page.console_errors == []


def test_cite_menu_without_javascript_is_text_and_links(browser, live_server, loaded_report):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto(SELECTION)
    page.get_by_text("Cite", exact=True).click()  # <details> opens without scripts
    assert page.locator(".cite-text").first.is_visible()
    assert page.get_by_role("button", name="Copy: Chicago note").count() == 0  # hidden until cite.js runs
    link = page.get_by_role("link", name="BibTeX")
    assert link.get_attribute("href") == "/cite/endnotes.bib?type=transfer&period=2014-present"
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "endnotes-arms-transfers-2014-present.bib"
    context.close()
