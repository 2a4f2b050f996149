import datetime

import pytest
from django.core.exceptions import ValidationError

from ground.fuzzy_dates import parse_fuzzy_date


@pytest.mark.parametrize(
    ("edtf", "start", "end", "precision", "approximate"),
    [
        ("2015", datetime.date(2015, 1, 1), datetime.date(2015, 12, 31), "year", False),
        ("2015-11", datetime.date(2015, 11, 1), datetime.date(2015, 11, 30), "month", False),
        ("2008-12-11", datetime.date(2008, 12, 11), datetime.date(2008, 12, 11), "day", False),
        ("2006~", datetime.date(2006, 1, 1), datetime.date(2006, 12, 31), "year", True),
        ("2011/2012", datetime.date(2011, 1, 1), datetime.date(2012, 12, 31), "interval", False),
        ("2004~/2006~", datetime.date(2004, 1, 1), datetime.date(2006, 12, 31), "interval", True),
        ("200X", datetime.date(2000, 1, 1), datetime.date(2009, 12, 31), "decade", False),
    ],
)
def test_report_style_dates_get_sortable_bounds(edtf, start, end, precision, approximate):
    fuzzy = parse_fuzzy_date(edtf)
    assert (fuzzy.start, fuzzy.end, fuzzy.precision, fuzzy.approximate) == (start, end, precision, approximate)


@pytest.mark.parametrize(
    ("edtf", "message"),
    [
        ("", "must not be empty"),
        ("November 2015", "not a valid EDTF"),
        ("../2008", "open-ended"),
        ("2012/2011", "starts after it ends"),
    ],
)
def test_bad_edtf_is_refused_with_the_rule(edtf, message):
    with pytest.raises(ValidationError, match=message):
        parse_fuzzy_date(edtf)
