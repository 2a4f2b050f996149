"""A real Redis broker and a real ``celery -A mtc worker`` store the API rows a write
changed (PostgreSQL: the worker is another process); until it has, readers get the row
built per request, never the old one."""

import pytest

from ground.models import StoredRow
from periods.models import Actor
from tests.aggregates.stats_support import celery_broker, on_postgres
from tests.aggregates.test_worker import redis_broker, start_worker, wait_for  # noqa: F401 - fixtures, found by pytest here
from tests.factories import TransferFactory
from transfers.models import Transfer

pytestmark = [pytest.mark.worker, on_postgres]

# ruff: noqa: F811 - the fixtures imported above are the parameters below

LABEL = "transfers.transfer"


def stored_with(pk: int, text: str) -> bool:
    return StoredRow.objects.filter(model=LABEL, record_id=pk, body__contains=text).exists()


def test_after_writes_the_worker_stores_the_rows_they_changed(start_worker, redis_broker, api):
    worker = start_worker()
    with celery_broker(redis_broker):  # this process only publishes; the worker builds
        transfer = TransferFactory(slug="stored-worker-probe", designation="Stored probe")
        assert api.get("/api/transfers/stored-worker-probe/").json()["designation"] == "Stored probe"
        wait_for(lambda: stored_with(transfer.pk, "Stored probe"), "the worker to store the new transfer's row")

        russia = Actor.objects.get(slug="russia")
        russia.slug = "russian-federation"
        russia.save()  # every row read the old slug: none is served until built again
        supplied = Transfer.objects.filter(supplier=russia).values_list("slug", flat=True).first()
        assert api.get(f"/api/transfers/{supplied}/").json()["supplier"] == "russian-federation"
        wait_for(
            lambda: (
                not StoredRow.objects.filter(model=LABEL, body__contains='"russia"').exists()
                and StoredRow.objects.filter(model=LABEL, body__contains='"russian-federation"').exists()
            ),
            "the worker to store every row with the actor's new slug",
        )
    assert "ground.tasks.refresh_stored_rows" in worker.output()
    assert "succeeded" in worker.output()
    assert api.get(f"/api/transfers/{supplied}/").json()["supplier"] == "russian-federation"
