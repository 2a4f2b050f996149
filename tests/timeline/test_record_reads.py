"""A record page's own reads, by prepared statements (``record_by_slug``, ``citations_of``):
for every record of the report, the same record, joined objects, prefetched lists and
citations as the ORM's ``with_joins()`` and ``select_related`` give, with no query left
for the page to make when it reads them."""

import pytest

from ground.plan_cache import PREPARE_AFTER
from ground.statements import read_joined
from periods.models import Actor, Analysis, Event, Figure
from sources.models import Citation
from sources.selectors import citations_of
from timeline.selectors import record_by_slug, record_systems
from transfers.models import Project, Transfer

pytestmark = pytest.mark.django_db

MODELS = [Event, Transfer, Project, Figure, Analysis, Actor]


def _columns(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def _joined(obj, joined) -> dict:
    """The record's columns, and those of each object ``joined`` names (None where absent)."""
    found = {"": _columns(obj)}
    for name in joined:
        related = getattr(obj, name)
        found[name] = None if related is None else _columns(related)
    return found


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_a_record_is_the_orms_record_with_its_joins(model, django_assert_num_queries):
    joined_query = model.objects.with_joins()
    joined = list(joined_query.query.select_related or {})
    prefetched = [getattr(p, "prefetch_to", p) for p in joined_query._prefetch_related_lookups]
    slugs = list(model.objects.values_list("slug", flat=True))
    assert slugs
    for slug in slugs:
        expected = joined_query.get(slug=slug)
        record = record_by_slug(model, slug)
        with django_assert_num_queries(0):  # joined and prefetched: the page reads no more
            assert _joined(record, joined) == _joined(expected, joined), slug
            for name in prefetched:
                assert [_columns(a) for a in getattr(record, name).all()] == [
                    _columns(a) for a in getattr(expected, name).all()
                ], (slug, name)


def test_a_missing_slug_is_none():
    assert record_by_slug(Transfer, "no-such-transfer") is None


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_citations_are_the_orms_in_the_records_order(model, django_assert_num_queries):
    records = list(model.objects.all())
    cited = 0
    for record in records:
        expected = list(
            Citation.objects.filter(
                content_type__app_label=record._meta.app_label,
                content_type__model=record._meta.model_name,
                object_id=record.pk,
            )
            .select_related("endnote__document")
            .order_by("position", "endnote__number")
        )
        found = citations_of(record)
        with django_assert_num_queries(0):
            assert [_joined(c, ["endnote"]) for c in found] == [_joined(c, ["endnote"]) for c in expected]
            assert [_columns(c.endnote.document) for c in found] == [_columns(c.endnote.document) for c in expected]
        cited += bool(found)
    assert cited or model is Actor  # the report's records cite endnotes


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_a_timeline_pages_rows_are_the_orms_rows_with_their_joins(model, django_assert_num_queries):
    """``read_joined``: the rows of a filtered, ordered, sliced ``select_related`` queryset
    (a timeline page's), in order, with the joined objects cached as the ORM caches them."""
    queryset = model.objects.with_joins().prefetch_related(None).chronological()
    joined = list(queryset.query.select_related)
    narrowed = queryset.exclude(slug__startswith="s")
    for rows, queries in ((queryset, 1), (queryset[2:7], 1), (narrowed, 1), (queryset.none(), 0)):
        expected = list(rows)
        with django_assert_num_queries(queries):
            read = read_joined(rows)
        with django_assert_num_queries(0):
            assert [_joined(r, joined) for r in read] == [_joined(e, joined) for e in expected]
            assert [r._state.adding for r in read] == [False] * len(expected)
    assert len(list(queryset)) > 3  # the slice above is a real one


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_a_records_systems_are_the_orms_in_their_order(model, django_assert_num_queries):
    links = any(f.name == "systems" for f in model._meta.many_to_many)
    listed = 0
    records = list(model.objects.all())
    for _ in range(PREPARE_AFTER):  # PostgreSQL: the statement is prepared on a connection's second run
        record_systems(records[0])
    for record in records:
        with django_assert_num_queries(1 if links else 0):
            systems = record_systems(record)
        expected = list(record.systems.all()) if links else []
        assert [_columns(s) for s in systems] == [_columns(s) for s in expected], record.slug
        listed += len(systems)
    assert listed > 0 or not links  # the report links systems to its transfers, projects and events
