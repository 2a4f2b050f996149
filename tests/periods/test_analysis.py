"""The report's analysis as records: claims in its words, attributed, cited, findable."""

from __future__ import annotations

import csv
import io
import re

import pytest

from aggregates import statistics
from periods.models import Analysis
from tests import report_text

pytestmark = pytest.mark.django_db

DOCUMENT = "csis-mtc-primer-2020"
# The endnotes that carried only the report's reasoning before it was kept as records.
ANALYSIS_NOTES = [1, 6, 13, 19, 21, 34, 36, 38, 41, 42]


@pytest.mark.parametrize("number", ANALYSIS_NOTES)
def test_an_analysis_quotes_the_sentence_carrying_the_note(number):
    analysis = Analysis.objects.get(citations__endnote__number=number)
    claim = " ".join(analysis.claim.split())
    assert claim in report_text.body(), "the claim is the report's own words"
    citation = analysis.citations.get(endnote__number=number)
    assert claim in citation.passage
    assert report_text.followed_by_marker(citation.passage, number)


def test_statistics_api_counts_all_73_endnotes_cited(client):
    statistics.rebuild()
    data = client.get("/api/statistics/").json()["statistics"]["citations"]
    assert data["endnotes_cited"][DOCUMENT] == {"endnotes": 73, "cited": 73}
    assert all(n > 0 for n in data["records_per_endnote"][DOCUMENT].values())
    assert data["records"]["periods.analysis"]["uncited"] == 0


def test_statistics_page_says_73_of_73(client):
    statistics.rebuild()
    html = client.get("/statistics/").content.decode()
    assert "73 of 73 endnotes are cited by at least one record" in html


def test_analysis_page_shows_claim_author_and_sentence(client):
    html = client.get("/analyses/schwartz-concerns-overridden/").content.decode()
    assert "simply appear to have been overridden" in html
    assert '<a href="/actors/paul-schwartz/">Paul N. Schwartz</a>' in html
    assert "quoted judgement" in html
    assert "The report:" in html.split('id="citations-heading"')[1]


def test_api_lists_filters_and_exports_analyses(client):
    data = client.get("/api/analyses/", {"made_by": "paul-schwartz"}).json()
    assert [item["slug"] for item in data["results"]] == ["schwartz-concerns-overridden"]
    assert data["results"][0]["attribution"] == "Paul N. Schwartz"
    assert data["results"][0]["citations"][0]["passage"].startswith("However, as Schwartz contends")
    own = client.get("/api/analyses/", {"the_report": "true", "kind": "explanation"}).json()["results"]
    assert {item["slug"] for item in own} >= {"arms-sales-served-both-sides", "kremlin-withheld-advanced-technology"}
    assert all(item["made_by"] is None for item in own)
    rows = list(csv.DictReader(io.StringIO(client.get("/api/analyses/", {"format": "csv"}).getvalue().decode())))
    assert len(rows) == Analysis.objects.count()
    assert {"claim", "attribution", "kind"} <= set(rows[0])


def test_dated_analyses_are_on_the_merged_timeline(client):
    results = client.get("/api/timeline/", {"type": "analysis", "page_size": 500}).json()["results"]
    slugs = {item["slug"] for item in results}
    assert "bendett-kania-technology-and-innovation" in slugs
    assert "dual-use-technologies-sought-jointly" not in slugs  # the report does not date it
    assert all(item["type"] == "analysis" for item in results)


def test_search_finds_an_analysis_by_its_words_and_author(client):
    html = client.get("/search/", {"q": "overridden"}).content.decode()
    assert 'href="/analyses/schwartz-concerns-overridden/"' in html
    html = client.get("/search/", {"q": "Bendett"}).content.decode()
    assert 'href="/analyses/bendett-kania-technology-and-innovation/"' in html


def test_cite_an_analysis_with_its_sentence(client):
    response = client.get("/cite/analysis/schwartz-concerns-overridden.txt")
    assert response.status_code == 200
    text = " ".join(response.content.decode().split())
    assert "Schwartz: Russia's concerns over intellectual property and security overridden" in text
    assert "The report: “However, as Schwartz contends" in text


def test_admin_edits_an_analysis_with_history(admin_client):
    analysis = Analysis.objects.get(slug="dual-use-technologies-sought-jointly")
    assert admin_client.get(f"/admin/periods/analysis/{analysis.pk}/change/").status_code == 200
    assert admin_client.get(f"/admin/periods/analysis/{analysis.pk}/history/").status_code == 200
    assert admin_client.get("/admin/periods/analysis/", {"q": "telecommunications"}).status_code == 200


def test_the_timeline_page_shows_dated_analyses_and_filters_to_them(client):
    html = client.get("/", {"type": "analysis"}).content.decode()
    assert 'href="/analyses/bendett-kania-technology-and-innovation/"' in html
    assert '<span class="badge badge--analysis">Analysis</span>' in html
    assert 'href="/events/' not in html.split('id="timeline"')[-1]
    assert "/api/timeline/?type=analysis" in html  # the page's JSON/CSV twins
    undated = client.get("/", {"type": "analysis", "undated": "1"}).content.decode()
    assert 'href="/analyses/dual-use-technologies-sought-jointly/"' in undated


def test_from_note_36_by_links_to_schwartz_and_a_citation_quoting_him(client):
    """The path a researcher takes, followed by its hrefs (the browser test clicks it)."""
    note = client.get(f"/notes/{DOCUMENT}/36/").content.decode()
    passages = note.split('id="passages-heading"')[1].split("</section>")[0]
    assert "simply appear to have been overridden" in passages
    (href,) = re.findall(r'href="(/analyses/[^"]+)"', passages)
    page = client.get(href).content.decode()
    assert "The report:" in page
    assert "simply appear to have been overridden" in page
    cite_txt = re.search(r'href="(/cite/analysis/[^"]+\.txt)"', page).group(1)
    text = " ".join(client.get(cite_txt).content.decode().split())
    assert href in text  # the record's own address
    assert "The report: “However, as Schwartz contends" in text
    assert "(note 36)" in text


def test_every_claim_is_verbatim_and_inside_a_passage_it_cites():
    for analysis in Analysis.objects.prefetch_related("citations"):
        claim = " ".join(analysis.claim.split())
        assert claim in report_text.body(), analysis.slug
        assert any(claim in c.passage for c in analysis.citations.all()), analysis.slug
