"""The endnote importer: it reproduces the curated notes and works from the report's text."""

from pathlib import Path

import pytest
import yaml
from django.core.management.base import CommandError

from ground.models import DataVersion
from sources.importer import EndnoteImportError, normalize_title, parse_endnotes
from sources.models import Endnote, EndnoteWork, Source
from tests.factories import DocumentFactory

FIXTURES = Path(__file__).parent / "fixtures"
CURATED = Path(__file__).resolve().parents[2] / "dataset" / "data" / "report"


def endnote_section() -> str:
    """The ENDNOTES section of the report, cut from the copy of its text kept as a fixture."""
    text = (FIXTURES / "sino-russian-mtc-primer-2020.txt").read_text(encoding="utf-8")
    return text[text.index("\nENDNOTES\n") + len("\nENDNOTES\n") :]


@pytest.fixture(scope="module")
def parsed():
    return parse_endnotes(endnote_section())


@pytest.fixture(scope="module")
def curated():
    notes = yaml.safe_load((CURATED / "endnotes.yaml").read_text(encoding="utf-8"))
    sources = yaml.safe_load((CURATED / "sources.yaml").read_text(encoding="utf-8"))
    return {n["number"]: n for n in notes}, {s["slug"]: s for s in sources}


def curated_slug(draft, sources) -> str:
    """The curated work the importer's work is: same authors and title, or same URL."""
    keys = tuple((a.get("family") or a.get("literal")).casefold() for a in draft.authors)
    found = [
        slug
        for slug, s in sources.items()
        if (tuple((a.get("family") or a.get("literal")).casefold() for a in s["authors"]), normalize_title(s["title"]))
        == (keys, normalize_title(draft.title))
        or (draft.url and s.get("url") == draft.url)
    ]
    assert len(found) == 1, f"{draft.title!r} maps to {found}"
    return found[0]


def test_importer_reproduces_the_curated_notes(parsed, curated):
    notes, sources = curated
    assert [n.number for n in parsed.notes] == list(range(1, 74)) == sorted(notes)
    for note in parsed.notes:
        expected = notes[note.number]
        assert note.text == expected["text"], note.number
        assert note.urls == expected["urls"], note.number
        assert note.ibid_of == expected["ibid_of"], note.number
        got = [(curated_slug(w.draft, sources), w.pinpoint, w.form) for w in note.works]
        want = [(w["source"], w["pinpoint"] or "", w["form"]) for w in expected["works"]]
        assert got == want, note.number


def test_importer_deduplicates_to_the_curated_works(parsed, curated):
    _, sources = curated
    mapped = [curated_slug(draft, sources) for draft in parsed.works]
    assert len(mapped) == len(set(mapped)) == len(sources) == 36


# Where the importer's reading of a note differs from the hand curation, and why. Every
# other field the importer fills must equal the curated value exactly.
EXPECTED_DIFFERENCES = {
    # The form of a note does not tell a newspaper or a journal from a magazine.
    ("korolev-2018", "kind"): ("article-magazine", "article-journal"),
    ("clover-2016", "kind"): ("article-magazine", "article-newspaper"),
    ("simes-2019", "kind"): ("article-magazine", "article-newspaper"),
    ("elmer-2019", "kind"): ("article-magazine", "article-newspaper"),
    ("wroughton-zengerle-2018", "kind"): ("article-magazine", "article-newspaper"),
    # The report prints "Office of Budget and Management"; the curation corrects it.
    ("omb-budget-fy2021", "authors"): (
        [{"literal": "Office of Budget and Management"}],
        [{"literal": "Office of Management and Budget"}],
    ),
    # Note 27/29 give only "Gabuev" / "Alexander Gabuev": the first (short) form is kept.
    ("gabuev-unwanted-but-inevitable", "authors"): (
        [{"family": "Gabuev"}],
        [{"family": "Gabuev", "given": "Alexander"}],
    ),
}
FIELDS = [
    "kind",
    "authors",
    "editors",
    "title",
    "container_title",
    "collection_title",
    "publisher",
    "publisher_place",
    "date_edtf",
    "url",
]


