"""The whole knowledge base as a Frictionless Data Package: one CSV per table, described.

A Data Package (https://datapackage.org) is a folder with ``datapackage.json`` and the
data files it describes; every CSV has a Table Schema (column types, constraints,
primary and foreign keys), so ``frictionless validate``, pandas, R or a spreadsheet read
it with types and relations intact, without this application.

Keys are the ones people see: slugs (``s-400-2015``), and for an endnote its document
and number joined as in its URL (``csis-mtc-primer-2020/31``). Column types come from
the model fields (``_field_descriptor``), so a new field is exported and described
without a change here. What a schema cannot say: a citation's ``record`` is the slug of
a record in the table its ``record_type`` names (a polymorphic key), so only its
``endnote`` is a declared foreign key.
"""

from __future__ import annotations

import csv
import datetime
import json
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction

from aggregates.statistics import current_statistics
from aggregates.tidy import tidy_rows
from ground.models import DataVersion
from periods.models import Actor, Analysis, Event, Figure, Period, PolicyOption
from sources.cited_record import record_type_of
from sources.models import Citation, Document, Endnote, EndnoteWork, Source
from systems.models import System, SystemName
from transfers.models import Project, Transfer

NAME = "mtc-timeline"
TITLE = "MTC Timeline: Sino-Russian military-technical cooperation since 1992"
DESCRIPTION = (
    "A cited knowledge base of Sino-Russian military-technical cooperation (arms transfers, joint "
    "projects, agreements, the report's figures and analysis), curated from the CSIS primer "
    "'Sino-Russian Military-Technical Cooperation: A Primer' (Alec Blivas, March 2020). Every record "
    "cites the report's endnotes (table citations); the endnotes and the works they cite are included."
)
# The curated data (facts, figures, citations), not the report's prose, which stays CSIS's.
LICENSE = {
    "name": "ODC-By-1.0",
    "title": "Open Data Commons Attribution License v1.0",
    "path": "https://opendatacommons.org/licenses/by/1-0/",
}
REPORT_SOURCE = {
    "title": "Alec Blivas, Sino-Russian Military-Technical Cooperation: A Primer (Center for Strategic and "
    "International Studies, March 2020)",
    "path": "https://www.csis.org/analysis/sino-russian-military-technical-cooperation-primer",
}
ZIP_NAME = f"{NAME}.zip"


@dataclass(frozen=True)
class Column:
    name: str
    value: Callable[[Any], Any]
    descriptor: dict[str, Any]


@dataclass(frozen=True)
class ForeignKey:
    column: str
    table: str  # "" for the table itself
    target: str


@dataclass
class Table:
    name: str
    description: str
    rows: Callable[[], Iterable[Any]]
    columns: list[Column]
    primary_key: list[str]
    foreign_keys: list[ForeignKey] = field(default_factory=list)

    def schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "fields": [{"name": c.name, **c.descriptor} for c in self.columns],
            "primaryKey": self.primary_key,
            "missingValues": [""],
        }
        if self.foreign_keys:
            schema["foreignKeys"] = [
                {"fields": fk.column, "reference": {"resource": fk.table, "fields": fk.target}}
                for fk in self.foreign_keys
            ]
        return schema


# --- columns from model fields -------------------------------------------------------


# Model field class -> Table Schema type, most specific first.
FIELD_TYPES: list[tuple[type[models.Field], str]] = [
    (models.BooleanField, "boolean"),
    (models.DecimalField, "number"),
    (models.IntegerField, "integer"),
    (models.DateTimeField, "datetime"),
    (models.DateField, "date"),
    (models.JSONField, "array"),
]
POSITIVE_FIELDS = (models.PositiveIntegerField, models.PositiveSmallIntegerField, models.PositiveBigIntegerField)


def _type_of(field_: models.Field) -> str:
    if isinstance(field_, models.DecimalField) and field_.decimal_places == 0:
        return "integer"  # whole US dollars
    return next((kind for cls, kind in FIELD_TYPES if isinstance(field_, cls)), "string")


