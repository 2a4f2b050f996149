"""Pages reference managers read: Highwire, Dublin Core and schema.org JSON-LD, parsed by extruct."""

import extruct
import pytest
from lxml import html

from tests.factories import TransferFactory

pytestmark = pytest.mark.django_db


def metadata(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200
    page_url = f"http://testserver{url}"
    return extruct.extract(response.content.decode(), base_url=page_url, syntaxes=["json-ld", "dublincore"])


def highwire(client, url: str) -> dict[str, list[str]]:
    tree = html.fromstring(client.get(url).content)
    tags: dict[str, list[str]] = {}
    for meta in tree.xpath("//head/meta[starts-with(@name, 'citation_')]"):
        tags.setdefault(meta.get("name"), []).append(meta.get("content"))
    return tags


def dublin_core(data: dict) -> dict[str, str]:
    [dc] = data["dublincore"]
    return {e["URI"].rsplit("/", 1)[-1]: e["content"] for e in dc["elements"] if e["name"].startswith("DC.")}


def test_a_record_page_gives_its_title_date_and_url(client):
    data = metadata(client, "/transfers/su-35-2015/")
    [ld] = data["json-ld"]
    assert (ld["@type"], ld["name"], ld["url"]) == (
        "WebPage",
        "Su-35 (Russia → China)",
        "http://testserver/transfers/su-35-2015/",
    )
    assert ld["datePublished"] == "2015-11"
    assert ld["isPartOf"]["@type"] == "Dataset"
    dc = dublin_core(data)
    assert (dc["title"], dc["date"], dc["identifier"]) == (
        "Su-35 (Russia → China)",
        "2015-11",
        "http://testserver/transfers/su-35-2015/",
    )
    tags = highwire(client, "/transfers/su-35-2015/")
    assert tags["citation_title"] == ["Su-35 (Russia → China)"]
    assert tags["citation_publication_date"] == ["2015/11"]
    assert tags["citation_public_url"] == ["http://testserver/transfers/su-35-2015/"]


def test_a_source_page_describes_the_work(client):
    data = metadata(client, "/sources/clover-2016/")
    [ld] = data["json-ld"]
    assert ld["@type"] == "NewsArticle"
    assert ld["name"] == "Russia Resumes Advanced Weapons Sales to China"
    assert ld["datePublished"] == "2016-11-03"
    assert ld["author"] == [
        {"@type": "Person", "name": "Charles Clover", "familyName": "Clover", "givenName": "Charles"}
    ]
    assert ld["url"] == "https://www.ft.com/content/90b1ada2-a18e-11e6-86d5-4e36b35c3550"
    tags = highwire(client, "/sources/clover-2016/")
    assert tags["citation_author"] == ["Clover, Charles"]
    assert tags["citation_journal_title"] == ["Financial Times"]


def test_an_endnote_page_is_part_of_the_report(client):
    data = metadata(client, "/notes/csis-mtc-primer-2020/31/")
    [ld] = data["json-ld"]
    assert ld["name"] == "Sino-Russian Military-Technical Cooperation: A Primer, note 31"
    assert ld["datePublished"] == "2020-03"
    assert ld["url"] == "http://testserver/notes/csis-mtc-primer-2020/31/"
    assert ld["isPartOf"]["@type"] == "Report"
    assert dublin_core(data)["creator"] == "Blivas, Alec"


def test_the_site_is_a_dataset_with_its_downloads(client):
    [ld] = metadata(client, "/")["json-ld"]
    assert ld["@type"] == "Dataset"
    assert "http://testserver/data/mtc-timeline.zip" in [d["contentUrl"] for d in ld["distribution"]]
    assert ld["license"].startswith("https://opendatacommons.org/")


def test_json_ld_cannot_close_its_script_block(client):
    TransferFactory(slug="sneaky", designation="</script><script>alert(1)</script>")
    page = client.get("/transfers/sneaky/").content.decode()
    assert "<script>alert(1)" not in page
    [ld] = metadata(client, "/transfers/sneaky/")["json-ld"]
    assert "</script><script>alert(1)</script>" in ld["name"]
