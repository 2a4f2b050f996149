"""BibTeX, CSL-JSON and RIS read by the clients researchers use: pandoc's citeproc, rispy.

pandoc (Debian's, installed by ``.ci/run``) reads a bibliography the way a writer's
toolchain does: ``-f biblatex -t csljson`` shows what it understood, and
``--citeproc`` renders the bibliography a reader sees. Every source of the report must
come out of the BibTeX with the same author, title, container and date as out of the
CSL-JSON.
"""

from __future__ import annotations

import datetime
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import rispy

from sources import citing
from sources.models import Source
from tests.factories import SourceFactory
from transfers.models import Transfer

pytestmark = pytest.mark.django_db
assert shutil.which("pandoc"), "pandoc is needed: apt-get install pandoc (.ci/run does)"

NOCITE_ALL = "---\nnocite: '@*'\n---\n"


def pandoc(*args: str, stdin: str = "") -> str:
    done = subprocess.run(
        ["pandoc", *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return done.stdout


def read_as_csl(path: Path, fmt: str) -> dict[str, dict]:
    """What pandoc understood of a bibliography file, as CSL-JSON items by id."""
    return {item["id"]: item for item in json.loads(pandoc("-f", fmt, "-t", "csljson", str(path)))}


def rendered_entries(path: Path) -> list[str]:
    """The bibliography pandoc's citeproc renders from the file (Chicago author-date), one entry per item."""
    text = pandoc("--citeproc", "--bibliography", str(path), "-t", "plain", "--wrap=none", stdin=NOCITE_ALL)
    return [entry.strip() for entry in text.strip().split("\n\n")]


def write(tmp_path: Path, cset: citing.CitationSet, fmt: str, name: str) -> Path:
    path = tmp_path / name
    path.write_text(citing.render(cset, fmt), encoding="utf-8")
    return path


def essentials(item: dict) -> tuple:
    """Author, title, container and date: what a reader checks a reference by."""
    container = item.get("container-title") or item.get("event") or item.get("event-title")
    return (item.get("author"), item.get("title"), container, item.get("issued"))


def test_every_source_reads_the_same_from_bibtex_and_csl_json_in_pandoc(tmp_path):
    cset = citing.for_sources(Source.objects.all())
    from_bib = read_as_csl(write(tmp_path, cset, "bibtex", "sources.bib"), "biblatex")
    from_json = read_as_csl(write(tmp_path, cset, "csljson", "sources.json"), "csljson")
    assert len(from_bib) == len(from_json) == Source.objects.count() == 36
    for key, item in from_json.items():
        assert essentials(from_bib[key]) == essentials(item), key
        if item["type"] != "speech":  # BibTeX has no speech type: pandoc reads @misc as untyped
            assert from_bib[key]["type"] == item["type"], key
    # News and magazine articles keep their day (they used to come back as "Defense One, October").
    assert from_bib["bendett-kania-2019"]["type"] == "article-magazine"
    assert from_bib["bendett-kania-2019"]["issued"] == {"date-parts": [[2019, 10, 4]]}
    assert from_bib["clover-2016"]["type"] == "article-newspaper"
    # An en dash between two titles is kept (pandoc dropped {\textendash}).
    assert "Future – President" in from_bib["omb-budget-fy2021"]["title"]
    # A corporate publisher with "and" in its name is one publisher, not two.
    assert from_bib["wray-2020"]["publisher"] == "Center for Strategic and International Studies"


def test_every_source_renders_the_same_through_pandoc_citeproc(tmp_path):
    cset = citing.for_sources(Source.objects.all())
    from_bib = rendered_entries(write(tmp_path, cset, "bibtex", "sources.bib"))
    from_json = rendered_entries(write(tmp_path, cset, "csljson", "sources.json"))
    assert len(from_bib) == len(from_json) == 36
    assert from_bib[0].startswith(
        "Bendett, Samuel, and Elsa B. Kania. 2019. “China, Russia Deepen Technological Ties.” "
        "Defense One, October 4, 2019."
    )
    for bib_entry, json_entry in zip(from_bib, from_json, strict=True):
        if bib_entry.startswith("Wray, Christopher."):  # the speech: see above
            assert json_entry.casefold().startswith(bib_entry.casefold()[:60])
            continue
        # The style title-cases titles from CSL-JSON; BibTeX titles are braced, so case is kept as written.
        assert bib_entry.casefold() == json_entry.casefold()


def test_cite_this_record_keeps_its_arrow_in_pandoc(tmp_path):
    s400 = Transfer.objects.get(slug="s-400-2015")
    cset = citing.cite_record(s400, url="https://mtc.example/transfers/s-400-2015/", accessed=datetime.date(2026, 5, 4))
    item = read_as_csl(write(tmp_path, cset, "bibtex", "record.bib"), "biblatex")["mtc-transfer-s-400-2015"]
    assert item["title"] == "S-400 (Russia → China)"
    assert (item["type"], item["container-title"], item["URL"]) == (
        "webpage",
        "MTC Timeline",
        "https://mtc.example/transfers/s-400-2015/",
    )
    rendered = rendered_entries(write(tmp_path, cset, "bibtex", "record.bib"))
    assert "“S-400 (Russia → China).” n.d. MTC Timeline. Accessed May 4, 2026." in "\n".join(rendered)


def test_a_source_in_several_scripts_survives_bibtex_to_pandoc_intact(tmp_path):
    publisher = "Центр «Кремль» & 中国社会科学院 – Strategic and International Studies"
    source = SourceFactory(
        slug="multiscript",
        kind=Source.Kind.ARTICLE_NEWSPAPER,
        title='Россия и Китай: 军事合作 – "a new era" & after',
        authors=[{"family": "Кашин", "given": "Василий"}, {"literal": "Research Center for Arms & Trade"}],
        container_title="Коммерсантъ",
        publisher=publisher,
        date_edtf="2019-10-04",
        url="https://example.org/a_b%20c?x=1&y=2#top",
    )
    cset = citing.for_sources([source])
    item = read_as_csl(write(tmp_path, cset, "bibtex", "one.bib"), "biblatex")["multiscript"]
    assert item["title"] == 'Россия и Китай: 军事合作 – "a new era" & after'  # straight quotes stay straight
    assert item["author"] == [
        {"family": "Кашин", "given": "Василий"},
        {"literal": "Research Center for Arms & Trade"},
    ]
    assert item["publisher"] == publisher
    assert item["container-title"] == "Коммерсантъ"
    assert item["issued"] == {"date-parts": [[2019, 10, 4]]}
    assert item["URL"] == "https://example.org/a_b%20c?x=1&y=2#top"
    text = citing.render(cset, "bibtex")
    assert not re.search(r"\\(text|CYR|cyr)", text)  # UTF-8, no LaTeX macros for letters or punctuation


def test_a_line_break_in_any_field_never_breaks_a_ris_record_or_a_bibtex_field():
    source = SourceFactory(
        slug="two-lines",
        title="First line\nER  - second line",
        publisher="Centre for\r\nStudies",
        authors=[{"family": "Doe\n", "given": "Jane"}],
    )
    cset = citing.for_sources([source, Source.objects.get(slug="meick-2017")])
    ris = citing.render(cset, "ris")
    records = rispy.loads(ris)
    assert [r["id"] for r in records] == ["two-lines", "meick-2017"]
    assert records[0]["title"] == "First line ER - second line"
    assert records[0]["publisher"] == "Centre for Studies"
    assert all(re.match(r"^[A-Z][A-Z0-9]  - ", line) or not line.strip() for line in ris.splitlines())
    bib = citing.render(cset, "bibtex")
    assert "title = {{First line ER - second line}}" in bib
    assert "publisher = {{Centre for Studies}}" in bib
