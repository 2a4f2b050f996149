"""The timeline, period and record pages as a reader sees them (server-rendered HTML)."""

import re

import pytest

from periods.models import Analysis, Event, Figure
from transfers.models import Project, Transfer

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def entries(page: str) -> list[str]:
    """The record URLs listed as timeline entries, in page order."""
    return re.findall(r'<h4 class="entry__title"><a href="([^"]+)"', page)


# -- home / timeline --------------------------------------------------------------------


def test_home_shows_the_three_periods_with_summary_counts_and_key_figures(client):
    page = html(client.get("/"))
    for years, name in (
        ("1992-2006", "Massive Russian arms sales to the PRC"),
        ("2006-2014", "A pause in MTC and its resumption"),
        ("2014-present", "Post-Crimea deepening of MTC"),
    ):
        assert f'<span class="band__years">{years}</span> <span class="band__name">{name}</span>' in page
    assert "Key reported figures" in page
    assert "nearly a quarter of Russia&#x27;s arms exports" in page  # a 1992-2006 figure
    assert "<div><dt>Arms transfers</dt><dd>7</dd></div>" in page  # 2014-present


def test_timeline_lists_dated_records_in_order_with_date_badge_direction_and_endnotes(client):
    page = html(client.get("/"))
    urls = entries(page)
    dated = sum(m.objects.dated().count() for m in (Event, Transfer, Project, Figure, Analysis))
    assert len(urls) == dated == 76  # every dated event, transfer, project, figure and analysis of the report
    assert urls.index("/events/tiananmen-arms-embargoes-1989/") < urls.index("/transfers/s-400-2015/")
    # The S-400 entry: its date as written, type badge, direction and endnote numbers.
    listed = page.index('<h4 class="entry__title"><a href="/transfers/s-400-2015/"')
    entry = page[listed - 900 : listed + 900]
    assert '<p class="entry__date">2015</p>' in entry
    assert '<span class="badge badge--transfer">Arms transfer</span>' in entry
    assert "Russia to China" in entry
    assert '<a href="/notes/csis-mtc-primer-2020/31/" aria-label="Endnote 31">31</a>' in entry
    assert "November 2015" in page  # fuzzy dates stay as the report words them


def test_timeline_groups_entries_under_their_periods(client):
    page = html(client.get("/"))
    first = page.index('id="group-1992-2006"')
    second = page.index('id="group-2006-2014"')
    third = page.index('id="group-2014-present"')
    assert first < page.index('class="entry__title"><a href="/events/1992-mtc-agreement/"') < second
    assert third < page.index('class="entry__title"><a href="/transfers/s-400-2015/"')


def test_overview_svg_links_each_year_to_its_entries(client):
    page = html(client.get("/?type=transfer"))
    assert '<svg viewBox="0 0 800 150"' in page
    assert 'href="?type=transfer&amp;from=2015&amp;to=2015#timeline"' in page
    year = html(client.get("/?type=transfer&from=2015&to=2015"))
    assert set(entries(year)) == {"/transfers/s-400-2015/", "/transfers/su-35-2015/"}


@pytest.mark.parametrize(
    ("query", "present", "absent"),
    [
        ("period=2014-present", "/transfers/s-400-2015/", "/events/1992-mtc-agreement/"),
        ("type=event", "/events/1992-mtc-agreement/", "/transfers/s-400-2015/"),
        ("type=project", "/projects/heavy-lift-helicopter-2015/", "/events/1992-mtc-agreement/"),
        ("category=air-defence", "/transfers/s-400-2015/", "/transfers/su-35-2015/"),
        ("direction=ru-cn", "/transfers/su-35-2015/", "/events/1992-mtc-agreement/"),
        ("from=2014", "/transfers/s-400-2015/", "/events/1992-mtc-agreement/"),
        ("to=1992", "/events/1992-mtc-agreement/", "/transfers/s-400-2015/"),
        ("actor=rostec", "/events/rostec-su-57-statement-2019-03/", "/transfers/s-400-2015/"),
        ("period=2014-present&type=transfer&category=aircraft", "/transfers/su-35-2015/", "/transfers/s-400-2015/"),
    ],
)
def test_filters_narrow_the_timeline(client, query, present, absent):
    response = client.get(f"/?{query}")
    assert response.status_code == 200
    urls = entries(html(response))
    assert present in urls
    assert absent not in urls


