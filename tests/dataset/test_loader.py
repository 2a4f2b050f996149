"""The loader: idempotent, all-or-nothing, and clear about what is wrong."""

import shutil

import pytest
import yaml
from django.core.management.base import CommandError

from dataset.loader import DATA_DIR
from periods.models import Event
from sources.models import Endnote

pytestmark = pytest.mark.django_db


def test_second_load_creates_nothing_and_says_so(call):
    output = call("load_report")
    assert "Report loaded: 0 created, 0 updated," in output
    assert "unchanged" in output


def test_a_changed_record_is_updated_not_duplicated(call):
    event = Event.objects.get(slug="1992-mtc-agreement")
    event.title = "edited by hand"
    event.save()
    count = Event.objects.count()
    output = call("load_report")
    assert "1 updated" in output
    assert Event.objects.count() == count
    assert Event.objects.get(slug="1992-mtc-agreement").title != "edited by hand"


@pytest.fixture
def data_copy(tmp_path):
    target = tmp_path / "report"
    shutil.copytree(DATA_DIR, target)
    return target


def edit(path, change):
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(rows)
    path.write_text(yaml.safe_dump(rows, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_a_bad_row_late_in_the_load_leaves_nothing_half_written(call, data_copy):
    original = Endnote.objects.get(number=1).text
    edit(data_copy / "endnotes.yaml", lambda rows: rows[0].update(text="changed"))
    edit(data_copy / "policy_options.yaml", lambda rows: rows[-1].update(citations=[{"note": 999}]))
    with pytest.raises(CommandError, match="cites endnote 999, which does not exist"):
        call("load_report", data=data_copy)
    assert Endnote.objects.get(number=1).text == original


def test_invalid_field_is_named(call, data_copy):
    edit(data_copy / "transfers.yaml", lambda rows: rows[0].update(value_usd=-1))
    with pytest.raises(CommandError, match="value_usd must not be negative"):
        call("load_report", data=data_copy)


def test_gap_in_endnote_numbers_is_refused(call, data_copy):
    edit(data_copy / "endnotes.yaml", lambda rows: rows.pop(10))
    with pytest.raises(CommandError, match=r"missing \[11\]"):
        call("load_report", data=data_copy)


def test_record_without_citation_or_reason_is_refused(call, data_copy):
    def strip(rows):
        rows[0]["citations"] = []
        rows[0].pop("uncited_reason", None)

    edit(data_copy / "events.yaml", strip)
    with pytest.raises(CommandError, match="cites no endnote and gives no uncited_reason"):
        call("load_report", data=data_copy)