def test_what_the_importer_claims_about_each_work_matches_the_curation(parsed, curated):
    _, sources = curated
    differences = {}
    for draft in parsed.works:
        slug = curated_slug(draft, sources)
        source = sources[slug]
        for name in FIELDS:
            mine = getattr(draft, name)
            theirs = source.get("date" if name == "date_edtf" else name) or (
                [] if name in ("authors", "editors") else ""
            )
            if mine != theirs:
                differences[(slug, name)] = (mine, theirs)
    assert differences == EXPECTED_DIFFERENCES


def test_importer_reports_what_it_could_not_resolve_and_what_looks_wrong(parsed):
    assert parsed.unresolved == [
        "Note 27: short form 'Gabuev, “Unwanted But Inevitable”' matches no earlier full citation; "
        "recorded as a work known only by its author and title."
    ]
    assert "Note 73 ends with a comma: it may be truncated." in parsed.warnings
    assert "Note 71: the URL is printed with a space inside it; joined." in parsed.warnings
    assert any(w.startswith("Note 58: title “Pentagon Budget Increases") for w in parsed.warnings)


# --- numbering styles and malformed input -----------------------------------------------


def test_plain_number_styles_and_angle_bracket_urls():
    text = (
        "1. Ethan Meick, “A Report,” *Commission on Things*, March 20, 2017, 3. <https://example.org/a.pdf>\n"
        "2 Ibid.\n"
        "3. Meick, 12; Jane Doe, *A Book*, Polity Press, Cambridge, UK, 2018, 155.\n"
    )
    result = parse_endnotes(text)
    assert [n.number for n in result.notes] == [1, 2, 3]
    assert result.notes[0].urls == ["https://example.org/a.pdf"]
    assert (result.notes[1].ibid_of, result.notes[1].works[0].pinpoint) == (1, "3")
    assert [(w.draft.title, w.pinpoint, w.form) for w in result.notes[2].works] == [
        ("A Report", "12", "short"),
        ("A Book", "155", "full"),
    ]
    book = result.notes[2].works[1].draft
    assert (book.kind, book.publisher, book.publisher_place, book.date_edtf) == (
        "book",
        "Polity Press",
        "Cambridge, UK",
        "2018",
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("¹ Meick, 1.\n³ Meick, 3.\n", "Gap in numbering at line 2: note 2 missing after note 1 (found note 3)."),
        ("1. Meick, 1.\n2. Meick, 2.\n6. Meick, 6.\n", "notes 3-5 missing after note 2 (found note 6)."),
        ("² Meick, 2.\n", "Gap in numbering at line 1: note 1 missing at the start of the list (found note 2)."),
        ("¹ Meick, 1.\n² Meick, 2.\n² Meick, 2.\n", "Note 2 at line 3 is out of order"),
        ("¹ *Ibid.*, 4.\n", "Note 1 is 'Ibid.' but there is no earlier note for it to repeat."),
        ("¹ Meick, 1.\n² \n³ Meick, 3.\n", "Note 2 (line 2) is empty: it has a number but no text."),
        ("Some preface\n¹ Meick, 1.\n", "Line 1 is not part of a numbered note"),
        ("\n\n", "No numbered notes found"),
    ],
)
def test_malformed_input_is_refused_with_a_message_naming_the_note(text, message):
    with pytest.raises(EndnoteImportError) as error:
        parse_endnotes(text)
    assert message in str(error.value)


def test_ibid_after_a_note_that_resolved_nothing_is_refused():
    with pytest.raises(EndnoteImportError, match="Note 2 is 'Ibid.' but note 1 cites no work it could repeat."):
        parse_endnotes("¹ Nobody, 3.\n² Ibid., 4.\n")


# --- the command: writes, idempotence, atomicity ----------------------------------------


@pytest.fixture
def section_file(tmp_path):
    path = tmp_path / "endnotes.txt"
    path.write_text(endnote_section(), encoding="utf-8")
    return path


@pytest.mark.django_db
def test_importing_the_report_into_the_curated_document_changes_nothing(call, section_file):
    version = DataVersion.current().version
    output = call("import_endnotes", str(section_file), "--document", "csis-mtc-primer-2020")
    assert output.startswith(
        "Imported 73 notes into csis-mtc-primer-2020: 0 created, 0 updated, 73 unchanged. "
        "Sources: 0 created, 36 matched existing."
    )
    assert "Could not resolve (1):\n  Note 27: short form" in output
    assert DataVersion.current().version == version


