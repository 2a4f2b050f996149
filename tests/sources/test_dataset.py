"""The shipped dataset is the whole report, exactly: integrity and spot checks."""

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType

from periods.models import Actor, Event, Figure, Period, PolicyOption
from sources.models import Citation, Endnote, EndnoteWork, Source
from transfers.models import Project, Transfer

pytestmark = pytest.mark.django_db

CITED_MODELS = [Event, Transfer, Project, Figure, PolicyOption]


def test_endnotes_run_1_to_73_without_gap():
    assert list(Endnote.objects.values_list("number", flat=True)) == list(range(1, 74))


def test_every_ibid_is_resolved_to_the_work_it_repeats():
    ibids = Endnote.objects.filter(text__startswith="*Ibid.*")
    assert ibids.count() >= 9
    for note in ibids:
        assert note.ibid_of is not None
        assert note.ibid_of.number == note.number - 1
        first = note.works.order_by("position").first()
        assert first.form == EndnoteWork.Form.IBID
        assert first.source_id == note.ibid_of.works.order_by("position").last().source_id


def test_ibid_chains_resolve_to_the_original_work():
    # Note 5 "Ibid., 8" repeats note 4, itself "Ibid." of note 3 (Korolev).
    korolev = Endnote.objects.get(number=3).works.get().source
    assert Endnote.objects.get(number=5).works.get(position=1).source == korolev
    assert Endnote.objects.get(number=5).works.get(position=1).pinpoint == "8"


def test_short_forms_resolve_to_the_full_work():
    meick = Endnote.objects.get(number=1).works.get().source
    assert meick.title.startswith("China-Russia Military-to-Military Relations")
    for number in (6, 8, 47):
        work = Endnote.objects.get(number=number).works.get()
        assert (work.source, work.form) == (meick, EndnoteWork.Form.SHORT)


def test_every_endnote_cites_a_work_and_every_work_is_cited():
    assert not Endnote.objects.filter(works__isnull=True).exists()
    assert not Source.objects.filter(endnote_works__isnull=True).exists()
    assert Source.objects.count() >= 30


def test_every_record_cites_an_endnote_or_says_why_not():
    for model in CITED_MODELS:
        ctype = ContentType.objects.get_for_model(model)
        cited = set(Citation.objects.filter(content_type=ctype).values_list("object_id", flat=True))
        for record in model.objects.all():
            assert record.pk in cited or record.uncited_reason, f"{model.__name__} {record.slug} has no citation"


def test_dataset_sizes_match_the_report():
    assert Period.objects.count() == 3
    assert Event.objects.count() >= 25
    assert Figure.objects.count() >= 30
    assert Transfer.objects.count() >= 15
    assert Project.objects.count() >= 5
    assert PolicyOption.objects.exists()


def test_periods_are_the_reports_three_eras():
    assert list(Period.objects.values_list("slug", "start_year", "end_year")) == [
        ("1992-2006", 1992, 2006),
        ("2006-2014", 2006, 2014),
        ("2014-present", 2014, None),
    ]


def test_s400_sale_as_the_report_gives_it():
    s400 = Transfer.objects.get(designation__startswith="S-400")
    assert s400.number_ordered == 2
    assert s400.quantity_unit.startswith("regiment")
    assert s400.value_usd == Decimal("3000000000")
    assert s400.value_approximate
    assert s400.date_start.year == 2015
    assert s400.period.slug == "2014-present"
    assert s400.direction == Transfer.Direction.RU_CN
    assert list(s400.citations.values_list("endnote__number", flat=True)) == [31]
    assert "2018" in s400.remarks  # the report's other dating (note 50) is kept, not resolved


def test_the_four_engine_contracts_are_four_rows():
    engines = Transfer.objects.filter(category=Transfer.Category.AERO_ENGINES, period__slug="2006-2014")
    assert sorted(engines.values_list("number_ordered", flat=True)) == [123, 140, 150, 184]
    for transfer in engines:
        assert list(transfer.citations.values_list("endnote__number", flat=True)) == [23]


def test_su57_is_a_reported_interest_not_a_sale():
    su57 = Transfer.objects.get(designation__contains="Su-57")
    assert su57.status == Transfer.Status.REPORTED_INTEREST
    assert su57.value_usd is None


def test_china_supplies_russia_too():
    assert Transfer.objects.filter(direction=Transfer.Direction.CN_RU).count() >= 4


def test_the_2008_ip_agreement_is_dated_to_the_day():
    event = Event.objects.get(slug="2008-ip-agreement")
    assert event.date_edtf == "2008-12-11"
    assert event.date_precision == "day"
    assert 22 in event.citations.values_list("endnote__number", flat=True)


def test_the_national_defense_strategy_says_why_it_has_no_endnote():
    nds = Event.objects.get(title__icontains="National Defense Strategy")
    assert not nds.citations.exists()
    assert nds.uncited_reason


def test_truncated_and_spaced_endnotes_are_kept_as_printed():
    assert Endnote.objects.get(number=73).text.endswith("written testimony of Christopher Wray,")
    note71 = Endnote.objects.get(number=71)
    assert "9FS PohWz" in note71.text
    assert all(" " not in url for url in note71.urls)


def test_seventy_percent_figure():
    figure = Figure.objects.get(value=70, unit=Figure.Unit.PERCENT)
    assert figure.date_start.year == 2014
    assert figure.date_end.year == 2018
    assert list(figure.citations.values_list("endnote__number", flat=True)) == [30]


def test_actors_needed_by_transfers_are_states():
    assert Actor.objects.get(slug="russia").kind == Actor.Kind.STATE
    assert Actor.objects.get(slug="china").kind == Actor.Kind.STATE
