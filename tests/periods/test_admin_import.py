"""Importing and exporting events and figures through the admin."""

import pytest

from periods.models import Event, Figure
from tests.admin_import import ImportContract, ImportSpec

pytestmark = pytest.mark.django_db

SPECS = [
    ImportSpec(
        model=Event,
        query="kind__exact=sanction",
        expected=lambda: Event.objects.filter(kind="sanction"),
        key={"slug": "1992-mtc-agreement"},
        column="title",
        new_value="The 1992 agreement, retitled",
        bad_column="date_edtf",
        bad_value="around 2015",
        error_field="date_edtf",
        error="'around 2015' is not a valid EDTF date",
    ),
    ImportSpec(
        model=Figure,
        query="unit__exact=usd",
        expected=lambda: Figure.objects.filter(unit="usd"),
        key={"slug": "russia-arms-sales-china-value-1992-2006"},
        column="qualifier",
        new_value="about",
        bad_column="value",
        bad_value="-5",
        error_field="__all__",
        error="value must not be negative.",
    ),
]


@pytest.mark.parametrize("spec", SPECS, ids=str)
class TestTimelineImport(ImportContract):
    pass
