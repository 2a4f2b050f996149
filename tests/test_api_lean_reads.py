"""JSON reads answered from ``values()`` (``ground.lean_rows``) are byte for byte what the
serializers write: every list and record of the report, filters, orderings, deep pages,
edge values, errors."""

import decimal

import pytest
from django.contrib.contenttypes.models import ContentType

from ground.api_views import ApiViewMixin
from ground.lean_rows import lean_plan
from ground.pagination import CountPerDataVersionPaginator
from mtc.api_urls import router
from periods.models import Actor, Event, Figure, PolicyOption
from sources.models import Citation, Endnote
from tests.factories import ProjectFactory, TransferFactory
from transfers.models import Project, Transfer

pytestmark = pytest.mark.django_db

#: The lists read lean. Periods (``years``), analyses (``attribution``) and the others have
#: a field that only an instance can compute, so they keep the serializer.
LEAN = {"events", "transfers", "projects", "figures", "actors", "policy-options"}
MODELS = {
    "events": Event,
    "transfers": Transfer,
    "projects": Project,
    "figures": Figure,
    "actors": Actor,
    "policy-options": PolicyOption,
}


def both(api, monkeypatch, path: str, params: dict | None = None) -> tuple:
    """(lean response, serializer response) for the same request."""
    lean = api.get(path, params or {})
    with monkeypatch.context() as patch:
        patch.setattr(ApiViewMixin, "lean_reads", False)
        full = api.get(path, params or {})
    return lean, full


def assert_same(lean, full) -> None:
    assert lean.status_code == full.status_code
    assert lean["Content-Type"] == full["Content-Type"]
    assert lean.content == full.content


def test_the_lists_that_read_lean_are_the_ones_named():
    compiled = {prefix for prefix, viewset, _ in router.registry if lean_plan(viewset.serializer_class) is not None}
    assert compiled == LEAN


@pytest.mark.parametrize("prefix", sorted(LEAN))
@pytest.mark.parametrize(
    "params",
    [{}, {"page_size": 1}, {"page_size": 500}, {"page": 2, "page_size": 2}, {"ordering": "-slug"}],
    ids=["default", "one", "all", "page-2", "by-slug-desc"],
)
def test_a_lean_list_is_the_serializers_list(api, monkeypatch, prefix, params):
    lean, full = both(api, monkeypatch, f"/api/{prefix}/", params)
    assert lean.status_code == 200
    assert lean.json()["results"]
    assert_same(lean, full)


@pytest.mark.parametrize(
    "params",
    [
        {"period": "1992-2006", "category": "aircraft"},
        {"direction": "cn-ru"},
        {"q": "S-400"},
        {"q": "engines", "ordering": "-value_usd"},
        {"supplier": "russia", "ordering": "designation", "page_size": 3, "page": 2},
        {"dated": "false"},
        {"q": "no such word anywhere"},
    ],
)
def test_filtered_transfer_lists_are_the_same(api, monkeypatch, params):
    assert_same(*both(api, monkeypatch, "/api/transfers/", params))


@pytest.mark.parametrize("prefix", sorted(LEAN))
def test_every_record_of_the_report_reads_the_same(api, monkeypatch, prefix):
    slugs = list(MODELS[prefix].objects.values_list("slug", flat=True))
    assert slugs
    for slug in slugs:
        assert_same(*both(api, monkeypatch, f"/api/{prefix}/{slug}/"))


def test_a_missing_record_is_the_same_404(api, monkeypatch):
    lean, full = both(api, monkeypatch, "/api/transfers/no-such-deal/")
    assert lean.status_code == 404
    assert lean.json() == {"detail": "No Transfer matches the given query."}
    assert_same(lean, full)


def test_a_page_past_the_end_is_the_same_404(api, monkeypatch):
    lean, full = both(api, monkeypatch, "/api/events/", {"page": 999})
    assert lean.status_code == 404
    assert_same(lean, full)


def test_deep_pages_read_their_keys_first_and_stay_the_same(api, monkeypatch):
    """From ``DEFERRED_FROM`` rows on, a page is located by its keys alone."""
    monkeypatch.setattr(CountPerDataVersionPaginator, "DEFERRED_FROM", 5)
    for params in ({"page": 3, "page_size": 4}, {"page": 2, "page_size": 6, "ordering": "-date"}):
        lean, full = both(api, monkeypatch, "/api/transfers/", params)
        assert lean.json()["results"]
        assert_same(lean, full)


def test_edge_values_read_the_same(api, monkeypatch):
    """Decimals keep their places, nulls stay null, text is not escaped differently, and
    citations keep their order, pinpoints and passages."""
    transfer = TransferFactory(
        slug="edge-values",
        designation="Су-35 «Flanker-E» & 歼-11",
        tiv_per_unit=decimal.Decimal("12.5"),
        tiv_total_order=decimal.Decimal("0"),
        value_usd=None,
        number_ordered=None,
        delivery_years="2016; 2017",
    )
    notes = list(Endnote.objects.order_by("number")[:3])
    content_type = ContentType.objects.get_for_model(Transfer)
    for position, (note, pinpoint) in enumerate(zip(reversed(notes), ["p. 4", "", "pp. 7–9"], strict=True), 1):
        Citation.objects.create(
            content_type=content_type, object_id=transfer.pk, endnote=note, position=position, pinpoint=pinpoint
        )
    project = ProjectFactory(slug="edge-project")
    project.partners.add(*Actor.objects.order_by("-slug")[:3])
    for path in ("/api/transfers/edge-values/", "/api/projects/edge-project/"):
        lean, full = both(api, monkeypatch, path)
        assert lean.status_code == 200
        assert_same(lean, full)
    body = api.get("/api/transfers/edge-values/").json()
    assert (body["tiv_per_unit"], body["tiv_total_order"], body["value_usd"]) == ("12.500", "0.000", None)
    assert [c["number"] for c in body["citations"]] == [n.number for n in reversed(notes)]
    assert [c["pinpoint"] for c in body["citations"]] == ["p. 4", "", "pp. 7–9"]
    assert_same(*both(api, monkeypatch, "/api/transfers/", {"q": "Flanker-E"}))


def test_other_formats_keep_the_serializer(api, monkeypatch):
    """CSV and the browsable API are written by the serializer whatever the switch says."""
    for params in ({"format": "csv", "page_size": 5}, {"format": "api"}):
        lean, full = both(api, monkeypatch, "/api/transfers/", params)
        assert lean.status_code == 200
        if params["format"] == "csv":
            assert lean.content == full.content


def test_head_answers_like_get(api):
    head = api.head("/api/transfers/s-400-2015/")
    assert head.status_code == 200
    assert head["ETag"] == api.get("/api/transfers/s-400-2015/")["ETag"]