def test_china_to_russia_transfers_are_offered_even_though_the_report_does_not_date_them(client):
    page = html(client.get("/?direction=cn-ru"))
    assert entries(page) == []
    assert 'href="?direction=cn-ru&amp;undated=1#timeline"' in page
    urls = entries(html(client.get("/?direction=cn-ru&undated=1")))
    assert sorted(urls) == [
        "/transfers/composite-materials-china-to-russia/",
        "/transfers/electronic-components-china-to-russia/",
        "/transfers/marine-diesel-engines-china-to-russia/",
        "/transfers/uav-technology-china-to-russia/",
    ]


def test_actor_filter_includes_the_actors_organisations(client):
    """?actor=russia matches records naming a Russian organisation, not only the state."""
    urls = entries(html(client.get("/?actor=russia&type=event")))
    assert "/events/rostec-su-57-statement-2019-03/" in urls


def test_filter_form_keeps_the_current_values(client):
    page = html(client.get("/?period=2014-present&from=2015"))
    assert '<option value="2014-present" selected>' in page
    assert 'name="from" value="2015"' in page
    assert "match the filters" in page


@pytest.mark.parametrize(
    ("query", "name", "rule"),
    [
        ("period=nope", "period", "is not one of the choices"),
        ("from=abc", "from", "must be a whole number such as 2014"),
        ("to=0", "to", "must be 1 or more"),
        ("from=99999999999999999999", "from", "must be 9999 or less"),
        ("from=2019&to=2014", "to", "must not be before the start year (2019)"),
        ("type=<script>alert(1)</script>", "type", "is not one of the choices"),
        ("actor=%27%20OR%201%3D1--", "actor", "is not one of the choices"),
        ("direction=both", "direction", "is not one of the choices"),
    ],
)
def test_a_bad_filter_value_gives_the_page_with_a_message_naming_it(client, query, name, rule):
    response = client.get(f"/?{query}")
    assert response.status_code == 400
    page = html(response)
    assert f"Filter “{name}” was ignored" in page
    assert rule in page
    assert "<script>alert(1)</script>" not in page
    assert len(entries(page)) >= 1  # the timeline is still there


def test_a_nul_in_a_filter_is_a_page_naming_the_parameter(client):
    response = client.get("/?period=2014-present&category=%00")
    assert response.status_code == 400
    page = html(response)
    assert "Parameter “category” contains a character that cannot be stored" in page


def test_a_bad_filter_is_ignored_and_the_good_ones_still_apply(client):
    response = client.get("/?period=2014-present&from=abc")
    assert response.status_code == 400
    urls = entries(html(response))
    assert "/transfers/s-400-2015/" in urls
    assert "/events/1992-mtc-agreement/" not in urls


def test_unknown_query_parameters_are_harmless(client):
    assert client.get("/?utm_source=x&page=-1").status_code == 200


def test_home_links_its_json_and_csv_twins_with_the_filters(client):
    page = html(client.get("/?period=2014-present&category=air-defence&from=2015"))
    # The API URL plus the page's own parameters, nothing renamed.
    assert 'href="/api/timeline/?period=2014-present&amp;category=air-defence&amp;from=2015&amp;format=json"' in page
    assert 'href="/api/timeline/?period=2014-present&amp;category=air-defence&amp;from=2015&amp;format=csv"' in page
    full = html(client.get("/"))
    assert 'href="/api/timeline/?format=json"' in full
    assert 'href="/api/timeline/?format=csv"' in full


