"""The Cite menu in a real browser: readable without JavaScript, copyable with it."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SELECTION = "/cite/?type=transfer&period=2014-present"


def test_cite_menu_copies_the_chicago_note(page, browser, live_server, screenshot_dir):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto(SELECTION)
    page.locator("details.cite-menu > summary").first.click()
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
    page.locator("details.cite-menu > summary").first.click()  # <details> opens without scripts
    assert page.locator(".cite-text").first.is_visible()
    assert page.get_by_role("button", name="Copy: Chicago note").count() == 0  # hidden until cite.js runs
    link = page.get_by_role("link", name="BibTeX")
    assert link.get_attribute("href") == "/cite/endnotes.bib?type=transfer&period=2014-present"
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "endnotes-arms-transfers-2014-present.bib"
    context.close()


def _download(page, name: str) -> str:
    with page.expect_download() as download:
        page.locator("details.cite-menu").get_by_role("link", name=name, exact=True).click()
    return open(download.value.path(), encoding="utf-8").read()


@pytest.mark.parametrize(
    "path",
    ["/transfers/s-400-2015/", "/events/2008-ip-agreement/", "/notes/csis-mtc-primer-2020/31/", "/sources/"],
)
def test_a_pages_cite_menu_downloads_bibtex_and_ris_that_parse(page, path):
    import bibtexparser
    import rispy

    page.goto(path)
    if path == "/sources/":  # a source's own page, reached from the list
        page.locator("main a[href^='/sources/']").first.click()
        page.wait_for_url("**/sources/*/")
    menu = page.locator("details.cite-menu")
    expect(menu).to_have_count(1)
    menu.locator("summary").click()
    expect(menu.locator(".cite-text").first).to_be_visible()

    library = bibtexparser.parse_string(_download(page, "BibTeX"))
    assert library.entries
    assert not library.failed_blocks
    assert all(entry.fields_dict.get("title") for entry in library.entries)
    records = rispy.loads(_download(page, "RIS"))
    assert records
    assert all(r.get("type_of_reference") and (r.get("title") or r.get("primary_title")) for r in records)
    if path.startswith("/transfers/"):
        assert any("S-400" in (e.fields_dict["title"].value) for e in library.entries)  # the record itself
    assert page.console_errors == []


def test_search_results_offer_to_cite_the_records(page):
    page.goto("/search/?q=S-400")
    page.get_by_role("link", name="Cite the endnotes of the records found").click()
    page.wait_for_url("**/cite/?q=S-400*")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cite the endnotes behind a set of records")
    page.locator("details.cite-menu summary").click()
    expect(page.locator(".cite-text").first).to_contain_text("31.")
    assert page.console_errors == []


def test_a_records_menu_loads_its_chicago_note_when_opened(page):
    page.goto("/transfers/s-400-2015/")
    menu = page.locator("details.cite-menu")
    assert menu.locator(".cite-block").count() == 0  # not formatted until asked for
    menu.locator("summary").click()
    record = menu.locator(".cite-block").filter(has_text="This record (Chicago note)")
    expect(record.locator(".cite-text")).to_contain_text("“S-400 (Russia → China),” MTC Timeline, accessed")
    expect(menu.locator(".cite-block").filter(has_text="Endnotes it rests on")).to_contain_text("31. Franz-Stefan Gady")
    expect(record.get_by_role("button", name="Copy: This record (Chicago note)")).to_be_visible()
    assert page.console_errors == []


NO_SCRIPT_MENUS = {
    "record": ("/transfers/s-400-2015/", "details.cite-menu", "/cite/transfer/s-400-2015/", "“S-400 (Russia → China),"),
    "timeline": (
        "/?type=transfer&period=2014-present",
        ".cite-these details.cite-menu",
        "/cite/?type=transfer&period=2014-present",
        "31. Franz-Stefan Gady",
    ),
}


@pytest.mark.parametrize("which", NO_SCRIPT_MENUS)
def test_a_menu_without_javascript_links_to_its_citations(browser, live_server, loaded_report, which):
    """A record's menu, and the timeline's, link to the page that holds their citations."""
    path, menu, target, expected = NO_SCRIPT_MENUS[which]
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto(path)
    page.locator(f"{menu} > summary").click()
    page.locator(menu).get_by_role("link", name="open them").click()
    page.wait_for_url(f"**{target}")
    folded = page.locator("details.cite-menu > summary")  # the selection's page folds its menu
    if folded.count():
        folded.click()
    assert expected in page.locator(".cite-blocks").inner_text()
    context.close()


def test_the_timelines_menu_loads_the_selections_notes_when_opened(page):
    """The timeline's Cite menu takes its Chicago notes from the selection's own page,
    only when opened: listing the records costs no citation query."""
    page.goto("/?type=transfer&period=2014-present")
    menu = page.locator(".cite-these details.cite-menu")
    assert menu.locator(".cite-block").count() == 0
    menu.locator("summary").click()
    notes = menu.locator(".cite-block").filter(has_text="Chicago note")
    expect(notes.locator(".cite-text")).to_contain_text("31. Franz-Stefan Gady")
    expect(notes.get_by_role("button", name="Copy: Chicago note")).to_be_visible()
    assert page.console_errors == []
