"""Writes take only the JSON types the schema declares, and say which field broke which rule.

Each case is a request schemathesis found accepted (DRF coerces ``0`` to false, ``"5"``
to 5, ``{}`` to an empty list, and read ``{"given", "literal"}`` as a name): the record
must be left exactly as it was, and the 400 must name the field.
"""

import re

import pytest

from ground.serializer_fields import URL_OR_EMPTY_RULE

EVENT = "/api/events/tiananmen-arms-embargoes-1989/"
PROJECT = "/api/projects/heavy-lift-helicopter-2015/"
TRANSFER = "/api/transfers/s-400-2015/"
SOURCE = "/api/sources/meick-2017/"

REFUSED = [
    (EVENT, {"actors": {}}, "actors", "must be a list"),
    (EVENT, {"actors": "russia"}, "actors", "must be a list"),
    (PROJECT, {"partners": {"russia": 1}}, "partners", "must be a list"),
    (PROJECT, {"value_approximate": 0}, "value_approximate", "true or false"),
    (PROJECT, {"value_approximate": "yes"}, "value_approximate", "true or false"),
    (PROJECT, {"value_usd": "3000000000"}, "value_usd", "must be an integer"),
    (TRANSFER, {"number_ordered": True}, "number_ordered", "must be an integer"),
    (TRANSFER, {"number_ordered": "24"}, "number_ordered", "must be an integer"),
]


@pytest.mark.parametrize(("path", "payload", "field", "rule"), REFUSED)
def test_a_value_of_the_wrong_json_type_is_refused_naming_the_field(editor_api, path, payload, field, rule):
    before = editor_api.get(path).json()
    response = editor_api.patch(path, payload, format="json")
    assert response.status_code == 400, response.json()
    assert rule in " ".join(response.json()[field])
    assert editor_api.get(path).json() == before


@pytest.mark.parametrize(
    ("names", "message"),
    [
        ([{"given": "Alec", "literal": "CSIS"}], "not both"),
        ([{"family": "Meick", "literal": "CSIS"}], "not both"),
        ([{"given": "Alec"}], "needs family"),
        ([{"family": "Meick", "nickname": "E."}], "not a CSL name part"),
        ([{}], "needs family"),
        # Optional, but not empty: the 400 says so without DRF's "may not be blank",
        # which schemathesis' error feedback reads as "given is required".
        ([{"family": "Meick", "given": ""}], "must not be empty."),
    ],
)
def test_a_csl_name_is_a_person_or_an_organisation_never_a_mix(editor_api, names, message):
    before = editor_api.get(SOURCE).json()
    response = editor_api.patch(SOURCE, {"editors": names}, format="json")
    assert response.status_code == 400
    assert message in str(response.json()["editors"])
    assert editor_api.get(SOURCE).json() == before


def test_a_person_and_an_organisation_are_both_accepted(editor_api):
    names = [{"family": "Meick", "given": "Ethan"}, {"family": "Blivas"}, {"literal": "CSIS"}]
    response = editor_api.patch(SOURCE, {"editors": names}, format="json")
    assert response.status_code == 200
    assert response.json()["editors"] == names


def test_the_right_types_are_still_accepted(editor_api):
    assert editor_api.patch(EVENT, {"actors": ["russia", "china"]}, format="json").json()["actors"] == [
        "china",
        "russia",
    ]
    assert editor_api.patch(PROJECT, {"value_approximate": True}, format="json").json()["value_approximate"] is True
    assert editor_api.patch(TRANSFER, {"number_ordered": 24}, format="json").json()["number_ordered"] == 24


def test_the_schema_says_a_name_is_one_of_two_closed_shapes(api, db):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    shapes = schema["components"]["schemas"]["CslNameRequest"]["oneOf"]
    assert [(shape["required"], shape["additionalProperties"]) for shape in shapes] == [
        (["family"], False),
        (["literal"], False),
    ]


def test_a_url_that_may_be_empty_is_one_pattern_the_api_keeps(api, editor_api, db):

    schema = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    web_url = schema["components"]["schemas"]["SourceRequest"]["properties"]["web_url"]
    assert "oneOf" not in web_url
    pattern = re.compile(web_url["pattern"].replace("\\u0000", "\\x00"))
    assert pattern.search("")
    assert pattern.search("https://www.csis.org/x")
    assert not pattern.search("0")
    assert editor_api.patch(SOURCE, {"web_url": ""}, format="json").json()["web_url"] == ""
    # The 400 names the whole rule, "" included: Django's "Enter a valid URL." alone led
    # schemathesis' error feedback to learn `format: uri` and call the empty URL invalid.
    response = editor_api.patch(SOURCE, {"web_url": "0"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"web_url": [URL_OR_EMPTY_RULE]}
    assert editor_api.get(SOURCE).json()["web_url"] == ""