def _field_descriptor(field_: models.Field) -> dict[str, Any]:
    """Table Schema type and constraints of a model field, as the database enforces them."""
    kind = _type_of(field_)
    constraints: dict[str, Any] = {}
    if isinstance(field_, POSITIVE_FIELDS):
        constraints["minimum"] = 0
    if kind == "string" and field_.max_length:
        constraints["maxLength"] = field_.max_length
    if kind == "string" and field_.choices:
        constraints["enum"] = [value for value, _ in field_.flatchoices if value != ""]
    if not field_.null and not field_.blank and kind != "boolean":
        constraints["required"] = True
    descriptor: dict[str, Any] = {"type": kind}
    if isinstance(field_, models.URLField):
        descriptor["format"] = "uri"
    if field_.help_text:
        descriptor["description"] = str(field_.help_text)
    if constraints:
        descriptor["constraints"] = constraints
    return descriptor


def model_columns(model: type[models.Model], *, exclude: Iterable[str] = ()) -> list[Column]:
    """One column per concrete field; a foreign key holds the target's slug."""
    columns = []
    skipped = {"id", *exclude}
    for field_ in model._meta.concrete_fields:
        if field_.name in skipped:
            continue
        if field_.is_relation:
            related = field_.name

            def value(obj, related=related):
                target = getattr(obj, related)
                return target.slug if target is not None else None

            descriptor: dict[str, Any] = {"type": "string"}
            if not field_.null:
                descriptor["constraints"] = {"required": True}
            columns.append(Column(field_.name, value, descriptor))
            continue
        columns.append(
            Column(field_.name, lambda obj, name=field_.attname: getattr(obj, name), _field_descriptor(field_))
        )
    return columns


def link_table(name: str, description: str, relation, left_table: str, right_table: str) -> Table:
    """A many-to-many relation as a table of (left slug, right slug) pairs, keyed by both."""
    through = relation.through
    left, right = (f.name for f in through._meta.fields if f.is_relation)
    return Table(
        name,
        description,
        lambda: through.objects.select_related(left, right).order_by(f"{left}__slug", f"{right}__slug"),
        model_columns(through),
        [left, right],
        [ForeignKey(left, left_table, "slug"), ForeignKey(right, right_table, "slug")],
    )


def endnote_id(note: Endnote) -> str:
    return f"{note.document.slug}/{note.number}"


# --- the tables --------------------------------------------------------------------


