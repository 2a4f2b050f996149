"""``{% cite_menu object %}``: a "Cite" menu for a source, an endnote, a document or a cited record.

Shows the Chicago note and bibliography forms as text (copy buttons are added by
``static/js/cite.js``; without JavaScript the text can still be selected) and links to
download BibTeX, RIS, CSL-JSON, plain text and HTML. For a record ("cite this record")
the first citation is the knowledge-base entry itself, then the endnotes it rests on.
``{% cite_selection_menu query %}`` (``timeline_citing``) does the same for the endnotes
of a timeline selection.
"""

from __future__ import annotations

from django import template
from django.urls import reverse

from sources import citing
from sources.cite_menu import download_links, menu_context, record_downloads, record_page_url
from sources.cited_record import record_type_of
from sources.models import Document, Endnote, Source
from sources.selectors import citable_endnotes

register = template.Library()


@register.filter
def citable_record(obj) -> bool:
    """Whether "cite this record" knows the record's type (``/cite/<type>/<slug>.<ext>``)."""
    return record_type_of(obj) is not None


@register.inclusion_tag("sources/_cite_menu.html")
def cite_menu(obj):
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
    # A record's Chicago notes are formatted on their own page, loaded when the menu is
    # opened (static/js/cite.js) and linked for readers without scripts: formatting them
    # (citeproc-py, milliseconds per note) was half of every record page's time.
    return {
        "heading": "Cite this record",
        "blocks_page": record_page_url(obj),
        "downloads": record_downloads(obj),
        "prefix": f"cite-record-{obj.slug}",
    }
