"""The SIPRI trade-register importer, on register files the tests write in SIPRI's layout."""

from decimal import Decimal

import pytest
from django.core.management.base import CommandError

from periods.models import Actor
from sources.models import Document, Source
from tests.transfers.sipri_files import FIRST_DATA_LINE, MI171, ROWS, S400, SU35, register, write_register
from transfers.models import Transfer
from transfers.sipri import HEADER, SipriImportError, import_sipri_register, parse_register

pytestmark = pytest.mark.django_db


def sipri(designation: str) -> Transfer:
    return Transfer.objects.select_related("supplier", "recipient", "period").get(
        slug__startswith="sipri-", designation=designation
    )


@pytest.fixture
def imported(tmp_path, call):
    path = write_register(tmp_path)
    output = call("import_sipri", str(path))
    return path, output


def test_rows_become_transfers_cited_to_the_export(imported):
    _, output = imported
    assert "4 created, 0 updated, 0 unchanged" in output
    su35 = sipri("Su-35")
    assert (su35.supplier.slug, su35.recipient.slug, su35.direction) == ("russia", "china", "ru-cn")
    assert (su35.category, su35.period.slug, su35.date_text, su35.date_edtf) == (
        "aircraft",
        "2014-present",
        "ordered 2015",
        "2015",
    )
    assert (su35.number_ordered, su35.number_delivered, su35.status) == (24, 24, "delivered")
    assert (su35.tiv_per_unit, su35.tiv_total_order, su35.tiv_delivered) == (Decimal(50), Decimal(1200), Decimal(1200))
    assert su35.notes == "Su-35S version, $2 b deal"
    assert su35.value_usd is None  # TIVs are not dollars
    [citation] = su35.citations.select_related("endnote__document")
    assert citation.pinpoint == f"line {FIRST_DATA_LINE}"
    assert citation.endnote.document.slug == "sipri-trade-register"
    assert citation.endnote.text == "SIPRI Arms Transfers Database, trade register, trade-register.csv."
    assert [w.source.slug for w in citation.endnote.works.all()] == ["sipri-arms-transfers-database"]
    assert Source.objects.get(slug="sipri-arms-transfers-database").kind == Source.Kind.DATASET


def test_uncertainty_flags_are_kept(imported):
    s400 = sipri("S-400")
    assert (s400.year_ordered_uncertain, s400.number_ordered_uncertain, s400.number_delivered_uncertain) == (
        True,
        True,
        False,
    )
    assert (s400.date_edtf, s400.date_text, s400.date_approximate) == ("2014?", "ordered 2014 (uncertain)", True)
    assert sipri("Kilo").number_delivered_uncertain is True
    assert sipri("Su-35").year_ordered_uncertain is False


def test_multi_year_deliveries_and_derived_status(imported):
    su35, s400 = sipri("Su-35"), sipri("S-400")
    assert (su35.delivery_years, su35.delivery_year_list, su35.first_delivery_year) == (
        "2016; 2017; 2018",
        [2016, 2017, 2018],
        2016,
    )
    assert (s400.delivery_year_list, s400.status, s400.category) == ([2018, 2019], "in-delivery", "air-defence")
    assert sipri("Mi-171E").status == "agreed"  # nothing delivered yet


def test_second_hand_status_and_other_parties(imported):
    mi171, kilo = sipri("Mi-171E"), sipri("Kilo")
    assert (mi171.sipri_status, mi171.direction, mi171.category) == ("Second hand", "cn-ru", "helicopters")
    assert (kilo.sipri_status, kilo.category, kilo.direction) == ("Second hand but modernized", "naval", "other")
    assert (kilo.recipient.name, kilo.recipient.kind) == ("Myanmar", Actor.Kind.STATE)
    assert kilo.period.slug == "2006-2014"


def test_reimporting_the_same_file_creates_no_duplicates(imported, call):
    path, _ = imported
    count = Transfer.objects.count()
    assert "0 created, 0 updated, 4 unchanged" in call("import_sipri", str(path))
    assert Transfer.objects.count() == count
    assert sipri("Su-35").citations.count() == 1
    assert Document.objects.filter(slug="sipri-trade-register").count() == 1


def test_a_revised_export_updates_the_same_rows(imported, tmp_path, call):
    revised = [list(r) for r in ROWS]
    revised[1][8] = "4"  # SIPRI now records all four S-400 delivered
    path = write_register(tmp_path, rows=revised)
    assert "0 created, 1 updated, 3 unchanged" in call("import_sipri", str(path))
    s400 = sipri("S-400")
    assert (s400.number_delivered, s400.status) == (4, "delivered")
    assert s400.history.latest("history_date").history_change_reason == (
        f"SIPRI import of trade-register.csv, line {FIRST_DATA_LINE + 1}"
    )


