"""The search index follows each committed change, one record at a time."""

import pytest

from ground.models import SearchEntry
from systems.models import System, SystemName
from tests.factories import TransferFactory

pytestmark = pytest.mark.django_db


def entries_for(record) -> list[tuple[str, str]]:
    return list(SearchEntry.objects.filter(kind="transfer", record_id=record.pk).values_list("key", "title"))


def test_a_new_renamed_and_deleted_record_is_reindexed_alone(django_capture_on_commit_callbacks, client):
    untouched = SearchEntry.objects.exclude(kind="transfer").values_list("pk", flat=True)
    before = set(untouched)
    with django_capture_on_commit_callbacks(execute=True):
        transfer = TransferFactory(slug="zircon-deal", designation="Zirconblade")
    assert entries_for(transfer) == [("zircon-deal", "Zirconblade")]
    assert "Zirconblade" in client.get("/search/", {"q": "Zirconblade"}).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        transfer.slug, transfer.designation = "zircon-deal-renamed", "Quartzlance"
        transfer.save()
    assert entries_for(transfer) == [("zircon-deal-renamed", "Quartzlance")]  # no orphan under the old slug

    with django_capture_on_commit_callbacks(execute=True):
        transfer.delete()
    assert not SearchEntry.objects.filter(key__startswith="zircon-deal").exists()
    assert before <= set(SearchEntry.objects.values_list("pk", flat=True))  # the rest kept, not rebuilt


def test_a_new_name_of_a_system_finds_its_records_after_commit(django_capture_on_commit_callbacks, api):
    def transfers(q: str) -> list[str]:
        return [t["slug"] for t in api.get("/api/transfers/", {"q": q}).json()["results"]]

    assert transfers("Zirconfalcon") == []
    with django_capture_on_commit_callbacks(execute=True):
        SystemName.objects.create(
            system=System.objects.get(slug="s-400"), name="Zirconfalcon", kind="other", origin="a test's invention"
        )
    assert transfers("Zirconfalcon") == ["s-400-2015"]
    events = [e["slug"] for e in api.get("/api/events/", {"q": "Zirconfalcon"}).json()["results"]]
    assert "caatsa-sanctions-2018-09" in events
    with django_capture_on_commit_callbacks(execute=True):
        SystemName.objects.filter(name="Zirconfalcon").delete()
    assert transfers("Zirconfalcon") == []
