"""JSON answers encoded by orjson (``ground.json_renderer``) are the bytes DRF's own
renderer writes: every API list of the report, the characters DRF escapes, the types
DRF's encoder writes its own way, and an indented answer asked for in ``Accept``."""

import datetime
import decimal
import json
import uuid

import pytest
from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer as DRFJSONRenderer

from ground.json_renderer import JSONRenderer
from mtc.api_urls import router
from tests.factories import TransferFactory

pytestmark = pytest.mark.django_db

LISTS = sorted(f"/api/{prefix}/" for prefix, _, _ in router.registry)


@pytest.mark.parametrize("path", LISTS)
def test_every_api_list_is_the_bytes_drf_writes(api, path):
    """A page as a client receives it, compared with DRF encoding what the client read
    back: the same bytes, so no space, escape or number spelling differs."""
    response = api.get(path, {"page_size": 500})
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/json"
    assert response.content == DRFJSONRenderer().render(json.loads(response.content))


def test_a_search_answer_is_the_bytes_drf_writes(api):
    response = api.get("/api/search/", {"q": "S-400"})
    assert response.status_code == 200
    assert json.loads(response.content)["results"], "the report has S-400 records"
    assert response.content == DRFJSONRenderer().render(json.loads(response.content))


def test_line_and_paragraph_separators_are_escaped_as_drf_does(api):
    """U+2028 and U+2029 are valid JSON but end a line in JavaScript: a page embedding
    the answer in a script would break, so DRF escapes them, and so do we."""
    transfer = TransferFactory(notes="before\u2028line\u2029paragraph")
    response = api.get(f"/api/transfers/{transfer.slug}/")
    assert response.status_code == 200
    assert b"before\\u2028line\\u2029paragraph" in response.content
    assert "\u2028".encode() not in response.content
    assert json.loads(response.content)["notes"] == "before\u2028line\u2029paragraph"


def test_non_ascii_text_is_utf8_as_drf_writes_it(api):
    transfer = TransferFactory(notes="Су-35 “Flanker-E”")
    response = api.get(f"/api/transfers/{transfer.slug}/")
    assert "Су-35 “Flanker-E”".encode() in response.content


def test_an_indented_answer_asked_for_is_indented(api):
    response = api.get("/api/transfers/", HTTP_ACCEPT="application/json; indent=2")
    assert response.status_code == 200
    assert response.content.startswith(b'{\n  "count": ')
    plain = api.get("/api/transfers/")
    assert json.loads(response.content) == json.loads(plain.content)


VALUES = {
    "utc datetime with microseconds": datetime.datetime(2020, 3, 1, 12, 30, 5, 123456, tzinfo=datetime.UTC),
    "offset datetime": datetime.datetime(2020, 3, 1, 12, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=3))),
    "naive datetime": datetime.datetime(2020, 3, 1, 12, 30),
    "date": datetime.date(1992, 1, 31),
    "time with microseconds": datetime.time(9, 15, 2, 500000),
    "timedelta": datetime.timedelta(days=2, seconds=5),
    "decimal": decimal.Decimal("1.50"),
    "lazy text": gettext_lazy("Arms transfer"),
    "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "integer beyond 64 bits": 2**70,
    "integer keys": {1: "one", 2: ["two"]},
    "nested": {"a": [{"b": None, "c": True, "d": 1.5}], "e": ""},
    "separators": "x\u2028y\u2029z",
    "tuple": (1, "two"),
}


@pytest.mark.parametrize("name", VALUES)
def test_each_kind_of_value_is_encoded_as_drf_encodes_it(name):
    data = {"value": VALUES[name]}
    assert JSONRenderer().render(data) == DRFJSONRenderer().render(data)


def test_nothing_renders_as_nothing():
    assert JSONRenderer().render(None) == DRFJSONRenderer().render(None) == b""
