"""An editor changes a transfer's value in the admin, sees it on the public page, and reverts it."""

import pytest
from django.contrib.auth.models import Group, User

from tests.admin_helpers import ensure_roles

pytestmark = pytest.mark.browser


@pytest.fixture
def editor_login(loaded_report):
    ensure_roles()
    user = User.objects.create_user("edith", password="a-long-test-password", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    return "edith", "a-long-test-password"


def test_editor_changes_a_value_sees_it_and_reverts_it_from_history(page, editor_login, screenshot_dir):
    username, password = editor_login
    page.goto("/transfers/s-400-2015/")
    assert "about $3 billion" in page.inner_text("main")

    page.goto("/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.goto("/admin/transfers/transfer/?q=S-400")
    page.get_by_role("link", name="S-400", exact=True).click()
    page.get_by_role("spinbutton", name="Value (USD):").fill("3500000000")
    page.get_by_role("button", name="Save", exact=True).click()
    assert "was changed successfully" in page.inner_text(".messagelist")

    page.goto("/transfers/s-400-2015/")
    assert "about $3.5 billion" in page.inner_text("main")

    page.goto("/admin/transfers/transfer/?q=S-400")
    page.get_by_role("link", name="S-400", exact=True).click()
    page.get_by_role("link", name="History").click()
    diff = page.inner_text("#change-history tbody tr:first-child")
    assert "3000000000" in diff
    assert "3500000000" in diff
    assert username in diff
    page.screenshot(path=str(screenshot_dir / "admin-history-diff.png"), full_page=True)
    page.locator("#change-history tbody tr").last.get_by_role("link").click()  # the version as loaded
    assert page.get_by_role("spinbutton", name="Value (USD):").input_value() == "3000000000"
    page.get_by_role("button", name="Revert").click()
    assert "was changed successfully" in page.inner_text(".messagelist")

    page.goto("/transfers/s-400-2015/")
    assert "about $3 billion" in page.inner_text("main")
    assert page.console_errors == []