@pytest.mark.django_db
def test_import_into_a_new_document_then_reimport_changes_nothing(call, section_file):
    document = DocumentFactory(slug="primer-copy")
    sources_before = Source.objects.count()
    first = call("import_endnotes", str(section_file), "--document", "primer-copy")
    assert "73 created, 0 updated, 0 unchanged" in first
    assert Source.objects.count() == sources_before  # every work matched the curated sources
    copy = Endnote.objects.filter(document=document)
    assert copy.get(number=5).ibid_of == copy.get(number=4)
    assert list(copy.get(number=5).works.values_list("source__slug", "pinpoint", "form")) == [
        ("korolev-2018", "8", "ibid"),
        ("meick-2017", "3, 17", "short"),
    ]
    assert copy.get(number=71).urls == Endnote.objects.get(document__slug="csis-mtc-primer-2020", number=71).urls

    version = DataVersion.current().version
    second = call("import_endnotes", str(section_file), "--document", "primer-copy")
    assert "0 created, 0 updated, 73 unchanged" in second
    assert DataVersion.current().version == version


@pytest.mark.django_db
def test_new_works_become_sources_and_a_changed_note_is_updated(call, tmp_path):
    DocumentFactory(slug="other-report")
    path = tmp_path / "notes.txt"
    path.write_text("1. Jane Roe, “A New Article,” *Diplomat*, June 5, 2015.\n2. Roe, “A New Article.”\n", "utf-8")
    output = call("import_endnotes", str(path), "--document", "other-report")
    assert "2 created" in output
    assert "Sources: 1 created" in output
    assert "new source: roe-2015" in output
    source = Source.objects.get(slug="roe-2015")
    assert (source.kind, source.container_title, source.date_edtf) == ("article-magazine", "Diplomat", "2015-06-05")

    path.write_text("1. Jane Roe, “A New Article,” *Diplomat*, June 5, 2015, 4.\n2. Roe, “A New Article.”\n", "utf-8")
    output = call("import_endnotes", str(path), "--document", "other-report")
    assert "0 created, 1 updated, 1 unchanged" in output
    assert EndnoteWork.objects.get(endnote__document__slug="other-report", endnote__number=1).pinpoint == "4"


@pytest.mark.django_db
def test_malformed_file_writes_nothing(call, tmp_path):
    DocumentFactory(slug="broken-report")
    path = tmp_path / "notes.txt"
    # Note 1 is a new work that would be written if the import were not all-or-nothing.
    path.write_text("1. Jane Poe, “Unseen,” *Diplomat*, 2015.\n2. Poe, 3.\n4. Poe, 5.\n", "utf-8")
    sources, notes = Source.objects.count(), Endnote.objects.count()
    with pytest.raises(CommandError, match=r"note 3 missing after note 2 \(found note 4\)\. Nothing was imported\."):
        call("import_endnotes", str(path), "--document", "broken-report")
    assert (Source.objects.count(), Endnote.objects.count()) == (sources, notes)


@pytest.mark.django_db
def test_a_database_error_mid_import_rolls_everything_back(call, tmp_path, monkeypatch):
    DocumentFactory(slug="rollback-report")
    path = tmp_path / "notes.txt"
    path.write_text("1. Jane Poe, “Unseen,” *Diplomat*, 2015.\n2. Poe, 3.\n", "utf-8")
    from sources import import_services

    def fail(endnote, works):
        if endnote.number == 2:
            raise RuntimeError("disk full")
        return original(endnote, works)

    original = import_services._write_works
    monkeypatch.setattr(import_services, "_write_works", fail)
    with pytest.raises(RuntimeError):
        call("import_endnotes", str(path), "--document", "rollback-report")
    assert not Source.objects.filter(title="Unseen").exists()
    assert not Endnote.objects.filter(document__slug="rollback-report").exists()


@pytest.mark.django_db
def test_command_names_a_missing_document_or_file(call, section_file, tmp_path):
    with pytest.raises(CommandError, match="--document: no document with slug 'nope'"):
        call("import_endnotes", str(section_file), "--document", "nope")
    with pytest.raises(CommandError, match="FILE: '.*missing.txt' does not exist."):
        call("import_endnotes", str(tmp_path / "missing.txt"), "--document", "csis-mtc-primer-2020")
