"""Citation metadata in pages, for reference managers: Highwire, Dublin Core, schema.org.

Zotero's connector (and Mendeley's, and Google Scholar) read a page's Highwire Press
``citation_*`` meta tags first, then Dublin Core ``DC.*`` tags and schema.org JSON-LD.
Everything here is derived from the page's CSL-JSON item (``sources.csl``), the same one
every citation format starts from, so a page saved with the connector and a BibTeX
download of it agree.

- A **source** page describes the work itself (its authors, date, container, its own URL).
- An **endnote** page describes the note as part of the report that prints it.
- A **record** page describes the knowledge-base entry as a page of this site, dated by
  the date the record states (what identifies it: "S-400 (Russia → China), 2015").

The JSON-LD goes in a ``<script type="application/ld+json">`` data block. The
Content-Security-Policy (``script-src 'self'``) does not apply to it: browsers never
execute a data block, so no nonce or hash is needed (the browser tests check that the
page loads without a CSP violation).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from . import csl
from .models import Endnote, Source

SCHEMA_TYPES = {
    "report": "Report",
    "book": "Book",
    "chapter": "Chapter",
    "article-journal": "ScholarlyArticle",
    "article-newspaper": "NewsArticle",
    "article-magazine": "Article",
    "webpage": "WebPage",
    "dataset": "Dataset",
    "speech": "CreativeWork",
}
# Highwire's field for the container, by CSL type.
CONTAINER_TAGS = {
    "article-journal": "citation_journal_title",
    "article-newspaper": "citation_journal_title",
    "article-magazine": "citation_journal_title",
    "chapter": "citation_inbook_title",
    "webpage": "citation_journal_title",
    "speech": "citation_conference_title",
}
_JSON_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


@dataclass
class PageMetadata:
    """Meta tags (name, content), in order, and one JSON-LD document."""

    tags: list[tuple[str, str]] = field(default_factory=list)
    json_ld: dict[str, Any] = field(default_factory=dict)

    def json_ld_script(self) -> SafeString:
        """The JSON-LD, safe inside a ``<script>`` data block (``<``, ``>``, ``&`` escaped as in ``json_script``)."""
        text = json.dumps(self.json_ld, ensure_ascii=False, indent=1).translate(_JSON_ESCAPES)
        return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308 - escaped above


def _name(name: dict[str, str]) -> str:
    return name.get("literal") or ", ".join(filter(None, [name.get("family"), name.get("given")]))


def _person(name: dict[str, str]) -> dict[str, str]:
    if name.get("literal"):
        return {"@type": "Organization", "name": name["literal"]}
    return {
        "@type": "Person",
        "name": " ".join(filter(None, [name.get("given"), name.get("family")])),
        **({"familyName": name["family"]} if name.get("family") else {}),
        **({"givenName": name["given"]} if name.get("given") else {}),
    }


def _iso(date: dict[str, Any] | None) -> str:
    """ISO 8601 form of a CSL date's first part: 2019, 2019-10, 2019-10-04."""
    if not date or "date-parts" not in date:
        return ""
    return "-".join(f"{p:02d}" if i else f"{p:04d}" for i, p in enumerate(date["date-parts"][0]))


def from_csl(
    item: dict[str, Any], *, page_url: str, url: str = "", is_part_of: dict[str, Any] | None = None
) -> PageMetadata:
    """Metadata for a page about one CSL item; ``url`` is the work's own address (default: the page)."""
    url = url or item.get("URL") or page_url
    date = _iso(item.get("issued"))
    kind = item.get("type", "webpage")
    container = item.get("container-title", "")
    publisher = item.get("publisher", "")
    authors = item.get("author", [])

    tags: list[tuple[str, str]] = [("citation_title", item["title"])]
    tags += [("citation_author", _name(n)) for n in authors]
    if date:
        tags.append(("citation_publication_date", date.replace("-", "/")))
        tags.append(("citation_date", date.replace("-", "/")))
    if container and kind in CONTAINER_TAGS:
        tags.append((CONTAINER_TAGS[kind], container))
    if publisher:
        tag = "citation_technical_report_institution" if kind == "report" else "citation_publisher"
        tags.append((tag, publisher))
    tags.append(("citation_public_url", url))
    tags.append(("DC.title", item["title"]))
    tags += [("DC.creator", _name(n)) for n in authors]
    if date:
        tags.append(("DC.date", date))
    if publisher or container:
        tags.append(("DC.publisher", publisher or container))
    tags.append(("DC.type", "Dataset" if kind == "dataset" else "Text"))
    tags.append(("DC.identifier", url))

    ld: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": SCHEMA_TYPES.get(kind, "CreativeWork"),
        "@id": page_url,
        "name": item["title"],
        "url": url,
    }
    if url != page_url:
        ld["mainEntityOfPage"] = page_url
    if authors:
        ld["author"] = [_person(n) for n in authors]
    if date:
        ld["datePublished"] = date
    if publisher:
        ld["publisher"] = {"@type": "Organization", "name": publisher}
    if container:
        ld["isPartOf"] = {"@type": "CreativeWork", "name": container}
    if is_part_of:
        ld["isPartOf"] = is_part_of
    return PageMetadata(tags, ld)


def site_dataset_ref(home_url: str) -> dict[str, str]:
    return {"@type": "Dataset", "name": csl.SITE_NAME, "url": home_url}


def for_source(source: Source, *, page_url: str) -> PageMetadata:
    """A source page: the work itself, at its own URL when it has one."""
    return from_csl(csl.source_to_csl(source), page_url=page_url)


def for_endnote(note: Endnote, *, page_url: str) -> PageMetadata:
    """An endnote page: note N of the report, dated and authored as the report is."""
    document = note.document
    full_title = f"{document.title}: {document.subtitle}" if document.subtitle else document.title
    item = {
        "id": f"{document.slug}-note-{note.number}",
        "type": "webpage",
        "title": f"{full_title}, note {note.number}",
        "author": csl.csl_names(document.authors),
        "container-title": full_title,
        "publisher": document.publisher,
    }
    issued = csl.edtf_to_csl_date(document.date_edtf)
    if issued:
        item["issued"] = issued
    metadata = from_csl(item, page_url=page_url, url=page_url)
    metadata.json_ld["text"] = note.text
    metadata.json_ld["isPartOf"] = {
        "@type": "Report",
        "name": full_title,
        **({"url": document.url} if document.url else {}),
    }
    return metadata


def for_record(record, *, page_url: str, home_url: str) -> PageMetadata:
    """A knowledge-base entry: titled as cited, dated by the date it states, part of the site's dataset."""
    item: dict[str, Any] = {"id": csl.record_csl_id(record), "type": "webpage", "title": csl.record_title(record)}
    item["container-title"] = csl.SITE_NAME
    issued = csl.edtf_to_csl_date(getattr(record, "date_edtf", "") or "")
    if issued and "date-parts" in issued:
        item["issued"] = issued
    metadata = from_csl(item, page_url=page_url, url=page_url, is_part_of=site_dataset_ref(home_url))
    if getattr(record, "date_edtf", ""):
        metadata.json_ld["temporalCoverage"] = record.date_edtf  # EDTF, as schema.org suggests for fuzzy dates
    return metadata