@pytest.mark.parametrize("delivered", ["two", "³"])  # "³" passes str.isdigit() but not int()
def test_a_malformed_row_names_its_line_and_nothing_is_imported(tmp_path, call, delivered):
    rows = [list(r) for r in ROWS]
    rows[2][8] = delivered
    path = write_register(tmp_path, rows=rows)
    before = Transfer.objects.count(), Actor.objects.count(), Document.objects.count()
    with pytest.raises(CommandError) as error:
        call("import_sipri", str(path))
    message = str(error.value)
    assert "nothing was imported" in message
    assert f"line {FIRST_DATA_LINE + 2}, Number delivered: '{delivered}' must be a whole number." in message
    assert (Transfer.objects.count(), Actor.objects.count(), Document.objects.count()) == before


def test_a_row_breaking_a_model_rule_is_refused_after_earlier_rows_were_prepared(tmp_path, call):
    rows = [list(r) for r in ROWS]
    rows[3][8] = "2"  # the one Kilo ordered cannot be delivered twice
    path = write_register(tmp_path, rows=rows)
    with pytest.raises(CommandError, match=rf"line {FIRST_DATA_LINE + 3}, row: number_delivered must be <= number"):
        call("import_sipri", str(path))
    assert not Actor.objects.filter(slug="myanmar").exists()
    assert not Transfer.objects.filter(slug__startswith="sipri-").exists()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda r: r[0].__setitem__(3, "x"),
            "line 13, uncertainty flag after Year of order: 'x' must be '?' or empty.",
        ),
        (lambda r: r[1].__setitem__(10, "2018, 2019"), "line 14, Year(s) of delivery: '2018, 2019' must be years"),
        (lambda r: r[2].__setitem__(11, "Used"), "line 15, status: 'Used' must be one of: New, Second hand"),
        (lambda r: r[0].__setitem__(13, "-1"), "line 13, SIPRI TIV per unit: '-1' must not be negative."),
        (lambda r: r[3].__setitem__(2, "1985"), "line 16, Year of order: 1985 falls in no period."),
        (lambda r: r[1].__setitem__(2, "2020"), "line 14, Year of order: year_ordered must be <= first delivery"),
        (lambda r: r[0].__setitem__(6, ""), "line 13, Weapon designation: must not be empty."),
        (lambda r: r[1].pop(), "line 14, row: has 15 columns; the header has 16."),
    ],
)
def test_each_rule_is_reported_with_line_and_column(change, expected):
    rows = [list(r) for r in ROWS]
    change(rows)
    with pytest.raises(SipriImportError) as error:
        import_sipri_register(text=register(rows=rows), file_name="bad.csv")
    assert str(error.value.errors[0]).startswith(expected)
    assert not Transfer.objects.filter(slug__startswith="sipri-").exists()


def test_the_header_is_checked_exactly():
    header = [*HEADER]
    header[3] = ""  # the flag columns are named with one space in SIPRI's export
    with pytest.raises(SipriImportError) as error:
        parse_register(register(header=header))
    assert str(error.value).startswith("line 12, header: expected SIPRI's trade-register header 'Recipient,Supplier,")


def test_line_numbers_count_physical_lines_across_quoted_newlines():
    rows = [list(SU35), list(S400), list(MI171)]
    rows[0][12] = "first line of a comment\nsecond line"
    rows[2][4] = "two"
    with pytest.raises(SipriImportError) as error:
        parse_register(register(rows=rows))
    assert [(e.line, e.column) for e in error.value.errors] == [(FIRST_DATA_LINE + 3, "Number ordered")]
    parsed = parse_register(register(rows=rows[:2]))
    assert [r.line for r in parsed] == [FIRST_DATA_LINE, FIRST_DATA_LINE + 2]


def test_dry_run_keeps_nothing_and_document_option_names_the_document(tmp_path, call):
    path = write_register(tmp_path)
    assert "4 created" in call("import_sipri", str(path), "--dry-run")
    assert not Transfer.objects.filter(slug__startswith="sipri-").exists()
    call("import_sipri", str(path), "--document", "sipri-china-russia-2020")
    assert sipri("Kilo").citations.get().endnote.document.slug == "sipri-china-russia-2020"


def test_an_import_reaches_the_change_listeners_once(heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        import_sipri_register(text=register(), file_name="trade-register.csv")
    assert heard == [1]