def test_timeline_has_landmarks_headings_and_labelled_controls(client):
    page = html(client.get("/"))
    assert page.count("<h1") == 1
    assert "<main" in page
    assert "<header" in page
    assert "<footer" in page
    assert '<nav aria-label="Main" class="site-nav">' in page
    assert 'role="search"' in page
    for name in ("period", "category", "direction", "from", "to", "actor", "q", "endnote"):
        assert f'<label for="filter-{name}">' in page
        assert f'id="filter-{name}"' in page
    assert "<legend>Record types</legend>" in page  # the type checkboxes, each inside its label
    assert page.count('<label class="choice"><input type="checkbox" name="type"') == 5
    assert '<a class="skip" href="#main">' in page


# -- period pages -----------------------------------------------------------------------


def test_period_page_shows_summary_counts_figures_and_records(client):
    page = html(client.get("/periods/2014-present/"))
    assert "<h1>2014-present: Post-Crimea deepening of MTC</h1>" in page
    assert "Isolated from the West after annexing Crimea" in page
    assert "<div><dt>Arms transfers</dt><dd>7</dd></div>" in page
    assert "<div><dt>Known transfer value</dt><dd>$5.5 billion</dd></div>" in page  # S-400 + Su-35
    assert "Arms transfers by category" in page
    assert "Rostec&#x27;s Yevgeny Livad" in page or "Rostec's Yevgeny Livad" in page
    assert 'href="/transfers/s-400-2015/"' in page
    assert 'href="/api/figures/?period=2014-present&amp;format=csv"' in page


def test_period_page_lists_the_records_the_report_does_not_date(client):
    page = html(client.get("/periods/1992-2006/"))
    undated = page[page.index("Placed in this period without a year") :]
    assert 'href="/transfers/su-27-1992-2006/"' in undated


def _listed(page: str, heading: str) -> list[str]:
    """The record links under a period page's heading (its section up to the next heading)."""
    section = page.split(heading, 1)[1].split("<h3>", 1)[0]
    return re.findall(r'<h4 class="entry__title"><a href="([^"]+)"', section)


def test_a_period_page_counts_what_it_lists_and_says_when_more_follow(client, monkeypatch):
    from timeline import views

    page = html(client.get("/periods/1992-2006/"))
    dated, undated = _listed(page, "Dated, in order"), _listed(page, "Placed in this period without a year")
    assert f'Dated, in order <span class="muted">({len(dated)})</span>' in page
    assert f'without a year <span class="muted">({len(undated)})</span>' in page
    assert "More records fall in this period" not in page

    # A period with more records than a page: the first ones, said to be the first, and
    # no count of undated records the page did not reach.
    monkeypatch.setattr(views, "TIMELINE_PAGE_SIZE", 2)
    first = html(client.get("/periods/1992-2006/"))
    assert _listed(first, "Dated, in order") == dated[:2]
    assert 'Dated, in order <span class="muted">(the first 2)</span>' in first
    assert "More records fall in this period than one page lists: the first 2, in timeline order" in first
    assert "Placed in this period without a year" not in first


def test_period_pages_link_to_their_neighbours(client):
    page = html(client.get("/periods/2006-2014/"))
    assert 'rel="prev" href="/periods/1992-2006/"' in page
    assert 'rel="next" href="/periods/2014-present/"' in page


def test_unknown_period_is_404(client):
    assert client.get("/periods/1066-1067/").status_code == 404


# -- record pages -----------------------------------------------------------------------


def test_event_page_shows_every_field_and_its_citation(client):
    page = html(client.get("/events/1992-mtc-agreement/"))
    assert '<h1 id="record-title">China-Russia Military-Technical Cooperation Agreement</h1>' in page
    for label in ("Type", "Period", "Date as written", "Date (EDTF)", "Actors", "Description"):
        assert f"<dt>{label}</dt>" in page
    assert '<a href="/notes/csis-mtc-primer-2020/4/">Endnote 4</a>' in page
    assert "{% block cite %}" not in page


