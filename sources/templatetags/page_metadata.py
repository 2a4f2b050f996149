"""``{% source_metadata source %}``, ``{% endnote_metadata note %}``, ``{% record_metadata record %}``.

Render a page's citation metadata (``sources.page_metadata``) as meta tags and a JSON-LD
data block, for the ``meta`` block of ``base.html`` (one include per kind in ``templates/meta/``).
"""

from __future__ import annotations

from django import template

from sources import page_metadata

register = template.Library()


def _context(metadata: page_metadata.PageMetadata) -> dict:
    return {"tags": metadata.tags, "json_ld": metadata.json_ld_script()}


def _page_url(context, obj) -> str:
    return context["request"].build_absolute_uri(obj.get_absolute_url())


@register.inclusion_tag("meta/_tags.html", takes_context=True)
def source_metadata(context, source):
    return _context(page_metadata.for_source(source, page_url=_page_url(context, source)))


@register.inclusion_tag("meta/_tags.html", takes_context=True)
def endnote_metadata(context, note):
    return _context(page_metadata.for_endnote(note, page_url=_page_url(context, note)))


@register.inclusion_tag("meta/_tags.html", takes_context=True)
def record_metadata(context, record):
    request = context["request"]
    metadata = page_metadata.for_record(
        record, page_url=_page_url(context, record), home_url=request.build_absolute_uri("/")
    )
    return _context(metadata)
