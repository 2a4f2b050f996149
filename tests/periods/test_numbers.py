"""Nothing inferred stored as fact: every number a record stores is printed where it rests.

For each record, every value, quantity and year it stores (values, numbers ordered and
delivered, years ordered and delivered, the years of its date) must appear in one of
its quoted passages or the endnotes it cites, in any of the forms the report prints
it in ("$2.5 billion", "24", "two", "2019"), or the record's ``derivation`` must say
how the number was derived (and so name it). A number that is in neither is an
inference stored as the report's fact.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from periods.models import Analysis, Event, Figure
from transfers.models import Project, Transfer

pytestmark = pytest.mark.django_db

WORDS = {
    1: "one",
    2: "two",
    3: "three",
    4: "four",
    5: "five",
    6: "six",
    7: "seven",
    8: "eight",
    9: "nine",
    10: "ten",
    11: "eleven",
    12: "twelve",
}


def forms(value) -> set[str]:
    """The ways the report may print ``value``: digits, with thousands commas, in words,
    in millions or billions ("$2.5 billion" is 2500000000)."""
    number = Decimal(str(value)).normalize()
    found = {f"{number:f}"}
    if number == number.to_integral_value():
        whole = int(number)
        found |= {str(whole), f"{whole:,}"}
        if whole in WORDS:
            found.add(WORDS[whole])
        for scale, word in ((10**9, "billion"), (10**6, "million")):
            if whole >= scale and whole % (scale // 1000) == 0:
                scaled = f"{Decimal(whole) / scale:f}"
                found.add((scaled.rstrip("0").rstrip(".") if "." in scaled else scaled) + f" {word}")
    return found


def printed(value, text: str) -> bool:
    return any(
        re.search(rf"(?<![\d.,]){re.escape(form)}(?![\d]|[.,]\d)", text, flags=re.IGNORECASE) for form in forms(value)
    )


def _years(edtf: str) -> list[int]:
    return [int(y) for y in re.findall(r"(?<!\d)(\d{4})(?!\d)", edtf or "")]


def stored_numbers(record) -> list[tuple[str, object]]:
    """(field, value) for every number the record stores."""
    numbers = [("date", year) for year in _years(getattr(record, "date_edtf", ""))]
    if isinstance(record, Transfer):
        numbers += [("year_ordered", record.year_ordered)]
        numbers += [("delivery_years", int(y)) for y in re.findall(r"\d{4}", record.delivery_years or "")]
        numbers += [("number_ordered", record.number_ordered), ("number_delivered", record.number_delivered)]
    if isinstance(record, Transfer | Project):
        numbers += [(f, getattr(record, f)) for f in ("value_usd", "value_usd_low", "value_usd_high")]
    if isinstance(record, Figure):
        numbers += [(f, getattr(record, f)) for f in ("value", "value_low", "value_high")]
    return [(name, value) for name, value in numbers if value is not None]


def _records():
    for model in (Event, Transfer, Project, Figure, Analysis):
        yield from model.objects.order_by("slug").prefetch_related("citations__endnote")


def unsupported(record) -> list[str]:
    citations = list(record.citations.all())
    evidence = " ".join([c.passage for c in citations] + [c.endnote.text for c in citations])
    return [
        f"{name}={value}"
        for name, value in stored_numbers(record)
        if not printed(value, evidence) and not printed(value, record.derivation)
    ]


def test_every_stored_number_is_printed_where_the_record_rests_or_derived_in_words():
    problems = {
        f"{record._meta.model_name} {record.slug}": bad for record in _records() if (bad := unsupported(record))
    }
    assert problems == {}


def test_su_35_stores_no_delivered_number_and_says_why(client):
    su35 = Transfer.objects.get(slug="su-35-2015")
    assert su35.number_delivered is None
    assert su35.number_ordered == 24
    assert "completed the delivery" in su35.notes
    assert "24" in su35.notes
    item = client.get("/api/transfers/su-35-2015/").json()
    assert item["number_delivered"] is None


def test_a_number_neither_printed_nor_derived_is_caught():
    su35 = Transfer.objects.get(slug="su-35-2015")
    su35.number_delivered = 23
    assert unsupported(su35) == ["number_delivered=23"]
    assert printed(2500000000, "a $2.5 billion contract")
    assert printed(2, "in the next two years")


def test_durations_are_figures_in_years_with_their_derivation(client):
    decade = client.get("/api/figures/china-could-develop-same-systems-within-a-decade/").json()
    assert (decade["value"], decade["unit"], decade["qualifier"]) == ("10.0000", "years", "within")
    assert '"a decade"' in decade["derivation"]
    assert decade["citations"][0]["number"] == 28
    two = client.get("/api/figures/su-57-decision-in-next-two-years/").json()
    assert (two["value"], two["unit"], two["date_edtf"]) == ("2.0000", "years", "2019-03")
    assert "in the next two years" in two["citations"][0]["passage"]
