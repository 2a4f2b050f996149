"""Synthetic data for benchmarks: deterministic, proportional, and as save() would store it."""

import pytest

from dataset.synthetic import generate_synthetic
from sources.models import Citation
from transfers.models import Transfer

pytestmark = pytest.mark.django_db


def test_counts_are_proportional_and_every_record_is_cited(call):
    output = call("generate_synthetic", transfers=300)
    assert "Created 300 transfers, 150 events, 15 projects" in output
    synthetic = Transfer.objects.filter(slug__startswith="syn-")
    assert synthetic.count() == 300
    assert not synthetic.exclude(pk__in=Citation.objects.values("object_id")).exists()
    assert set(synthetic.values_list("period__slug", flat=True)) == {"1992-2006", "2006-2014", "2014-present"}


def test_same_seed_gives_the_same_data():
    generate_synthetic(transfers=50, seed=7)
    first = list(Transfer.objects.filter(slug__startswith="syn-").values_list("designation", "value_usd"))
    Transfer.objects.filter(slug__startswith="syn-").delete()
    generate_synthetic(transfers=50, seed=7)
    second = list(Transfer.objects.filter(slug__startswith="syn-").values_list("designation", "value_usd"))
    assert first == second


def test_derived_columns_match_what_save_would_compute():
    generate_synthetic(transfers=20)
    for transfer in Transfer.objects.filter(slug__startswith="syn-").select_related("supplier", "recipient"):
        stored = (transfer.date_start, transfer.date_end, transfer.direction, transfer.first_delivery_year)
        transfer.sync_date_bounds()
        years = transfer.delivery_year_list
        assert stored == (
            transfer.date_start,
            transfer.date_end,
            transfer.derive_direction(),
            years[0] if years else None,
        )
        transfer.full_clean()


def test_synthetic_rows_are_indexed_and_some_concern_the_reports_systems(api):
    generate_synthetic(transfers=200)
    found = [t["slug"] for t in api.get("/api/transfers/", {"q": "helicopter", "page_size": 500}).json()["results"]]
    assert any(slug.startswith("syn-") for slug in found)
    on_system_page = api.get("/api/timeline/", {"system": "s-400", "page_size": 500}).json()["results"]
    assert len(on_system_page) > 7  # the report's S-400 records and some synthetic ones