def tables() -> list[Table]:
    """Every table of the package, parents before children."""
    statistics = current_statistics().as_dict().get("statistics") or {}
    endnote_column = Column(
        "endnote", lambda obj: endnote_id(obj.endnote), {"type": "string", "constraints": {"required": True}}
    )
    return [
        Table(
            "documents",
            "The reports whose endnotes the knowledge base keeps.",
            lambda: Document.objects.order_by("slug"),
            model_columns(Document),
            ["slug"],
        ),
        Table(
            "sources",
            "The deduplicated works the endnotes cite (CSL-like fields; names as CSL-JSON name lists).",
            lambda: Source.objects.order_by("slug"),
            model_columns(Source),
            ["slug"],
        ),
        Table(
            "endnotes",
            "Each endnote exactly as printed; id is document/number; ibid_of the note an 'Ibid.' repeats.",
            lambda: Endnote.objects.select_related("document", "ibid_of__document").order_by(
                "document__slug", "number"
            ),
            [
                Column("id", endnote_id, {"type": "string", "constraints": {"required": True, "unique": True}}),
                *model_columns(Endnote, exclude=["ibid_of"]),
                Column(
                    "ibid_of",
                    lambda obj: endnote_id(obj.ibid_of) if obj.ibid_of_id else None,
                    {"type": "string", "description": "The endnote an 'Ibid.' repeats (id)."},
                ),
            ],
            ["id"],
            [ForeignKey("document", "documents", "slug"), ForeignKey("ibid_of", "", "id")],
        ),
        Table(
            "endnote_works",
            "The works each endnote cites, in printed order, with the pages it gives.",
            lambda: EndnoteWork.objects.select_related("endnote__document", "source").order_by(
                "endnote__document__slug", "endnote__number", "position"
            ),
            [endnote_column, *model_columns(EndnoteWork, exclude=["endnote"])],
            ["endnote", "position"],
            [ForeignKey("endnote", "endnotes", "id"), ForeignKey("source", "sources", "slug")],
        ),
        Table(
            "periods",
            "The report's three eras; an open period has no end year.",
            lambda: Period.objects.order_by("order", "start_year"),
            model_columns(Period),
            ["slug"],
        ),
        Table(
            "actors",
            "States, organisations and people the records name; country is the state an organisation belongs to.",
            lambda: Actor.objects.select_related("country").order_by("slug"),
            model_columns(Actor),
            ["slug"],
            [ForeignKey("country", "", "slug")],
        ),
        Table(
            "systems",
            "The weapon systems, platforms and engines the records concern.",
            lambda: System.objects.order_by("slug"),
            model_columns(System),
            ["slug"],
        ),
        Table(
            "system_names",
            "Every name a system goes by; from_report says the report prints it, origin where any other comes from.",
            lambda: SystemName.objects.select_related("system").order_by("system__slug", "name"),
            model_columns(SystemName),
            ["system", "name"],
            [ForeignKey("system", "systems", "slug")],
        ),
        Table(
            "events",
            "Agreements, meetings, statements, sanctions... with the date as the report words it and EDTF.",
            lambda: Event.objects.select_related("period").order_by("date_start", "slug"),
            model_columns(Event),
            ["slug"],
            [ForeignKey("period", "periods", "slug")],
        ),
        link_table("event_actors", "Which actors each event involves.", Event.actors, "events", "actors"),
        Table(
            "transfers",
            "Arms transfers, one row per deal, both directions; money in whole US dollars, TIVs in millions.",
            lambda: Transfer.objects.select_related("supplier", "recipient", "period").order_by("date_start", "slug"),
            model_columns(Transfer),
            ["slug"],
            [
                ForeignKey("supplier", "actors", "slug"),
                ForeignKey("recipient", "actors", "slug"),
                ForeignKey("period", "periods", "slug"),
            ],
        ),
        Table(
            "projects",
            "Joint research-and-development and co-production projects.",
            lambda: Project.objects.select_related("period").order_by("date_start", "slug"),
            model_columns(Project),
            ["slug"],
            [ForeignKey("period", "periods", "slug")],
        ),
        link_table("project_partners", "The partners of each joint project.", Project.partners, "projects", "actors"),
        Table(
            "figures",
            "The report's own quantitative claims, kept apart from the computed statistics.",
            lambda: Figure.objects.select_related("period").order_by("slug"),
            model_columns(Figure),
            ["slug"],
            [ForeignKey("period", "periods", "slug")],
        ),
        Table(
            "analyses",
            "The report's analysis: assessments, explanations, quoted judgements and aims, in its words; "
            "made_by is who makes the claim (the report or an author it quotes).",
            lambda: Analysis.objects.select_related("period", "made_by").order_by("slug"),
            model_columns(Analysis),
            ["slug"],
            [ForeignKey("period", "periods", "slug"), ForeignKey("made_by", "actors", "slug")],
        ),
        link_table("analysis_actors", "Who each analysis is about.", Analysis.actors, "analyses", "actors"),
        link_table(
            "analysis_authors",
            "Further authors of a claim made by several (for example Bendett and Kania).",
            Analysis.made_by_others,
            "analyses",
            "actors",
        ),
        link_table("event_systems", "The systems each event concerns.", Event.systems, "events", "systems"),
        link_table("transfer_systems", "The systems each transfer concerns.", Transfer.systems, "transfers", "systems"),
        link_table("project_systems", "The systems each project concerns.", Project.systems, "projects", "systems"),
        link_table("figure_systems", "The systems each figure concerns.", Figure.systems, "figures", "systems"),
        Table(
            "policy_options",
            "The report's policy options.",
            lambda: PolicyOption.objects.order_by("order", "slug"),
            model_columns(PolicyOption),
            ["slug"],
        ),
        Table(
            "citations",
            "Which endnote supports which record: record is a slug in the table record_type names "
            "(event, transfer, project, figure, analysis, actor, policy-option).",
            lambda: _citations(),
            [
                Column(
                    "record_type",
                    lambda c: record_type_of(c.record),
                    {"type": "string", "constraints": {"required": True}},
                ),
                Column("record", lambda c: c.record.slug, {"type": "string", "constraints": {"required": True}}),
                endnote_column,
                *model_columns(Citation, exclude=["content_type", "object_id", "endnote"]),
            ],
            ["record_type", "record", "endnote"],
            [ForeignKey("endnote", "endnotes", "id")],
        ),
        Table(
            "statistics",
            "The computed statistics as tidy rows (as /api/statistics/?format=csv).",
            lambda: tidy_rows(statistics),
            [
                Column("scope", lambda r: r[0], {"type": "string", "constraints": {"required": True}}),
                Column("measure", lambda r: r[1], {"type": "string", "constraints": {"required": True}}),
                Column("key", lambda r: r[2], {"type": "string", "constraints": {"required": True}}),
                Column("value", lambda r: r[3], {"type": "number"}),
            ],
            ["scope", "measure", "key"],
        ),
    ]


