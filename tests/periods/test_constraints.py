"""Every invariant is held by the database, and forms report it by field."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from periods.models import Figure, Period
from tests.factories import (
    ActorFactory,
    DocumentFactory,
    EndnoteFactory,
    EventFactory,
    FigureFactory,
    PeriodFactory,
    ProjectFactory,
    TransferFactory,
)
from transfers.models import Transfer

pytestmark = pytest.mark.django_db


def assert_db_refuses(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_period_start_after_end_is_refused():
    assert_db_refuses(lambda: Period.objects.create(slug="bad", name="x", heading="X", start_year=2010, end_year=2000))
    period = Period(slug="bad2", name="x", heading="X", start_year=2010, end_year=2000, summary="s")
    with pytest.raises(ValidationError, match="start_year must be <= end_year"):
        period.full_clean()


def test_open_period_is_allowed():
    period = PeriodFactory(start_year=2014, end_year=None)
    assert period.years == "2014-present"


@pytest.mark.parametrize("field", ["value_usd", "value_usd_low", "value_usd_high"])
def test_negative_transfer_values_are_refused(field):
    assert_db_refuses(lambda: TransferFactory(**{field: -1}))


def test_transfer_low_above_high_is_refused():
    assert_db_refuses(lambda: TransferFactory(value_usd_low=10, value_usd_high=5))
    transfer = TransferFactory.build(
        value_usd_low=10, value_usd_high=5, period=PeriodFactory(), supplier=ActorFactory(), recipient=ActorFactory()
    )
    with pytest.raises(ValidationError, match="value_usd_low must be <= value_usd_high"):
        transfer.full_clean()


def test_transfer_ordered_after_first_delivery_is_refused():
    assert_db_refuses(lambda: TransferFactory(year_ordered=2019, delivery_years="2018; 2019"))
    transfer = TransferFactory(year_ordered=2015, delivery_years="2018; 2019")
    transfer.year_ordered = 2019
    with pytest.raises(ValidationError) as exc:
        transfer.full_clean()
    assert exc.value.message_dict["year_ordered"] == ["year_ordered must be <= first delivery year."]


def test_delivery_years_format_is_checked():
    transfer = TransferFactory()
    transfer.delivery_years = "2018, 2019"
    with pytest.raises(ValidationError) as exc:
        transfer.full_clean()
    assert "must be years separated by '; '" in exc.value.message_dict["delivery_years"][0]


def test_more_delivered_than_ordered_is_refused():
    assert_db_refuses(lambda: TransferFactory(number_ordered=2, number_delivered=3))


def test_supplier_must_differ_from_recipient():
    russia = ActorFactory(slug="russia", name="Russia", kind="state")
    assert_db_refuses(lambda: TransferFactory(supplier=russia, recipient=russia))


def test_direction_is_derived_from_the_states_behind_the_parties():
    russia = ActorFactory(slug="russia", name="Russia", kind="state")
    china = ActorFactory(slug="china", name="China", kind="state")
    rostec = ActorFactory(slug="rostec-test", name="Rostec", kind="organisation", country=russia)
    assert TransferFactory(supplier=rostec, recipient=china).direction == Transfer.Direction.RU_CN
    assert TransferFactory(supplier=china, recipient=russia).direction == Transfer.Direction.CN_RU


def test_project_value_must_not_be_negative():
    assert_db_refuses(lambda: ProjectFactory(value_usd=-5))


def test_figure_needs_a_value_and_a_sane_range():
    assert_db_refuses(lambda: FigureFactory(value=None))
    assert_db_refuses(lambda: FigureFactory(value=None, value_low=600, value_high=400))
    assert_db_refuses(lambda: FigureFactory(value=-1))
    figure = Figure(slug="f", statement="s", unit="usd", value_low=600, value_high=400)
    with pytest.raises(ValidationError, match="value_low must be <= value_high"):
        figure.full_clean()


def test_endnote_numbers_are_unique_per_document_only():
    first, second = DocumentFactory(), DocumentFactory()
    EndnoteFactory(document=first, number=1)
    EndnoteFactory(document=second, number=1)  # another report may reuse numbers
    assert_db_refuses(lambda: EndnoteFactory(document=first, number=1))
    assert_db_refuses(lambda: EndnoteFactory(document=first, number=0))


def test_slugs_are_unique():
    EventFactory(slug="same")
    assert_db_refuses(lambda: EventFactory(slug="same"))


def test_bad_edtf_is_reported_on_the_field():
    event = EventFactory.build(date_edtf="sometime", period=PeriodFactory())
    with pytest.raises(ValidationError) as exc:
        event.full_clean()
    assert "not a valid EDTF" in exc.value.message_dict["date_edtf"][0]


def test_date_text_without_edtf_is_refused_by_the_form():
    event = EventFactory.build(date_text="around 2006", date_edtf="", period=PeriodFactory())
    with pytest.raises(ValidationError) as exc:
        event.full_clean()
    assert "date_edtf" in exc.value.message_dict


def test_every_model_has_str_and_absolute_url():
    records = [
        PeriodFactory(),
        ActorFactory(),
        EventFactory(),
        FigureFactory(),
        TransferFactory(),
        ProjectFactory(),
        EndnoteFactory(),
    ]
    for record in records:
        assert str(record)
        assert record.get_absolute_url().startswith("/")
