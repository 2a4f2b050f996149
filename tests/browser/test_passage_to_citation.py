"""A researcher goes from an endnote to the judgement it carries, reads the report's
sentence, and cites it in one step (issue #18), in a real browser and by links only."""

import pytest

pytestmark = pytest.mark.browser

SENTENCE = (
    "However, as Schwartz contends, it appears that Russia's \"long-standing concerns over intellectual "
    "property and security simply appear to have been overridden\" in order to court Beijing's continued "
    "economic and diplomatic support."
)


def test_from_note_36_to_schwartz_sentence_and_citation(page, live_server, screenshot_dir):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto("/notes/csis-mtc-primer-2020/36/")
    passages = page.locator("section[aria-labelledby=passages-heading]")
    assert SENTENCE in passages.inner_text()
    passages.get_by_role(
        "link", name="Schwartz: Russia's concerns over intellectual property and security overridden"
    ).click()

    page.wait_for_url("**/analyses/schwartz-concerns-overridden/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Schwartz:")
    sources = page.locator("section.citations")
    assert "The report:" in sources.inner_text()
    assert SENTENCE in sources.inner_text()

    page.locator("details.cite-menu > summary").first.click()
    block = page.locator(".cite-block").filter(has_text="This record with the report's words")
    block.get_by_role("button", name="Copy: This record with the report's words (Chicago note)").click()
    page.get_by_role("status").filter(has_text="Copied to the clipboard.").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith(
        "“Schwartz: Russia's Concerns over Intellectual Property and Security Overridden,” MTC Timeline"
    )
    assert "/analyses/schwartz-concerns-overridden/" in copied
    assert f"The report: “{SENTENCE}” (note 36)." in copied
    page.screenshot(path=str(screenshot_dir / "analysis-cite.png"), full_page=True)
    assert page.console_errors == []