def _citations() -> Iterator[Citation]:
    citations = Citation.objects.select_related("content_type", "endnote__document").order_by(
        "content_type__model", "object_id", "position", "pk"
    )
    by_type: dict[int, list[Citation]] = {}
    for citation in citations:
        by_type.setdefault(citation.content_type_id, []).append(citation)
    for group in by_type.values():
        model = group[0].content_type.model_class()
        records = model._base_manager.in_bulk([c.object_id for c in group])
        for citation in group:
            record = records.get(citation.object_id)
            if record is not None:  # a dangling citation (its record deleted) has nothing to point at
                citation.record = record
                yield citation


# --- writing -----------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def descriptor(table_list: list[Table], *, version: int) -> dict[str, Any]:
    return {
        "name": NAME,
        "title": TITLE,
        "description": DESCRIPTION,
        "version": f"1.0.{version}",
        "created": datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat(),
        "licenses": [LICENSE],
        "sources": [REPORT_SOURCE],
        "keywords": ["arms transfers", "military-technical cooperation", "Russia", "China", "SIPRI"],
        "resources": [
            {
                "name": table.name,
                "path": f"data/{table.name}.csv",
                "profile": "tabular-data-resource",
                "description": table.description,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": table.schema(),
            }
            for table in table_list
        ],
    }


def export_datapackage(directory: Path) -> Path:
    """Write ``datapackage.json`` and ``data/<table>.csv`` into ``directory``; return the descriptor's path.

    All tables are read in one transaction (REPEATABLE READ on PostgreSQL), so the
    foreign keys between them hold even while others write.
    """
    directory = Path(directory)
    (directory / "data").mkdir(parents=True, exist_ok=True)
    outermost = not connection.in_atomic_block  # a request or test transaction has already read
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        version = DataVersion.current().version
        table_list = tables()
        for table in table_list:
            with (directory / "data" / f"{table.name}.csv").open("w", encoding="utf-8", newline="") as out:
                writer = csv.writer(out, lineterminator="\r\n")
                writer.writerow([c.name for c in table.columns])
                for row in table.rows():
                    writer.writerow([_cell(c.value(row)) for c in table.columns])
    path = directory / "datapackage.json"
    path.write_text(json.dumps(descriptor(table_list, version=version), ensure_ascii=False, indent=2) + "\n")
    return path


def build_zip(target: Path) -> Path:
    """The package zipped into ``target`` (written beside it, then renamed: readers never see half a file)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        export_datapackage(Path(tmp) / NAME)
        fd, partial = tempfile.mkstemp(dir=target.parent, suffix=".partial")
        os.close(fd)
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for path in sorted((Path(tmp) / NAME).rglob("*")):
                if path.is_file():
                    archive.write(path, path.relative_to(tmp))
        Path(partial).replace(target)
    return target


def cached_zip() -> Path:
    """The download, built once per data version and statistics snapshot.

    Kept as ``DATAPACKAGE_DIR``/mtc-timeline-v<data version>-s<statistics' data version>.zip:
    a write makes the next download rebuild it, and so does the statistics rebuild that
    follows the write (until then the package says which version its statistics are of).
    """
    folder = Path(getattr(settings, "DATAPACKAGE_DIR", Path(settings.BASE_DIR) / "build" / "datapackage"))
    version = DataVersion.current().version
    stats_version = current_statistics().data_version or 0
    target = folder / f"{NAME}-v{version}-s{stats_version}.zip"
    if not target.exists():
        build_zip(target)
        for old in folder.glob(f"{NAME}-v*.zip"):
            if old != target:
                old.unlink(missing_ok=True)
    return target
