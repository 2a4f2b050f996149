"""Citation downloads, the selection of endnotes by record filters, the Cite menu and the DRF formats."""

import json
import re

import bibtexparser
import pytest
import rispy
from django.http import QueryDict
from django.template import Context, Template
from rest_framework import serializers, viewsets
from rest_framework.test import APIRequestFactory

from sources.models import Endnote, Source
from sources.renderers import CitationFormatsMixin
from timeline.citing_selection import selected_endnotes
from timeline.filters import timeline_query
from transfers.models import Transfer

pytestmark = pytest.mark.django_db

DOC = "csis-mtc-primer-2020"


@pytest.mark.parametrize(
    ("url", "content_type", "filename"),
    [
        ("/sources/cite.bib", "application/x-bibtex; charset=utf-8", "sources.bib"),
        ("/sources/meick-2017/cite.ris", "application/x-research-info-systems; charset=utf-8", "meick-2017.ris"),
        (
            "/sources/meick-2017/cite.json",
            "application/vnd.citationstyles.csl+json; charset=utf-8",
            "meick-2017.json",
        ),
        (f"/notes/{DOC}/5/cite.txt", "text/plain; charset=utf-8", f"{DOC}-note-5.txt"),
        (f"/notes/{DOC}/cite.html", "text/html; charset=utf-8", f"{DOC}-endnotes.html"),
        ("/cite/transfer/s-400-2015.bib", "application/x-bibtex; charset=utf-8", "mtc-transfer-s-400-2015.bib"),
        (
            "/cite/endnotes.ris?type=transfer&period=2014-present",
            "application/x-research-info-systems; charset=utf-8",
            "endnotes-arms-transfers-2014-present.ris",
        ),
    ],
)
def test_downloads_have_their_content_type_and_file_name(client, url, content_type, filename):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'


def test_all_sources_download_holds_every_source(client):
    library = bibtexparser.parse_string(client.get("/sources/cite.bib").content.decode())
    assert {e.key for e in library.entries} == set(Source.objects.values_list("slug", flat=True))


def test_all_endnotes_of_the_document_as_chicago_text(client):
    text = client.get(f"/notes/{DOC}/cite.txt").content.decode()
    assert text.count("\n1. Ethan Meick") == 1
    assert "\n73. Christopher Wray, “Written Testimony" in text


def test_selection_by_text_gives_the_endnotes_of_every_record_about_the_s400(client):
    text = client.get("/cite/endnotes.txt?q=S-400").content.decode()
    numbers = {int(line.split(".")[0]) for line in text.split("Notes\n")[1].split("\n\n")[0].splitlines()}
    expected = set(selected_endnotes(timeline_query(QueryDict("q=S-400"))).values_list("number", flat=True))
    assert numbers == expected
    assert 31 in numbers
    s400 = Transfer.objects.get(slug="s-400-2015")
    assert {c.endnote.number for c in s400.citations.all()} <= numbers


def test_selection_by_type_and_period_only_takes_those_records(client):
    selection = timeline_query(QueryDict("type=transfer&period=2014-present&undated=1"))
    notes = set(selected_endnotes(selection).values_list("number", flat=True))
    transfers = Transfer.objects.filter(period__slug="2014-present")
    cited = {c.endnote.number for t in transfers for c in t.citations.all()}
    assert notes == cited
    earlier = {c.endnote.number for t in Transfer.objects.filter(period__slug="1992-2006") for c in t.citations.all()}
    assert earlier - cited
    assert not (earlier - cited) & notes

    records = rispy.loads(client.get("/cite/endnotes.ris?type=transfer&period=2014-present&undated=1").content.decode())
    works = {w.source.slug for n in Endnote.objects.filter(number__in=notes, document__slug=DOC) for w in n.works.all()}
    assert {r["id"] for r in records} == works


