"""Markup stored in any text field is shown as text: nothing a visitor stores ever runs."""

import pytest
from django.contrib.auth.models import User

from periods.models import Event, Period
from sources.models import Endnote, Source
from transfers.models import Transfer

pytestmark = pytest.mark.browser

SCRIPT = '<script>window.__xss = "script"</script>'
IMG = '<img src="x" onerror="window.__xss = \'img\'">'
LINK = "<a href=\"javascript:window.__xss='link'\">click me</a>"
PAYLOAD = f"{SCRIPT} {IMG} {LINK}"


@pytest.fixture
def hostile_records(loaded_report):
    period = Period.objects.get(slug="2014-present")
    event = Event.objects.create(
        slug="hostile-event",
        title=f"Hostile {SCRIPT}",
        kind="other",
        period=period,
        description=PAYLOAD,
        remarks=IMG,
        date_text="2016",
        date_edtf="2016",
        uncited_reason="test",
    )
    transfer = Transfer.objects.get(slug="s-400-2015")
    transfer.notes = PAYLOAD
    transfer.save()
    note = Endnote.objects.get(number=31)
    note.text = note.text + " " + PAYLOAD
    note.urls = [*note.urls, "javascript:window.__xss='href'"]  # refused by clean(); stored here by hand
    note.save()
    source = Source.objects.get(slug="meick-2017")
    source.title = f"Meick {IMG}"
    source.save()
    return event


def assert_nothing_ran(page):
    assert page.evaluate("window.__xss") is None
    assert not page.locator("main script").count()
    assert not page.locator("main img[onerror]").count()
    assert not page.locator("main a[href^='javascript:']").count()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/events/hostile-event/",
        "/transfers/s-400-2015/",
        "/notes/csis-mtc-primer-2020/31/",
        "/sources/meick-2017/",
        "/sources/",
        "/search/?q=Hostile",
        "/search/?q=%3Cscript%3Ewindow.__xss%3D1%3C%2Fscript%3E",
        "/?actor=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    ],
)
def test_pages_show_stored_markup_as_text(page, hostile_records, path):
    page.goto(path)
    assert_nothing_ran(page)
    for link in page.locator("main a").all()[:40]:
        assert not (link.get_attribute("href") or "").lower().startswith("javascript:")


def test_the_event_page_shows_the_payload_literally(page, hostile_records):
    page.goto("/events/hostile-event/")
    assert SCRIPT in page.inner_text("main")
    assert_nothing_ran(page)


def test_the_admin_shows_stored_markup_as_text(page, hostile_records):
    User.objects.create_superuser("boss", "b@example.org", "boss-password-123")
    page.goto("/admin/login/")
    page.fill("#id_username", "boss")
    page.fill("#id_password", "boss-password-123")
    page.click("input[type=submit]")
    for path in [
        "/admin/periods/event/",
        f"/admin/periods/event/{hostile_records.pk}/change/",
        "/admin/sources/source/",
    ]:
        page.goto(path)
        assert page.evaluate("window.__xss") is None
        assert not page.locator("script", has_text="__xss").count()
