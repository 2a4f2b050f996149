"""Load the curated report dataset (``dataset/data/report/*.yaml``) into the database.

Idempotent: every row is matched on its natural key (slug, or document + endnote
number), compared field by field, and only created or updated when it differs, so a
second run reports "0 created, N unchanged". One transaction: a bad row leaves the
database as it was, and the error names the file, the record and the field.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction

from periods.models import Actor, Analysis, Event, Figure, Period, PolicyOption
from sources.models import Citation, Document, Endnote, EndnoteWork, Source
from systems.models import System, SystemName
from transfers.models import Project, Transfer

DATA_DIR = Path(__file__).resolve().parent / "data" / "report"
# systems.yaml ``records:`` keys -> the record models that link to systems.
SYSTEM_RECORDS: dict[str, type[models.Model]] = {
    "transfers": Transfer,
    "projects": Project,
    "events": Event,
    "figures": Figure,
}


class DatasetError(Exception):
    """A data file breaks a rule; the message names the file, record and field."""


@dataclass
class LoadSummary:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)

    @property
    def totals(self) -> tuple[int, int, int]:
        return sum(self.created.values()), sum(self.updated.values()), sum(self.unchanged.values())

    def __str__(self) -> str:
        created, updated, unchanged = self.totals
        return f"{created} created, {updated} updated, {unchanged} unchanged"


def read(name: str, directory: Path = DATA_DIR) -> Any:
    path = directory / f"{name}.yaml"
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh) or []


def _date_fields(row: dict) -> dict:
    date = row.get("date") or {}
    return {"date_text": date.get("text") or "", "date_edtf": str(date.get("edtf") or "")}


def _dec(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


class _Loader:
    def __init__(self, directory: Path):
        self.directory = directory
        self.summary = LoadSummary()
        self.periods: dict[str, Period] = {}
        self.actors: dict[str, Actor] = {}
        self.document: Document | None = None
        self.endnotes: dict[int, Endnote] = {}

    # -- generic upsert -------------------------------------------------------------
    def upsert(self, model: type[models.Model], lookup: dict, values: dict, label: str) -> models.Model:
        name = model._meta.verbose_name_plural
        obj = model.objects.filter(**lookup).first()
        creating = obj is None
        if creating:
            obj = model(**lookup)
        changed = creating
        for key, value in values.items():
            field = model._meta.get_field(key)
            if field.is_relation:  # compare ids: reading an unset relation raises
                current, wanted = getattr(obj, field.attname), (value.pk if value is not None else None)
            else:
                current, wanted = getattr(obj, key), value
            if current != wanted:
                setattr(obj, key, value)
                changed = True
        if not changed:
            self.summary.unchanged[name] += 1
            return obj
        try:
            obj.full_clean(validate_unique=True)
        except ValidationError as exc:
            raise DatasetError(f"{label}: {exc.message_dict if hasattr(exc, 'message_dict') else exc}") from exc
        obj.save()
        (self.summary.created if creating else self.summary.updated)[name] += 1
        return obj

    def set_m2m(self, obj, attr: str, slugs: list[str], label: str) -> None:
        wanted = {self.actor(slug, label).pk for slug in slugs or []}
        manager = getattr(obj, attr)
        if set(manager.values_list("pk", flat=True)) != wanted:
            manager.set(wanted)

    def actor(self, slug: str, label: str) -> Actor:
        try:
            return self.actors[slug]
        except KeyError:
            raise DatasetError(f"{label}: unknown actor '{slug}'") from None

    def period(self, slug: str | None, label: str) -> Period | None:
        if slug is None:
            return None
        try:
            return self.periods[slug]
        except KeyError:
            raise DatasetError(f"{label}: unknown period '{slug}'") from None

    def set_citations(self, obj, row: dict, label: str) -> None:
        wanted = []
        for position, cite in enumerate(row.get("citations") or [], start=1):
            number = cite["note"]
            if number not in self.endnotes:
                raise DatasetError(f"{label}: cites endnote {number}, which does not exist")
            passage = " ".join(str(cite.get("passage") or "").split())
            wanted.append((self.endnotes[number].pk, str(cite.get("pinpoint") or ""), passage, position))
        if not wanted and not row.get("uncited_reason"):
            raise DatasetError(f"{label}: cites no endnote and gives no uncited_reason")
        ctype = ContentType.objects.get_for_model(obj)
        existing = Citation.objects.filter(content_type=ctype, object_id=obj.pk)
        if sorted(existing.values_list("endnote_id", "pinpoint", "passage", "position")) != sorted(wanted):
            existing.delete()
            Citation.objects.bulk_create(
                Citation(content_type=ctype, object_id=obj.pk, endnote_id=e, pinpoint=p, passage=text, position=pos)
                for e, p, text, pos in wanted
            )

    # -- files ----------------------------------------------------------------------
    def load_document(self) -> None:
        row = read("document", self.directory)
        self.document = self.upsert(
            Document,
            {"slug": row["slug"]},
            {
                "title": row["title"],
                "subtitle": row.get("subtitle") or "",
                "authors": row.get("authors") or [],
                "publisher": row.get("publisher") or "",
                "date_edtf": str(row.get("date") or ""),
                "url": row.get("url") or "",
            },
            "document.yaml",
        )

    def load_sources(self) -> dict[str, Source]:
        sources = {}
        for row in read("sources", self.directory):
            label = f"sources.yaml {row.get('slug')}"
            sources[row["slug"]] = self.upsert(
                Source,
                {"slug": row["slug"]},
                {
                    "kind": row["kind"],
                    "authors": row.get("authors") or [],
                    "editors": row.get("editors") or [],
                    "title": row["title"],
                    "container_title": row.get("container_title") or "",
                    "collection_title": row.get("collection_title") or "",
                    "publisher": row.get("publisher") or "",
                    "publisher_place": row.get("publisher_place") or "",
                    "date_edtf": str(row.get("date") or ""),
                    "url": row.get("url") or "",
                    "remarks": row.get("remarks") or "",
                },
                label,
            )
        return sources

    def load_endnotes(self, sources: dict[str, Source]) -> None:
        rows = read("endnotes", self.directory)
        numbers = [row["number"] for row in rows]
        expected = list(range(1, len(rows) + 1))
        if numbers != expected:
            missing = sorted(set(expected) - set(numbers))
            raise DatasetError(f"endnotes.yaml: notes must run 1..{len(rows)} in order; missing {missing}")
        for row in rows:
            label = f"endnotes.yaml note {row['number']}"
            ibid = row.get("ibid_of")
            if ibid is not None and (ibid not in self.endnotes or ibid >= row["number"]):
                raise DatasetError(f"{label}: ibid_of {ibid} must be an earlier note")
            note = self.upsert(
                Endnote,
                {"document": self.document, "number": row["number"]},
                {
                    "text": row["text"],
                    "urls": row.get("urls") or [],
                    "ibid_of": self.endnotes.get(ibid) if ibid else None,
                    "remarks": row.get("remarks") or "",
                },
                label,
            )
            self.endnotes[note.number] = note
            wanted = []
            for position, work in enumerate(row.get("works") or [], start=1):
                if work["source"] not in sources:
                    raise DatasetError(f"{label}: unknown source '{work['source']}'")
                wanted.append(
                    (sources[work["source"]].pk, position, str(work.get("pinpoint") or ""), work.get("form", "full"))
                )
            if not wanted:
                raise DatasetError(f"{label}: cites no work")
            existing = sorted(note.works.values_list("source_id", "position", "pinpoint", "form"))
            if existing != sorted(wanted):
                note.works.all().delete()
                EndnoteWork.objects.bulk_create(
                    EndnoteWork(endnote=note, source_id=s, position=pos, pinpoint=pin, form=form)
                    for s, pos, pin, form in wanted
                )

    def load_periods(self) -> None:
        for row in read("periods", self.directory):
            self.periods[row["slug"]] = self.upsert(
                Period,
                {"slug": row["slug"]},
                {
                    "name": row["name"],
                    "heading": row["heading"],
                    "start_year": row["start_year"],
                    "end_year": row.get("end_year"),
                    "summary": row["summary"].strip(),
                    "order": row.get("order", 0),
                },
                f"periods.yaml {row['slug']}",
            )

    def load_actors(self) -> None:
        rows = read("actors", self.directory)
        # States first, so organisations and people can point at their country.
        for row in sorted(rows, key=lambda r: r.get("kind") != "state"):
            label = f"actors.yaml {row['slug']}"
            country = self.actor(row["country"], label) if row.get("country") else None
            actor = self.upsert(
                Actor,
                {"slug": row["slug"]},
                {
                    "name": row["name"],
                    "kind": row["kind"],
                    "country": country,
                    "description": row.get("description") or "",
                    "remarks": row.get("remarks") or "",
                    "uncited_reason": row.get("uncited_reason") or "",
                },
                label,
            )
            self.actors[actor.slug] = actor
            if row.get("citations"):
                self.set_citations(actor, row, label)

    def _common(self, row: dict) -> dict:
        return {
            "remarks": (row.get("remarks") or "").strip(),
            "derivation": (row.get("derivation") or "").strip(),
            "uncited_reason": row.get("uncited_reason") or "",
        }

    def load_events(self) -> None:
        for row in read("events", self.directory):
            label = f"events.yaml {row['slug']}"
            event = self.upsert(
                Event,
                {"slug": row["slug"]},
                {
                    "title": row["title"],
                    "kind": row["kind"],
                    "description": (row.get("description") or "").strip(),
                    "period": self.period(row["period"], label),
                    **_date_fields(row),
                    **self._common(row),
                },
                label,
            )
            self.set_m2m(event, "actors", row.get("actors"), label)
            self.set_citations(event, row, label)

    def load_transfers(self) -> None:
        for row in read("transfers", self.directory):
            label = f"transfers.yaml {row['slug']}"
            transfer = self.upsert(
                Transfer,
                {"slug": row["slug"]},
                {
                    "designation": row["designation"],
                    "description": row["description"],
                    "category": row["category"],
                    "supplier": self.actor(row["supplier"], label),
                    "recipient": self.actor(row["recipient"], label),
                    "period": self.period(row["period"], label),
                    "year_ordered": row.get("year_ordered"),
                    "delivery_years": str(row.get("delivery_years") or ""),
                    "number_ordered": row.get("number_ordered"),
                    "number_delivered": row.get("number_delivered"),
                    "quantity_unit": row.get("quantity_unit") or "",
                    "value_usd": _dec(row.get("value_usd")),
                    "value_usd_low": _dec(row.get("value_usd_low")),
                    "value_usd_high": _dec(row.get("value_usd_high")),
                    "value_approximate": bool(row.get("value_approximate")),
                    "status": row["status"],
                    "notes": (row.get("notes") or "").strip(),
                    **_date_fields(row),
                    **self._common(row),
                },
                label,
            )
            self.set_citations(transfer, row, label)

    def load_projects(self) -> None:
        for row in read("projects", self.directory):
            label = f"projects.yaml {row['slug']}"
            project = self.upsert(
                Project,
                {"slug": row["slug"]},
                {
                    "name": row["name"],
                    "description": (row.get("description") or "").strip(),
                    "division_of_labour": (row.get("division_of_labour") or "").strip(),
                    "period": self.period(row["period"], label),
                    "status": row["status"],
                    "value_usd": _dec(row.get("value_usd")),
                    "value_usd_low": _dec(row.get("value_usd_low")),
                    "value_usd_high": _dec(row.get("value_usd_high")),
                    "value_approximate": bool(row.get("value_approximate")),
                    **_date_fields(row),
                    **self._common(row),
                },
                label,
            )
            self.set_m2m(project, "partners", row.get("partners"), label)
            self.set_citations(project, row, label)

    def load_figures(self) -> None:
        for row in read("figures", self.directory):
            label = f"figures.yaml {row['slug']}"
            figure = self.upsert(
                Figure,
                {"slug": row["slug"]},
                {
                    "statement": row["statement"],
                    "value": _dec(row.get("value")),
                    "value_low": _dec(row.get("value_low")),
                    "value_high": _dec(row.get("value_high")),
                    "unit": row["unit"],
                    "qualifier": row.get("qualifier") or "",
                    "scope": row.get("scope") or "",
                    "period": self.period(row.get("period"), label),
                    **_date_fields(row),
                    **self._common(row),
                },
                label,
            )
            self.set_citations(figure, row, label)

    def load_systems(self) -> None:
        """Systems, their names, and which records concern each (after the records exist)."""
        linked: dict[type[models.Model], dict[int, set[int]]] = {m: {} for m in SYSTEM_RECORDS.values()}
        for row in read("systems", self.directory):
            label = f"systems.yaml {row['slug']}"
            system = self.upsert(
                System,
                {"slug": row["slug"]},
                {key: row[key] for key in ("name", "kind", "category", "origin", "description")},
                label,
            )
            wanted_names = []
            for position, name in enumerate(row.get("names") or []):
                values = {
                    "kind": name["kind"],
                    "language": name.get("language") or "",
                    "from_report": bool(name.get("from_report")),
                    "origin": name.get("origin") or "",
                    "position": position,
                }
                self.upsert(
                    SystemName, {"system": system, "name": name["name"]}, values, f"{label} name {name['name']}"
                )
                wanted_names.append(name["name"])
            system.names.exclude(name__in=wanted_names).delete()
            for file, slugs in (row.get("records") or {}).items():
                if file not in SYSTEM_RECORDS:
                    raise DatasetError(f"{label}: records of unknown type '{file}'")
                model = SYSTEM_RECORDS[file]
                found = dict(model.objects.filter(slug__in=slugs).values_list("slug", "pk"))
                missing = sorted(set(slugs) - set(found))
                if missing:
                    raise DatasetError(f"{label}: unknown {file} {', '.join(missing)}")
                for pk in found.values():
                    linked[model].setdefault(pk, set()).add(system.pk)
        for model, wanted in linked.items():
            through = model.systems.through
            current: dict[int, set[int]] = {}
            for record_id, system_id in through.objects.values_list(f"{model._meta.model_name}_id", "system_id"):
                current.setdefault(record_id, set()).add(system_id)
            for record in model.objects.filter(pk__in=set(wanted) | set(current)):
                if current.get(record.pk, set()) != wanted.get(record.pk, set()):
                    record.systems.set(wanted.get(record.pk, set()))

    def load_policy_options(self) -> None:
        for row in read("policy_options", self.directory):
            label = f"policy_options.yaml {row['slug']}"
            option = self.upsert(
                PolicyOption,
                {"slug": row["slug"]},
                {
                    "title": row["title"],
                    "summary": row["summary"].strip(),
                    "order": row.get("order", 0),
                    **self._common(row),
                },
                label,
            )
            self.set_citations(option, row, label)

    def load_analyses(self) -> None:
        for row in read("analyses", self.directory):
            label = f"analyses.yaml {row['slug']}"
            analysis = self.upsert(
                Analysis,
                {"slug": row["slug"]},
                {
                    "title": row["title"],
                    "kind": row["kind"],
                    "claim": " ".join(row["claim"].split()),
                    "made_by": self.actor(row["made_by"], label) if row.get("made_by") else None,
                    "period": self.period(row.get("period"), label),
                    **_date_fields(row),
                    **self._common(row),
                },
                label,
            )
            self.set_m2m(analysis, "made_by_others", row.get("made_by_others"), label)
            self.set_m2m(analysis, "actors", row.get("actors"), label)
            self.set_citations(analysis, row, label)


@transaction.atomic
def load_report(*, directory: Path = DATA_DIR) -> LoadSummary:
    """Load (or refresh) the whole curated report; returns what was created/updated."""
    loader = _Loader(directory)
    loader.load_document()
    loader.load_endnotes(loader.load_sources())
    loader.load_periods()
    loader.load_actors()
    loader.load_events()
    loader.load_transfers()
    loader.load_projects()
    loader.load_figures()
    loader.load_policy_options()
    loader.load_analyses()
    loader.load_systems()
    return loader.summary