def test_selection_of_transfers_by_direction_and_category(client):
    selection = timeline_query(QueryDict("direction=cn-ru&undated=1"))
    cited = {c.endnote.number for t in Transfer.objects.filter(direction="cn-ru") for c in t.citations.all()}
    assert set(selected_endnotes(selection).values_list("number", flat=True)) == cited
    items = json.loads(client.get("/cite/endnotes.json?category=air-defence&undated=1").content)
    assert "gady-2019-s400-training" in {i["id"] for i in items}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("type=spaceship", "type: is not one of the choices."),
        ("period=1900-1901", "period: is not one of the choices."),
        ("direction=up", "direction: is not one of the choices."),
    ],
)
def test_a_bad_filter_is_a_400_naming_the_parameter(client, query, message):
    response = client.get(f"/cite/endnotes.bib?{query}")
    assert response.status_code == 400
    assert response.content.decode() == message


def test_unknown_extension_or_record_is_404(client):
    assert client.get("/sources/meick-2017/cite.docx").status_code == 404
    assert client.get("/cite/transfer/no-such-deal.bib").status_code == 404
    assert client.get("/cite/spaceship/s-400-2015.bib").status_code == 404
    assert client.get(f"/notes/{DOC}/99/cite.bib").status_code == 404


def test_selection_queries_do_not_grow_with_the_number_of_notes(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        assert client.get("/cite/endnotes.bib").status_code == 200


def test_cite_menu_on_a_record_links_its_citations_page_and_offers_the_downloads():
    s400 = Transfer.objects.get(slug="s-400-2015")
    html = Template("{% load citing %}{% cite_menu record %}").render(Context({"record": s400}))
    assert "<summary>Cite</summary>" in html
    assert "Cite this record" in html
    assert '<div class="cite-blocks" data-src="/cite/transfer/s-400-2015/">' in html  # cite.js loads it
    assert '<a href="/cite/transfer/s-400-2015/">open them</a>' in html  # and readers without scripts follow it
    for ext in ("bib", "ris", "json", "txt", "html"):
        assert f'href="/cite/transfer/s-400-2015.{ext}" download' in html


def test_a_records_citations_page_shows_the_entry_then_its_endnotes(client):
    response = client.get("/cite/transfer/s-400-2015/")
    assert response.status_code == 200
    html = response.content.decode()
    blocks = html.split('<div class="cite-blocks">', 1)[1].split("</div>", 1)[0]
    assert blocks.index("This record (Chicago note)") < blocks.index("Endnotes it rests on")
    assert "“S-400 (Russia → China),” <i>MTC Timeline</i>, accessed" in blocks  # the copyable rich text
    assert "“S-400 (Russia → China),” MTC Timeline, accessed" in blocks  # and its plain-text twin
    assert "http://testserver/transfers/s-400-2015/" in blocks
    assert "31. Franz-Stefan Gady" in blocks
    assert 'class="cite-copy"' in blocks
    assert " hidden>Copy" in blocks
    for ext in ("bib", "ris", "json", "txt", "html"):
        assert f'href="/cite/transfer/s-400-2015.{ext}" download' in html
    assert '<a href="/transfers/s-400-2015/">the record</a>' in html


@pytest.mark.parametrize("path", ["/cite/transfer/no-such-deal/", "/cite/spaceship/s-400-2015/"])
def test_citations_page_of_an_unknown_record_or_type_is_404(client, path):
    assert client.get(path).status_code == 404


def test_cite_menu_on_an_endnote_and_a_source():
    note = Endnote.objects.get(document__slug=DOC, number=7)
    html = Template("{% load citing %}{% cite_menu note %}").render(Context({"note": note}))
    assert "Cite this endnote" in html
    assert "Paul N. Schwartz" in html
    assert "Richard Weitz" in html
    assert f'href="/notes/{DOC}/7/cite.bib" download' in html
    source = Source.objects.get(slug="foote-atkinson-2019")
    html = Template("{% load citing %}{% cite_menu source %}").render(Context({"source": source}))
    assert "Federal Support for R&amp;D" in html
    assert "R&D" not in html.replace("R&amp;D", "")
    assert 'href="/sources/foote-atkinson-2019/cite.ris" download' in html


def test_selection_page_lists_the_endnotes_with_a_cite_menu(client):
    response = client.get("/cite/?type=transfer&period=2014-present")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="/cite/endnotes.bib?type=transfer&amp;period=2014-present" download' in html
    assert client.get("/cite/?type=spaceship").status_code == 400


def test_a_selection_past_the_inline_limit_offers_the_downloads_only(client, monkeypatch):
    from timeline import citing_views

    cited = client.get("/cite/?type=transfer&period=2014-present").content.decode()
    count = int(re.search(r": (\d+) endnotes?\.</p>", cited).group(1))
    assert 'class="cite-block"' in cited
    monkeypatch.setattr(citing_views, "INLINE_LIMIT", count - 1)
    html = client.get("/cite/?type=transfer&period=2014-present").content.decode()
    assert 'class="cite-block"' not in html
    assert f"These records rest on {count} endnotes, more than {count - 1} to show here: download them below." in html
    assert 'href="/cite/endnotes.bib?type=transfer&amp;period=2014-present" download' in html


# --- DRF: the renderers and the mixin the API's view sets use ------------------------------


class _SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["slug", "title"]


class _SourceViewSet(CitationFormatsMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Source.objects.all()
    serializer_class = _SourceSerializer
    lookup_field = "slug"


class _EndnoteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Endnote
        fields = ["number", "text"]


class _EndnoteViewSet(CitationFormatsMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Endnote.objects.filter(document__slug=DOC)
    serializer_class = _EndnoteSerializer
    lookup_field = "number"


class _TransferSerializer(serializers.ModelSerializer):
    class Meta:
        model = Transfer
        fields = ["slug"]


class _TransferViewSet(CitationFormatsMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Transfer.objects.all()
    serializer_class = _TransferSerializer
    lookup_field = "slug"


def _call(viewset, action, fmt, **kwargs):
    request = APIRequestFactory().get("/api/x/", {"format": fmt} if fmt else {})
    response = viewset.as_view({"get": action})(request, **kwargs)
    response.render()
    return response


def test_api_list_and_detail_answer_citation_formats():
    response = _call(_SourceViewSet, "list", "bibtex")
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="sources.bib"'
    assert len(bibtexparser.parse_string(response.content.decode()).entries) == Source.objects.count()

    response = _call(_SourceViewSet, "retrieve", "ris", slug="lukin-2018")
    assert response["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="lukin-2018.ris"'
    assert rispy.loads(response.content.decode())[0]["type_of_reference"] == "BOOK"

    response = _call(_EndnoteViewSet, "retrieve", "csljson", number=7)
    assert response["Content-Type"] == "application/vnd.citationstyles.csl+json; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{DOC}-note-7.json"'
    assert [i["id"] for i in json.loads(response.content)] == ["schwartz-2019", "weitz-2017"]

    response = _call(_EndnoteViewSet, "list", "csljson")
    assert len(json.loads(response.content)) == Source.objects.count()


def test_api_record_detail_cites_the_record_and_a_list_cites_its_endnotes():
    response = _call(_TransferViewSet, "retrieve", "bibtex", slug="s-400-2015")
    entries = bibtexparser.parse_string(response.content.decode()).entries
    assert entries[0].key == "mtc-transfer-s-400-2015"
    assert entries[0]["url"] == "http://testserver/transfers/s-400-2015/"
    response = _call(_TransferViewSet, "list", "ris")
    assert response["Content-Disposition"] == 'attachment; filename="transfer-endnotes.ris"'
    assert "gady-2019-s400-training" in {r["id"] for r in rispy.loads(response.content.decode())}


def test_api_json_is_untouched_and_errors_stay_readable():
    response = _call(_SourceViewSet, "retrieve", None, slug="lukin-2018")
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["slug"] == "lukin-2018"
    response = _call(_SourceViewSet, "retrieve", "bibtex", slug="nope")
    assert response.status_code == 404
    assert "Content-Disposition" not in response
    assert json.loads(response.content) == {"detail": "No Source matches the given query."}
