"""Citation formats on the API: sources, endnotes and records, as reference managers want them."""

import bibtexparser
import pytest
import rispy

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/api/sources/?format=bibtex", "application/x-bibtex"),
        ("/api/sources/meick-2017/?format=bibtex", "application/x-bibtex"),
        ("/api/endnotes/?format=bibtex", "application/x-bibtex"),
        ("/api/endnotes/csis-mtc-primer-2020/31/?format=bibtex", "application/x-bibtex"),
        ("/api/transfers/s-400-2015/?format=bibtex", "application/x-bibtex"),
        ("/api/analyses/schwartz-concerns-overridden/?format=bibtex", "application/x-bibtex"),
    ],
)
def test_bibtex_downloads_parse(client, path, content_type):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert "attachment" in response["Content-Disposition"]
    library = bibtexparser.parse_string(response.content.decode())
    assert library.entries
    assert not library.failed_blocks


def test_ris_of_an_endnote_lists_all_its_works(client):
    response = client.get("/api/endnotes/csis-mtc-primer-2020/31/?format=ris")
    assert response.status_code == 200
    entries = rispy.loads(response.content.decode())
    titles = " ".join(e.get("title", "") or e.get("primary_title", "") for e in entries)
    assert "S-400" in titles
    assert len(entries) == 3


def test_csljson_of_a_filtered_source_list(client):
    response = client.get("/api/sources/?format=csljson&kind=book")
    assert response.status_code == 200
    items = response.json()
    assert [item["type"] for item in items] == ["book"] * len(items)
    assert items


def test_schema_documents_citation_formats_of_analyses(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    ok = schema["paths"]["/api/analyses/{slug}/"]["get"]["responses"]["200"]["content"]
    assert "application/vnd.citationstyles.csl+json" in ok
    items = client.get("/api/analyses/schwartz-concerns-overridden/?format=csljson").json()
    assert "However, as Schwartz contends" in items[0]["note"]
