"""The admin for periods, actors, events, figures and policy options (see tests/admin_contract.py)."""

import pytest

from periods.models import Actor, Event, Figure, Period, PolicyOption
from tests.admin_contract import AdminContract, Spec
from tests.factories import ActorFactory, EventFactory, FigureFactory, PeriodFactory, PolicyOptionFactory

pytestmark = pytest.mark.django_db


def _period_pk() -> str:
    return str(Period.objects.get(slug="2014-present").pk)


SPECS = [
    Spec(
        Period,
        PeriodFactory,
        lambda: {"name": "Test era", "heading": "TEST ERA", "slug": "test-era", "start_year": "2020", "summary": "x"},
        "name",
        "Renamed era",
    ),
    Spec(Actor, ActorFactory, lambda: {"name": "Uralvagonzavod", "slug": "uvz", "kind": "organisation"}, "name", "UVZ"),
    Spec(
        Event,
        EventFactory,
        lambda: {
            "title": "A test agreement",
            "slug": "a-test-agreement",
            "kind": "agreement",
            "period": _period_pk(),
            "date_text": "2021",
            "date_edtf": "2021",
        },
        "title",
        "A renamed agreement",
    ),
    Spec(
        Figure,
        FigureFactory,
        lambda: {"statement": "5 percent of a test", "slug": "five-percent", "unit": "percent", "value": "5"},
        "statement",
        "6 percent of a test",
    ),
    Spec(
        PolicyOption,
        PolicyOptionFactory,
        lambda: {"title": "Watch closely", "slug": "watch-closely", "order": "9", "summary": "Watch."},
        "title",
        "Watch very closely",
    ),
]


@pytest.mark.parametrize("spec", SPECS, ids=str)
class TestTimelineAdmin(AdminContract):
    pass
