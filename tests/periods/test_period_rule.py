"""One rule places every record in a period (dataset/data/README.md, "Periods").

A record belongs to the era of the report section that tells it: the section holding
the marker of its first endnote. A record told outside the three era sections (the
introduction, LOOKING FORWARD, U.S. POLICY OPTIONS) or uncited belongs to the era its
date starts in (a shared boundary year to the era it opens), and when undated to the
era the report was written in (March 2020).
"""

from __future__ import annotations

import pytest

from periods.models import Analysis, Event, Figure, Period
from tests import report_text
from transfers.models import Project, Transfer

pytestmark = pytest.mark.django_db

REPORT_YEAR = 2020
SECTIONS = [  # (heading as printed, the era it tells, or None)
    ("1992-2006: MASSIVE RUSSIAN ARMS SALES TO PRC", "1992-2006"),
    ("2006-2014: A PAUSE IN MTC AND ITS EVENTUAL RESUMPTION", "2006-2014"),
    ("2014-PRESENT: SIGNIFICANT POST-CRIMEA DEEPENING OF MTC", "2014-present"),
    ("LOOKING FORWARD", None),
    ("U.S. POLICY OPTIONS", None),
]


def section_era(number: int) -> str | None:
    body, era = report_text.body(), None
    where = report_text.marker_positions()[number][0]
    for heading, heading_era in SECTIONS:
        start = body.find(heading)
        assert start >= 0, heading
        if start < where:
            era = heading_era
    return era


def era_of_year(year: int, periods: list[Period]) -> str:
    containing = [p for p in periods if p.start_year <= year and (p.end_year is None or year <= p.end_year)]
    return max(containing, key=lambda p: p.start_year).slug


def expected_period(record, periods: list[Period]) -> str:
    citations = sorted(record.citations.all(), key=lambda c: (c.position, c.endnote.number))
    era = section_era(citations[0].endnote.number) if citations else None
    if era:
        return era
    year = record.date_start.year if record.date_start else REPORT_YEAR
    return era_of_year(year, periods)


def test_every_record_is_in_the_period_the_one_rule_gives():
    periods = list(Period.objects.all())
    wrong = {}
    for model in (Event, Transfer, Project, Figure, Analysis):
        for record in model.objects.select_related("period").prefetch_related("citations__endnote"):
            want = expected_period(record, periods)
            got = record.period.slug if record.period_id else None
            if got != want:
                wrong[f"{model._meta.model_name} {record.slug}"] = (got, want)
    assert wrong == {}


def test_the_lada_project_and_its_figures_share_a_period():
    assert Project.objects.get(slug="lada-class-joint-production-2013").period.slug == "2014-present"
    assert Figure.objects.get(slug="lada-submarines-joint-production-2013").period.slug == "2014-present"
