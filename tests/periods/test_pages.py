import pytest

pytestmark = pytest.mark.django_db


def test_home_page_shows_the_three_periods(client):
    response = client.get("/")
    assert response.status_code == 200
    for heading in ("1992-2006", "2006-2014", "2014-present"):
        assert heading in response.content.decode()


def test_record_page_links_to_its_endnote(client):
    response = client.get("/transfers/s-400-2015/")
    assert response.status_code == 200
    assert 'href="/notes/csis-mtc-primer-2020/31/"' in response.content.decode()


def test_endnote_page_shows_the_text_as_printed(client):
    response = client.get("/notes/csis-mtc-primer-2020/8/")
    assert response.status_code == 200
    assert "Meick, 12." in response.content.decode()


def test_unknown_slug_is_404(client):
    assert client.get("/transfers/no-such-deal/").status_code == 404