def test_record_page_keeps_the_fuzzy_date_as_written(client):
    page = html(client.get("/transfers/su-35-2015/"))
    assert "<dd>November 2015</dd>" in page
    assert "<dd>2015-11</dd>" in page


def test_transfer_page_links_actors_related_records_and_neighbours(client):
    page = html(client.get("/transfers/s-400-2015/"))
    assert '<a href="/actors/russia/">Russia</a>' in page
    assert "<dt>Value</dt>" in page
    assert "about $3 billion" in page
    same_system = page[page.index("<h3>Same system</h3>") : page.index("<h3>Same period")]
    assert "First S-400 regimental set delivered" in same_system
    assert 'rel="prev"' in page
    assert 'rel="next"' in page
    assert "Contradiction" in page  # the remarks are shown


def test_project_figure_actor_and_policy_option_pages_render(client):
    assert "<dt>Partners</dt>" in html(client.get("/projects/heavy-lift-helicopter-2015/"))
    figure = html(client.get("/figures/russia-share-china-arms-imports-1992-2006/"))
    assert "<dd>nearly 80 percent</dd>" in figure
    actor = html(client.get("/actors/rostec/"))
    assert "Records naming Rostec" in actor
    assert 'href="/events/rostec-su-57-statement-2019-03/"' in actor
    assert 'href="/api/timeline/?actor=rostec&amp;undated=1&amp;format=json"' in actor
    assert client.get("/policy-options/increase-federal-rd-funding/").status_code == 200


def test_an_actor_page_counts_the_records_naming_it_and_says_when_more_follow(client, monkeypatch):
    from timeline import views

    page = html(client.get("/actors/russia/"))
    listed = re.findall(r'<h4 class="entry__title"><a href="([^"]+)"', page.split('id="involved-heading"', 1)[1])
    assert len(listed) > 3
    assert f'Records naming Russia <span class="muted">({len(listed)})</span>' in page
    assert "More records name Russia" not in page

    monkeypatch.setattr(views, "TIMELINE_PAGE_SIZE", 3)
    first = html(client.get("/actors/russia/"))
    shown = re.findall(r'<h4 class="entry__title"><a href="([^"]+)"', first.split('id="involved-heading"', 1)[1])
    assert shown == listed[:3]
    assert 'Records naming Russia <span class="muted">(the first 3)</span>' in first
    assert "More records name Russia than one page lists: the first 3, in timeline order" in first


def test_uncited_record_says_why(client):
    from periods.models import Event

    event = Event.objects.exclude(uncited_reason="").first()
    page = html(client.get(event.get_absolute_url()))
    assert event.uncited_reason.replace("'", "&#x27;") in page


@pytest.mark.parametrize(
    "url",
    [
        "/events/no-such-event/",
        "/transfers/no-such-deal/",
        "/projects/no-such-project/",
        "/figures/no-such-figure/",
        "/actors/no-such-actor/",
        "/policy-options/no-such-option/",
        "/events/%E2%80%94/",
    ],
)
def test_unknown_slug_is_404_not_500(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Page not found" in html(response)


def test_404_page_helps_find_the_way(client):
    page = html(client.get("/transfer/s-400/"))
    assert "/transfer/s-400/" in page  # says which address failed
    assert 'action="/search/"' in page
    assert 'href="/periods/2014-present/"' in page
    assert 'href="/documents/csis-mtc-primer-2020/"' in page


def test_text_from_the_database_is_escaped(client):
    from tests.factories import EventFactory

    event = EventFactory(title="<img src=x onerror=alert(1)>", description="<b>bold</b>")
    page = html(client.get(event.get_absolute_url()))
    assert "<img src=x" not in page
    assert "<b>bold</b>" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
