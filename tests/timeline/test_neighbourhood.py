"""A record page's neighbours, found with a few small queries, are exactly those of the
whole timeline: previous/next in timeline order and the first records of the same
period, actor and system, checked for every dated record of the report; with the group
lists cached (each record then drops itself from its group's shared list) and without."""

import pytest

from periods.models import Actor, Analysis, Event, Figure
from systems.models import System
from timeline import selectors
from timeline.entries import entry_for
from timeline.filters import TimelineQuery
from timeline.neighbourhood import neighbourhood
from transfers.models import Project, Transfer

pytestmark = pytest.mark.django_db

LIMIT = 12


@pytest.fixture(params=["computed", "cached"])
def group_lists(request):
    """Each test twice: every list computed, and group lists kept per data version (the
    first record of a period fills the cache, the next ones read it)."""
    if request.param == "cached":
        request.getfixturevalue("fragment_cache")
    return request.param


def _keys(entries):
    """(type, id) of timeline entries, or of a group list's items."""
    return [(e.kind, e.pk if hasattr(e, "pk") else e.record.pk) for e in entries]


@pytest.fixture(scope="module")
def whole_timeline(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return [entry_for(r) for r in selectors.timeline(TimelineQuery(undated=True))]


def _listed(entry) -> list:
    return [entry] if entry is not None else []


def _records():
    yield from Event.objects.all()
    yield from Transfer.objects.all()
    yield from Project.objects.all()
    yield from Figure.objects.all()
    yield from Analysis.objects.all()


def test_previous_next_and_same_period_match_the_whole_timeline(whole_timeline, group_lists):
    dated = [e for e in whole_timeline if e.date_start is not None]
    checked = 0
    for record in _records():
        me = (type(record).__name__.lower(), record.pk)
        around = neighbourhood(record, limit=LIMIT)
        if record.date_start is not None:
            i = next(i for i, e in enumerate(dated) if (e.kind, e.record.pk) == me)
            expected_previous = dated[i - 1] if i > 0 else None
            expected_next = dated[i + 1] if i + 1 < len(dated) else None
            assert _keys(_listed(around.previous)) == _keys(_listed(expected_previous)), record
            assert _keys(_listed(around.next)) == _keys(_listed(expected_next)), record
        else:
            assert around.previous is None
            assert around.next is None
        same_period = [e for e in whole_timeline if e.period_id == record.period_id and (e.kind, e.record.pk) != me]
        if record.period_id is None:  # no period, no "same period" list
            same_period = []
        assert _keys(around.same_period) == _keys(same_period[:LIMIT]), record
        checked += 1
    models = (Event, Transfer, Project, Figure, Analysis)
    assert checked == sum(m.objects.count() for m in models)


def test_same_actor_and_same_system_match_the_whole_timeline(whole_timeline, group_lists):
    rostec = Actor.objects.get(slug="rostec")
    record = Transfer.objects.get(slug="s-400-2015")
    s400 = System.objects.get(slug="s-400")
    actors = [rostec, Actor.objects.get(slug="russia")]
    if group_lists == "cached":
        # Another S-400 record fills the cache with lists that hold this one, which the
        # record's own page must then drop.
        other = Event.objects.get(slug="caatsa-sanctions-2018-09")
        filled = neighbourhood(other, actors=actors, systems=[s400])
        assert ("transfer", record.pk) in _keys(filled.same_system)
    around = neighbourhood(record, actors=actors, systems=[s400])

    def names_rostec(entry) -> bool:
        r = entry.record
        if entry.kind == "event":
            return r.actors.filter(pk=rostec.pk).exists()
        if entry.kind == "project":
            return r.partners.filter(pk=rostec.pk).exists()
        if entry.kind == "figure":
            return False  # figures name no actors
        if entry.kind == "analysis":
            return r.made_by_id == rostec.pk or r.actors.filter(pk=rostec.pk).exists()
        return rostec.pk in (r.supplier_id, r.recipient_id)

    others = [e for e in whole_timeline if (e.kind, e.record.pk) != ("transfer", record.pk)]
    assert _keys(around.same_actor) == _keys([e for e in others if names_rostec(e)][:LIMIT])
    # The curated links, not a text match: the sanctions and the training course too.
    system = [e for e in others if hasattr(e.record, "systems") and e.record.systems.filter(pk=s400.pk).exists()]
    assert "caatsa-sanctions-2018-09" in {e.record.slug for e in system}
    assert _keys(around.same_system) == _keys(system[:LIMIT])
