"""Transfer and project writes: validation messages name the field and the rule; all or nothing."""

import pytest

from sources.models import Citation
from transfers.models import Transfer

pytestmark = pytest.mark.django_db

DOC = "csis-mtc-primer-2020"
VALID = {
    "slug": "test-deal", "designation": "T-1", "description": "test fighter", "category": "aircraft",
    "supplier": "russia", "recipient": "china", "period": "2014-present", "status": "agreed",
}  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"year_ordered": 2019, "delivery_years": "2018; 2019"},
            "year_ordered",
            "year_ordered must be <= first delivery year.",
        ),
        (
            {"number_ordered": 2, "number_delivered": 3},
            "non_field_errors",
            "number_delivered must be <= number_ordered.",
        ),
        ({"recipient": "russia"}, "non_field_errors", "supplier and recipient must differ."),
        ({"delivery_years": "2018, 2019"}, "delivery_years", "must be years separated by '; '"),
        ({"delivery_years": "2019; 2018"}, "delivery_years", "ascending order"),
        ({"value_usd_low": 5, "value_usd_high": 4}, "non_field_errors", "value_usd_low must be <= value_usd_high."),
        ({"value_usd": -1}, "value_usd", "greater than or equal to 0"),
        ({"date": "around 2016", "date_edtf": ""}, "date_edtf", "Give the EDTF form"),
        ({"date": "2016", "date_edtf": "sometime"}, "date_edtf", "is not a valid EDTF date"),
        ({"date": "by 2008", "date_edtf": "../2008"}, "date_edtf", "open-ended"),
        ({"supplier": "atlantis"}, "supplier", "does not exist"),
        ({"category": "spaceships"}, "category", "is not a valid choice"),
        ({"citations": [{"document": DOC, "number": 999}]}, "citations", "endnote 999 does not exist"),
        ({"citations": [{"number": 31}]}, "citations", "give the endnote's url, or its document and number"),
        ({"citations": [{"url": "http://testserver/api/events/x/"}]}, "citations", "endnote's API or page URL"),
        ({"citations": [{"document": DOC, "number": 31}, {"document": DOC, "number": 31}]}, "citations", "cited twice"),
    ],
)
def test_invalid_transfer_is_refused_naming_field_and_rule(editor_api, changes, field, message):
    response = editor_api.post("/api/transfers/", {**VALID, **changes}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert field in body, body
    assert message in str(body[field])
    assert not Transfer.objects.filter(slug=changes.get("slug", "test-deal")).exclude(slug="s-400-2015").exists()


def test_a_taken_slug_is_a_conflict_naming_the_field(editor_api):
    response = editor_api.post("/api/transfers/", {**VALID, "slug": "s-400-2015"}, format="json")
    assert response.status_code == 409
    assert "already exists" in str(response.json()["slug"])


def test_derived_fields_follow_the_sent_ones(editor_api):
    response = editor_api.post(
        "/api/transfers/",
        {**VALID, "supplier": "china", "recipient": "russia", "date": "around 2006", "date_edtf": "2006~"},
        format="json",
    )
    body = response.json()
    assert (body["direction"], body["date_start"], body["date_end"], body["date_approximate"]) == (
        "cn-ru", "2006-01-01", "2006-12-31", True
    )  # fmt: skip


def test_read_only_fields_sent_are_ignored(editor_api):
    response = editor_api.post(
        "/api/transfers/", {**VALID, "direction": "cn-ru", "date_start": "1900-01-01", "url": "x"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["direction"] == "ru-cn"
    assert response.json()["date_start"] is None


def test_a_failed_update_writes_nothing(editor_api):
    """A valid field change with an invalid citation leaves record and citations as they were."""
    path = "/api/transfers/s-400-2015/"
    before = editor_api.get(path).json()
    citations_before = Citation.objects.count()
    response = editor_api.put(
        path,
        {**before, "notes": "changed", "citations": [*before["citations"], {"document": DOC, "number": 999}]},
        format="json",
    )
    assert response.status_code == 400
    assert editor_api.get(path).json() == before
    assert Citation.objects.count() == citations_before


def test_citations_are_replaced_in_the_order_sent(editor_api):
    path = "/api/transfers/s-400-2015/"
    body = editor_api.patch(
        path, {"citations": [{"document": DOC, "number": 32, "pinpoint": "7"}, {"document": DOC, "number": 31}]},
        format="json",
    ).json()  # fmt: skip
    assert [(c["number"], c["pinpoint"]) for c in body["citations"]] == [(32, "7"), (31, "")]


def test_patch_without_citations_keeps_them(editor_api):
    path = "/api/transfers/s-400-2015/"
    before = editor_api.get(path).json()["citations"]
    assert editor_api.patch(path, {"notes": "x"}, format="json").json()["citations"] == before


def test_money_is_whole_dollars(editor_api):
    response = editor_api.post("/api/transfers/", {**VALID, "value_usd": "2500000000.5"}, format="json")
    assert response.status_code == 400
    assert "value_usd" in response.json()
    response = editor_api.post("/api/transfers/", {**VALID, "value_usd": 2_500_000_000}, format="json")
    assert response.json()["value_usd"] == 2_500_000_000


def test_project_partners_and_value_range(editor_api):
    payload = {"slug": "p", "name": "P", "period": "2014-present", "partners": ["russia", "no-such-actor"]}
    response = editor_api.post("/api/projects/", payload, format="json")
    assert response.status_code == 400
    assert "partners" in response.json()
    payload.update(partners=["russia"], value_usd_low=3, value_usd_high=2)
    response = editor_api.post("/api/projects/", payload, format="json")
    assert response.json() == {"non_field_errors": ["value_usd_low must be <= value_usd_high."]}


def test_a_tiv_is_a_decimal_string_as_the_schema_says_never_a_json_number(editor_api):
    response = editor_api.patch("/api/transfers/s-400-2015/", {"tiv_delivered": 0}, format="json")
    assert response.status_code == 400
    assert "decimal string" in response.json()["tiv_delivered"][0]
    response = editor_api.patch("/api/transfers/s-400-2015/", {"tiv_delivered": "12.5"}, format="json")
    assert response.status_code == 200
    assert response.json()["tiv_delivered"] == "12.500"
