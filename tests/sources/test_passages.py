"""Every citation of a report endnote quotes the report's sentence that carries the marker."""

from __future__ import annotations

import pytest

from dataset.loader import read
from sources.models import Citation
from tests import report_text

DOCUMENT = "csis-mtc-primer-2020"
DATA_FILES = ["events", "transfers", "projects", "figures", "policy_options", "analyses"]


def _yaml_citations():
    for name in DATA_FILES:
        for row in read(name):
            for cite in row.get("citations") or []:
                yield name, row["slug"], cite


def test_fixture_is_the_shared_report():
    """CI reads the fixture copy; it must be the report the team curates from."""
    if not report_text.SHARED_REPORT.exists():
        pytest.skip("the shared report is not on this machine")
    assert report_text.REPORT.read_bytes() == report_text.SHARED_REPORT.read_bytes()


def test_every_endnote_marker_is_in_the_body_once():
    positions = report_text.marker_positions()
    assert sorted(positions) == list(range(1, 74))
    assert all(len(p) == 1 for p in positions.values())


@pytest.mark.parametrize(("name", "slug", "cite"), list(_yaml_citations()), ids=lambda v: str(v)[:40])
def test_curated_passage_is_the_reports_text_before_the_marker(name, slug, cite):
    passage = " ".join((cite.get("passage") or "").split())
    assert passage, f"{name}.yaml {slug} cites note {cite['note']} without a passage"
    assert report_text.followed_by_marker(passage, cite["note"]), (
        f"{name}.yaml {slug}: passage for note {cite['note']} is not the report's text before ⁿ: {passage!r}"
    )


@pytest.mark.django_db
def test_every_stored_citation_of_the_report_has_its_verbatim_passage():
    citations = list(Citation.objects.filter(endnote__document__slug=DOCUMENT).select_related("endnote"))
    assert len(citations) > 100
    missing = [str(c) for c in citations if not c.passage]
    assert missing == []
    wrong = [str(c) for c in citations if not report_text.followed_by_marker(c.passage, c.endnote.number)]
    assert wrong == []


SU35_SENTENCE = "In November 2015, China signed a $2.5 billion contract for 24 Su-35 planes."


@pytest.mark.django_db
def test_record_page_shows_the_reports_sentence_under_its_endnote(client):
    html = client.get("/transfers/su-35-2015/").content.decode()
    citations = html.split('id="citations-heading"')[1]
    assert "The report:" in citations
    assert SU35_SENTENCE in citations


@pytest.mark.django_db
def test_api_citations_carry_the_passage(client):
    item = client.get("/api/transfers/su-35-2015/").json()
    assert item["citations"][0]["number"] == 32
    assert item["citations"][0]["passage"].startswith(SU35_SENTENCE)
    rows = client.get("/api/citations/", {"page_size": 500}).json()["results"]
    assert rows
    assert all(row["passage"] for row in rows)


@pytest.mark.django_db
def test_endnote_page_lists_each_passage_with_the_records_it_supports(client):
    html = client.get(f"/notes/{DOCUMENT}/32/").content.decode()
    section = html.split('id="passages-heading"')[1].split("</section>")[0]
    assert SU35_SENTENCE in section
    assert 'href="/transfers/su-35-2015/"' in section
    assert 'href="/figures/su-35-contract-value/"' in section


@pytest.mark.django_db
def test_cite_this_record_quotes_the_report(client):
    text = client.get("/cite/transfer/su-35-2015.txt").content.decode()
    assert f"The report: “{SU35_SENTENCE}" in " ".join(text.split())
    items = client.get("/cite/transfer/su-35-2015.json").json()
    assert SU35_SENTENCE in items[0]["note"]
