"""Write a parsed endnote list: endnotes of one document and the works they cite.

All-or-nothing (one transaction) and idempotent: a note whose text, URLs, Ibid. target
and works are already as parsed is left alone, so importing the same file twice changes
nothing. Works are matched to existing sources by URL, then by authors and title; a
matched source is never modified (curated sources are authoritative), and only works
no source matches are created. Curated remarks on existing notes are kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.text import slugify

from .importer import WorkDraft, author_keys, normalize_title, parse_endnotes
from .models import Document, Endnote, EndnoteWork, Source


@dataclass
class ImportReport:
    notes_created: int = 0
    notes_updated: int = 0
    notes_unchanged: int = 0
    sources_created: list[str] = field(default_factory=list)
    sources_matched: int = 0
    unresolved: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.notes_created or self.notes_updated or self.sources_created)


class _SourceIndex:
    """Existing sources, findable by URL or by (authors, title)."""

    def __init__(self) -> None:
        self.by_url: dict[str, Source] = {}
        self.by_identity: dict[tuple, Source] = {}
        self.slugs: set[str] = set()
        for source in Source.objects.all():
            self.add(source)

    def add(self, source: Source) -> None:
        if source.url:
            self.by_url.setdefault(source.url, source)
        self.by_identity.setdefault((author_keys(source.authors), normalize_title(source.title)), source)
        self.slugs.add(source.slug)

    def find(self, draft: WorkDraft) -> Source | None:
        return (draft.url and self.by_url.get(draft.url)) or self.by_identity.get(draft.identity)

    def new_slug(self, draft: WorkDraft) -> str:
        names = "-".join(slugify(k) for k in draft.author_keys[:3] if k) or "anon"
        year = draft.date_edtf[:4]
        base = "-".join(filter(None, [names[:60], year])) or "work"
        candidates = [base, f"{base}-{slugify(draft.title)[:40].rstrip('-')}"]
        for slug in candidates:
            if slug not in self.slugs:
                return slug
        counter = 2
        while f"{candidates[-1]}-{counter}" in self.slugs:
            counter += 1
        return f"{candidates[-1]}-{counter}"


@transaction.atomic
def import_endnotes(*, document: Document, text: str) -> ImportReport:
    """Parse ``text`` (raises ``EndnoteImportError`` before writing anything) and write it."""
    parsed = parse_endnotes(text)
    report = ImportReport(unresolved=parsed.unresolved, warnings=parsed.warnings)
    index = _SourceIndex()
    sources: dict[int, Source] = {}
    for draft in parsed.works:
        source = index.find(draft)
        if source is None:
            source = Source.objects.create(
                slug=index.new_slug(draft),
                kind=draft.kind,
                authors=draft.authors,
                editors=draft.editors,
                title=draft.title,
                container_title=draft.container_title,
                collection_title=draft.collection_title,
                publisher=draft.publisher,
                publisher_place=draft.publisher_place,
                date_edtf=draft.date_edtf,
                url=draft.url,
                remarks="Known only from a short form; the report never gives its full citation." if draft.stub else "",
            )
            index.add(source)
            report.sources_created.append(source.slug)
        else:
            report.sources_matched += 1
        sources[id(draft)] = source

    existing = {n.number: n for n in Endnote.objects.filter(document=document).prefetch_related("works")}
    written: dict[int, Endnote] = {}
    for note in parsed.notes:
        ibid_of = written.get(note.ibid_of) if note.ibid_of else None
        works = [(sources[id(w.draft)].pk, position, w.pinpoint, w.form) for position, w in enumerate(note.works, 1)]
        endnote = existing.get(note.number)
        if endnote is None:
            endnote = Endnote.objects.create(
                document=document,
                number=note.number,
                text=note.text,
                urls=note.urls,
                ibid_of=ibid_of,
                remarks=" ".join(note.remarks),
            )
            _write_works(endnote, works)
            report.notes_created += 1
        elif _same(endnote, note.text, note.urls, ibid_of, works):
            report.notes_unchanged += 1
        else:
            endnote.text, endnote.urls, endnote.ibid_of = note.text, note.urls, ibid_of
            endnote.save()
            endnote.works.all().delete()
            _write_works(endnote, works)
            report.notes_updated += 1
        written[note.number] = endnote
    return report


def _same(endnote: Endnote, text: str, urls: list[str], ibid_of: Endnote | None, works: list[tuple]) -> bool:
    stored = sorted((w.source_id, w.position, w.pinpoint, w.form) for w in endnote.works.all())
    return (
        endnote.text == text
        and endnote.urls == urls
        and endnote.ibid_of_id == (ibid_of.pk if ibid_of else None)
        and stored == sorted(works)
    )


def _write_works(endnote: Endnote, works: list[tuple]) -> None:
    # One create() per row (not bulk_create) so the content-change hook sees every write.
    for source_id, position, pinpoint, form in works:
        EndnoteWork.objects.create(
            endnote=endnote, source_id=source_id, position=position, pinpoint=pinpoint, form=form
        )
