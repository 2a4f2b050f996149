"""What a Cite menu shows: the Chicago forms of a citation set as copyable blocks, and
the download links. Shared by the ``{% cite_menu %}`` tags and the page that holds a
record's citations (``sources.citation_views.record_cite_page``)."""

from __future__ import annotations

from html import escape

from django.urls import reverse
from django.utils.safestring import mark_safe

from . import citing

FORMAT_LABELS = {"bibtex": "BibTeX", "ris": "RIS", "csljson": "CSL-JSON", "txt": "Plain text", "html": "HTML"}


def download_links(url_for) -> list[dict[str, str]]:
    return [{"label": FORMAT_LABELS[fmt], "url": url_for(ext), "ext": ext} for fmt, (ext, _) in citing.FORMATS.items()]


def blocks(cset: citing.CitationSet) -> list[dict[str, str]]:
    plain, html = citing.chicago(cset), citing.chicago(cset, html=True)
    blocks = []
    if plain.record_note:
        blocks.append({"label": "This record (Chicago note)", "text": plain.record_note, "html": html.record_note})
        quoted = " ".join(filter(None, (citing.quoted_passage(n) for n in cset.notes)))
        if quoted:
            blocks.append(
                {
                    "label": "This record with the report's words (Chicago note)",
                    "text": f"{plain.record_note} {quoted}",
                    "html": f"{html.record_note} {escape(quoted)}",
                }
            )
    if plain.notes:
        label = "Endnotes it rests on (Chicago notes)" if plain.record_note else "Chicago note"
        numbered = len(plain.notes) > 1 or plain.record_note
        texts = [f"{n.number}. {t}" if numbered else t for n, t in plain.notes]
        htmls = [f"{n.number}. {t}" if numbered else t for n, t in html.notes]
        blocks.append({"label": label, "text": "\n".join(texts), "html": "<br>".join(htmls)})
    elif cset.sources and not plain.record_note:
        works = [citing.CitedWork(s) for s in cset.sources]
        blocks.append(
            {"label": "Chicago note", "text": citing.chicago_note(works), "html": citing.chicago_note(works, html=True)}
        )
    if plain.bibliography:
        blocks.append(
            {
                "label": "Chicago bibliography",
                "text": "\n".join(plain.bibliography),
                "html": "<br>".join(html.bibliography),
            }
        )
    for block in blocks:
        block["html"] = mark_safe(block["html"])  # noqa: S308 - escaped item by item in citing
    return blocks


def menu_context(cset: citing.CitationSet, downloads, heading: str, prefix: str) -> dict:
    return {"heading": heading, "blocks": blocks(cset), "downloads": downloads, "prefix": prefix}


def record_menu(record, request) -> dict:
    """The full Cite menu of a record: its own Chicago note first, then its endnotes'."""
    url = record.get_absolute_url()
    cset = citing.cite_record(record, url=request.build_absolute_uri(url) if request else url)
    return menu_context(cset, record_downloads(record), "Cite this record", f"cite-record-{record.slug}")


def record_downloads(record) -> list[dict[str, str]]:
    return [{**d, "url": citing.record_download_url(record, citing.EXTENSIONS[d["ext"]])} for d in download_links(str)]


def record_page_url(record) -> str:
    """The page holding a record's citations, which its Cite menu loads when opened."""
    return reverse("sources:cite-record-page", kwargs={"type": citing.record_type(record), "slug": record.slug})
