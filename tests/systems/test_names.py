"""Every curated name of a system is held against the report, or says where it comes from."""

import re
from pathlib import Path

import pytest
import yaml
from django.db import IntegrityError, transaction

from dataset.loader import DATA_DIR
from systems.models import System, SystemName

# The report's full text, kept as a test fixture (the endnote importer's tests read it too).
REPORT = Path(__file__).resolve().parents[1] / "sources" / "fixtures" / "sino-russian-mtc-primer-2020.txt"
SYSTEMS = yaml.safe_load((DATA_DIR / "systems.yaml").read_text(encoding="utf-8"))


def report_text() -> str:
    """The report's words with its markdown italics dropped ("*Lada*-class" reads "Lada-class")."""
    return REPORT.read_text(encoding="utf-8").replace("*", "")


NAMES = [(s["slug"], n) for s in SYSTEMS for n in s["names"]]


@pytest.mark.parametrize(("system", "name"), NAMES, ids=[f"{s}:{n['name']}" for s, n in NAMES])
def test_a_name_from_the_report_is_printed_in_it_and_any_other_says_its_origin(system, name):
    if name.get("from_report"):
        assert re.search(rf"(?<!\w){re.escape(name['name'])}(?!\w)", report_text()), name["name"]
        assert not name.get("origin"), "a name from the report needs no other origin"
    else:
        assert len((name.get("origin") or "").strip()) >= 10, f"{name['name']}: where does it come from?"


def test_every_system_has_a_name_from_the_report_and_a_report_record():
    for system in SYSTEMS:
        assert any(n.get("from_report") for n in system["names"]), system["slug"]
        assert any(system.get("records", {}).values()), system["slug"]


def test_original_script_names_say_their_language():
    for _, name in NAMES:
        if name["kind"] == "original-script":
            assert name.get("language") in {"ru", "zh"}, name["name"]
            assert not re.fullmatch(r"[\x00-\x7f]+", name["name"]), name["name"]


@pytest.mark.django_db
def test_the_database_refuses_a_curated_name_without_its_origin():
    system = System.objects.get(slug="s-400")
    with pytest.raises(IntegrityError), transaction.atomic():
        SystemName.objects.create(system=system, name="Made up", kind="other", from_report=False, origin="")


@pytest.mark.django_db
def test_the_loaded_names_are_the_curated_ones():
    loaded = sorted(SystemName.objects.values_list("system__slug", "name", "from_report", "origin"))
    curated = sorted((s, n["name"], bool(n.get("from_report")), n.get("origin") or "") for s, n in NAMES)
    assert loaded == curated
