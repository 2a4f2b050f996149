"""The site's header and footer, rendered once per process (``{% fixed_include %}``),
are what each page would render itself: the current page marked, the script prefix
honoured, each stylesheet and script once."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template
from django.urls import set_script_prefix

from ground.templatetags import fixed_html

pytestmark = pytest.mark.django_db

PAGES = {
    "/": "Timeline",
    "/search/?q=S-400": "Search",
    "/statistics/": "Statistics",
    "/sources/": "Sources",
    "/documents/csis-mtc-primer-2020/": "Endnotes",
    "/notes/csis-mtc-primer-2020/31/": "Endnotes",
    "/cite/": "Cite",
}
CURRENT = re.compile(r'<a href="[^"]*" aria-current="page">([^<]+)</a>')


def _menu(page: str) -> str:
    return page[page.index('<nav aria-label="Main"') : page.index("</nav>")]


@pytest.fixture(autouse=True)
def _fresh():
    fixed_html.forget()
    yield
    fixed_html.forget()


def test_each_page_marks_itself_current_in_the_menu_whatever_was_rendered_before(client):
    for _ in range(2):  # the second round is served from the rendered variants
        for url, label in PAGES.items():
            page = client.get(url).content.decode()
            assert CURRENT.findall(_menu(page)) == [label], url
    record = client.get("/transfers/s-400-2015/").content.decode()
    assert CURRENT.findall(_menu(record)) == []


def test_the_menu_follows_the_script_prefix():
    template = Template('{% load fixed_html %}{% fixed_include "includes/site_nav.html" here="home" %}')
    plain = template.render(Context())
    set_script_prefix("/mtc/")
    try:
        prefixed = template.render(Context())
    finally:
        set_script_prefix("/")
    assert 'href="/search/"' in plain
    assert 'href="/mtc/search/"' in prefixed
    assert 'href="/search/"' not in prefixed
    assert template.render(Context()) == plain


def test_every_stylesheet_and_script_loads_once(client):
    for url in ("/", "/transfers/s-400-2015/", "/cite/", "/events/caatsa-sanctions-2018-09/"):
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        head = page[: page.index("</head>")]
        assets = re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', head)
        assert len(assets) == len(set(assets)), (url, assets)
        assert "/static/js/cite.js" in assets


def test_variants_are_bounded(monkeypatch):
    monkeypatch.setattr(fixed_html, "MOST_VARIANTS", 3)
    for here in ("a", "b", "c", "d", "e"):
        html = fixed_html.fixed_include("includes/site_nav.html", here=here)
        assert "Timeline" in html
    assert len(fixed_html._rendered) <= 3
