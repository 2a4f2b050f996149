"""The JSON-LD data block under the real Content-Security-Policy, in Chromium."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_json_ld_is_read_in_the_browser_without_a_csp_violation(page):
    page.add_init_script(
        "window.__csp = [];"
        "document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective));"
    )
    response = page.goto("/transfers/s-400-2015/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    name = page.evaluate("JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent).name")
    assert name == "S-400 (Russia → China)"
    assert page.evaluate("window.__csp") == []
    assert page.console_errors == []
