"""``{% cite_menu object %}``: a "Cite" menu for a source, an endnote, a document or a cited record.

Shows the Chicago note and bibliography forms as text (copy buttons are added by
``static/js/cite.js``; without JavaScript the text can still be selected) and links to
download BibTeX, RIS, CSL-JSON, plain text and HTML. For a record ("cite this record")
the first citation is the knowledge-base entry itself, then the endnotes it rests on.
``{% cite_selection_menu query %}`` (``timeline_citing``) does the same for the endnotes
of a timeline selection.
"""

from __future__ import annotations

from html import escape

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe

from sources import citing
from sources.cited_record import record_type_of
from sources.models import Document, Endnote, Source
from sources.selectors import citable_endnotes

register = template.Library()

FORMAT_LABELS = {"bibtex": "BibTeX", "ris": "RIS", "csljson": "CSL-JSON", "txt": "Plain text", "html": "HTML"}


def download_links(url_for) -> list[dict[str, str]]:
    return [{"label": FORMAT_LABELS[fmt], "url": url_for(ext), "ext": ext} for fmt, (ext, _) in citing.FORMATS.items()]


def _blocks(cset: citing.CitationSet) -> list[dict[str, str]]:
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
    return {"heading": heading, "blocks": _blocks(cset), "downloads": downloads, "prefix": prefix}


@register.filter
def citable_record(obj) -> bool:
    """Whether "cite this record" knows the record's type (``/cite/<type>/<slug>.<ext>``)."""
    return record_type_of(obj) is not None


@register.inclusion_tag("sources/_cite_menu.html", takes_context=True)
def cite_menu(context, obj):
    if isinstance(obj, Source):
        cset = citing.for_sources([obj], title=obj.title, filename=obj.slug)
        downloads = download_links(lambda ext: reverse("sources:cite-source", kwargs={"slug": obj.slug, "ext": ext}))
        return menu_context(cset, downloads, "Cite this source", f"cite-source-{obj.slug}")
    if isinstance(obj, Document):
        notes = citable_endnotes().filter(document=obj)
        cset = citing.for_endnotes(notes, title=f"{obj.title}: endnotes", filename=f"{obj.slug}-endnotes")
        downloads = download_links(
            lambda ext: reverse("sources:cite-document-endnotes", kwargs={"document": obj.slug, "ext": ext})
        )
        return menu_context(cset, downloads, "Cite the report’s endnotes", f"cite-document-{obj.slug}")
    if isinstance(obj, Endnote):
        note = citable_endnotes().get(pk=obj.pk)
        kwargs = {"document": note.document.slug, "number": note.number}
        downloads = download_links(lambda ext: reverse("sources:cite-endnote", kwargs={**kwargs, "ext": ext}))
        return menu_context(citing.for_endnote(note), downloads, "Cite this endnote", f"cite-note-{note.number}")
    request = context.get("request")
    url = obj.get_absolute_url()
    cset = citing.cite_record(obj, url=request.build_absolute_uri(url) if request else url)
    downloads = [
        {**d, "url": citing.record_download_url(obj, citing.EXTENSIONS[d["ext"]])} for d in download_links(str)
    ]
    return menu_context(cset, downloads, "Cite this record", f"cite-record-{obj.slug}")
