"""The OpenAPI contract: generated without warnings, describing every parameter and format."""

import pytest
import yaml

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_blocker, tmp_path_factory):
    from django.core.management import call_command

    path = tmp_path_factory.mktemp("schema") / "schema.yaml"
    with django_db_blocker.unblock():
        call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(path))
    return yaml.safe_load(path.read_text())


def params(schema, path, method="get"):
    return {p["name"]: p for p in schema["paths"][path][method].get("parameters", [])}


def test_schema_generates_without_warnings_and_validates(schema):
    assert schema["openapi"].startswith("3.")


def test_every_resource_has_list_and_detail(schema):
    for name in ("periods", "events", "transfers", "projects", "figures", "actors", "policy-options", "documents",
                 "sources", "citations"):  # fmt: skip
        assert f"/api/{name}/" in schema["paths"]
        assert any(p.startswith(f"/api/{name}/{{") for p in schema["paths"])
    assert "/api/endnotes/{document}/{number}/" in schema["paths"]
    assert "/api/timeline/" in schema["paths"]


def test_list_parameters_are_described(schema):
    transfer = params(schema, "/api/transfers/")
    for name in ("period", "year_ordered__gte", "year_ordered__lte", "supplier", "recipient", "direction", "category",
                 "status", "actor", "endnote", "q", "ordering", "page", "page_size", "format"):  # fmt: skip
        assert name in transfer, name
    assert transfer["page_size"]["schema"]["maximum"] == 500
    assert transfer["endnote"]["schema"]["type"] == "integer"
    assert "csv" in transfer["format"]["schema"]["enum"]
    assert set(transfer["category"]["schema"]["enum"]) >= {"aircraft", "naval", "uav"}
    timeline = params(schema, "/api/timeline/")
    assert "timelinejs" in timeline["format"]["schema"]["enum"]
    assert {
        "type",
        "period",
        "from",
        "to",
        "endnote",
        "actor",
        "q",
        "ordering",
        "category",
        "direction",
        "undated",
    } <= set(timeline)


def test_responses_are_described_per_format(schema):
    transfers = schema["paths"]["/api/transfers/"]["get"]["responses"]["200"]["content"]
    assert {"application/json", "text/csv"} <= set(transfers)
    timeline = schema["paths"]["/api/timeline/"]["get"]["responses"]["200"]["content"]
    timelinejs = timeline["application/vnd.timelinejs+json"]["schema"]
    assert timelinejs["$ref"].endswith("/TimelineJS")
    assert set(schema["components"]["schemas"]["TimelineJS"]["properties"]) == {"title", "eras", "events"}


def test_field_types_are_documented(schema):
    transfer = schema["components"]["schemas"]["Transfer"]["properties"]
    assert transfer["value_usd"]["type"] == "integer"
    assert transfer["value_usd"]["nullable"] is True
    assert (
        "Whole US dollars" in transfer["value_usd"]["description"]
        or "whole US dollars" in transfer["value_usd"]["description"]
    )
    assert transfer["url"]["readOnly"] is True
    assert transfer["date_start"]["readOnly"] is True
    assert transfer["citations"]["items"]["$ref"].endswith("/CitationInline")
    period = schema["components"]["schemas"]["Period"]["properties"]
    assert period["end_year"]["nullable"] is True
    endnote = schema["components"]["schemas"]["Endnote"]["properties"]
    assert endnote["ibid_of"]["nullable"] is True
    assert endnote["ibid_of"]["type"] == "integer"


def test_writes_are_described_with_token_auth(schema):
    post = schema["paths"]["/api/transfers/"]["post"]
    assert {"tokenAuth": []} in post["security"]
    assert "delete" in schema["paths"]["/api/endnotes/{document}/{number}/"]
    assert "post" not in schema["paths"]["/api/periods/"]


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_api_docs_are_served_offline(client, path):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/" in html
    assert "https://" not in html
    assert "http://" not in html.replace("http://testserver", "")


def test_schema_endpoint(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert "/api/transfers/" in response.json()["paths"]


def test_the_schemas_request_examples_are_accepted(schema, editor_api):
    """The examples a client copies from the docs really create records."""
    posted = 0
    for path, operations in schema["paths"].items():
        post = operations.get("post")
        if not post or "requestBody" not in post:
            continue
        for example in post["requestBody"]["content"]["application/json"].get("examples", {}).values():
            response = editor_api.post(path, example["value"], format="json")
            assert response.status_code == 201, (path, response.json())
            posted += 1
    assert posted >= 5
