"""The API docs as a reader meets them: Swagger UI and ReDoc render under the site's CSP."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

CSP_LISTENER = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""


def test_swagger_ui_lists_every_path_and_operation_once(page, client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    expected = sorted(
        (method.upper(), path)
        for path, item in schema["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    )
    page.context.add_init_script(CSP_LISTENER)
    page.goto("/api/docs/")
    page.wait_for_selector(".opblock", timeout=20000)
    shown = page.locator(".opblock").evaluate_all(
        """blocks => blocks.map(b => [
            b.querySelector('.opblock-summary-method').textContent.trim(),
            b.querySelector('.opblock-summary-path').getAttribute('data-path')])"""
    )
    assert sorted(map(tuple, shown)) == expected  # each operation once, none missing
    assert {path for _, path in shown} == set(schema["paths"])  # every API path
    assert page.evaluate("window.__csp") == []
    assert page.console_errors == []


def test_redoc_renders_its_menu(page):
    page.context.add_init_script(CSP_LISTENER)
    page.goto("/api/redoc/")
    menu = page.locator("[role=menuitem]")
    menu.first.wait_for(timeout=20000)
    expect(page.get_by_role("heading", level=1).first).to_contain_text("MTC Timeline API")
    labels = menu.evaluate_all("items => items.map(i => i.textContent.trim().toLowerCase())")
    assert any("transfers" in label for label in labels)
    assert page.evaluate("window.__csp") == []
    assert page.console_errors == []
