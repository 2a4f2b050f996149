"""OpenAPI post-processing: the error responses every API operation can give.

drf-spectacular documents success responses only; clients (and schemathesis) need the
errors too: 400 for a bad parameter or body, 401/403 for writes without a token or
permission, 403 for an anonymous export over the limit, 404, 409 for deleting a record
others reference, 413 for a body over the size limit, 429 when throttled, 500, and 503
when the database is unreachable.
"""

from __future__ import annotations

ERROR_SCHEMA = {
    "type": "object",
    "description": (
        'An error: {"detail": "..."}, or field (or query parameter) names mapped to lists of messages, '
        'e.g. {"year_ordered": ["year_ordered must be <= first delivery year."]}.'
    ),
    "additionalProperties": True,
}

ERRORS = {
    "400": "A query parameter or a field is unknown or breaks a rule; the body names it.",
    "401": "Writing needs authentication (a token: Authorization: Token <key>).",
    "403": "The user lacks the model permission for this write, or an anonymous export exceeds EXPORT_ANON_MAX_ROWS.",
    "404": "No such record (or page).",
    "406": "None of the formats the Accept header asks for is available.",
    "409": "Conflict with the data: a write would duplicate a slug, number or citation others hold, "
    "or a record still referenced by others cannot be deleted.",
    "413": "The request body is larger than DATA_UPLOAD_MAX_MEMORY_SIZE.",
    "414": "The URL is too long: the server (gunicorn) reads request lines of up to 4094 bytes.",
    "429": "Too many requests from an anonymous client; retry after Retry-After seconds.",
    "500": "A server error.",
    "503": "The database is unreachable; retry after Retry-After seconds.",
}
WRITES = {"post", "put", "patch", "delete"}
HTML_CONTENT = {"text/html": {"schema": {"type": "string"}}}


def add_error_responses(result: dict, generator, request, public) -> dict:
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            codes = ["400", "404", "406", "414", "429", "500", "503"]
            if method == "get" and "{" not in path:  # a list: its whole-selection exports
                codes.append("403")
            if method in WRITES:
                codes += ["401", "403", "409", "413"]
            for code in codes:
                answer = content if code != "414" else HTML_CONTENT  # gunicorn answers it, before the app
                operation["responses"].setdefault(code, {"description": ERRORS[code], "content": answer})
    return result


# Citation downloads (sources.renderers.CitationFormatsMixin) are added to a view's
# renderers at run time, so drf-spectacular cannot see them: document them here.
CITATION_CONTENT = {
    "application/x-bibtex": {"schema": {"type": "string", "description": "BibTeX entries."}},
    "application/x-research-info-systems": {"schema": {"type": "string", "description": "RIS records."}},
    "application/vnd.citationstyles.csl+json": {
        "schema": {"type": "array", "items": {"type": "object"}, "description": "CSL-JSON items."}
    },
}
CITABLE_PREFIXES = (
    "/api/sources/",
    "/api/endnotes/",
    "/api/events/",
    "/api/transfers/",
    "/api/projects/",
    "/api/figures/",
    "/api/analyses/",
)


def add_citation_formats(result: dict, generator, request, public) -> dict:
    for path, operations in result.get("paths", {}).items():
        if not path.startswith(CITABLE_PREFIXES) or "get" not in operations:
            continue
        ok = operations["get"].get("responses", {}).get("200")
        if ok is not None:
            ok.setdefault("content", {}).update(CITATION_CONTENT)
    return result


# --- anonymous reads --------------------------------------------------------------

SAFE_METHODS = {"get", "head", "options"}


def declare_anonymous_reads(result: dict, generator, request, public) -> dict:
    """Reads need no credentials: ``{}`` (no authentication) comes first in their ``security``.

    drf-spectacular lists the view's authentication classes on every operation, which
    says (to Swagger UI, schemathesis and client generators) that a read needs a token.
    The permission class (``DjangoModelPermissionsOrAnonReadOnly``) lets anyone read;
    writes keep token or session authentication only.
    """
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method in SAFE_METHODS and isinstance(operation, dict):
                security = operation.get("security") or []
                if {} not in security:
                    operation["security"] = [{}, *security]
    return result


def declare_empty_choices(result: dict, generator, request, public) -> dict:
    """An empty ``?format=`` or ``?status=`` means "not given" (JSON, no filter): say so in
    the enum. An empty list (``?ordering=``) is refused: say that it needs an item."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                if parameter.get("in") != "query":
                    continue
                schema = parameter.get("schema", {})
                if schema.get("type") == "array":
                    # ?type=, ?ordering= (lists): an empty one is refused, as the enum says.
                    # A comma-separated list (explode false) sends [] as "?ordering=": say
                    # that it needs at least one field.
                    if parameter.get("explode") is False:
                        schema["minItems"] = 1
                    continue
                if "enum" in schema and "" not in schema["enum"]:
                    schema["enum"] = [*schema["enum"], ""]
    return result


# --- request bodies ------------------------------------------------------------------

NO_NUL = "^[^\\u0000]*$"


def declare_request_rules(result: dict, generator, request, public) -> dict:
    """Rules every write enforces that the serializers do not describe.

    - Text fields refuse the NUL character (Django's form and serializer fields do).
    - A CSL name is a person ``{family, given?}`` or an organisation ``{literal}``: a
      ``oneOf`` of two closed objects, each with its own ``required``. (A bare object with
      optional parts let schemathesis' coverage phase treat every part as required and
      call ``{"given", "literal"}`` invalid; the two shapes say exactly what is accepted.)
    - A nullable reference (``"country": ""``) takes the empty string as null, as DRF's
      related fields do, so it has no ``minLength``.
    - A URL that may be empty ("" for none) is one string with a pattern, not drf-spectacular's
      ``oneOf`` of a ``uri`` and an empty string: schemathesis 4.32's coverage phase sent
      ``""`` as a value breaking the ``uri`` branch and reported its acceptance as a failure.
    """
    schemas = result.get("components", {}).get("schemas", {})
    for name, schema in schemas.items():
        if not name.endswith("Request"):
            continue
        for name_, prop in list(schema.get("properties", {}).items()):
            if _is_url_or_empty(prop):
                prop = schema["properties"][name_] = url_or_empty_request(prop)
            if prop.get("type") == "string" and "enum" not in prop and "format" not in prop and "pattern" not in prop:
                prop["pattern"] = NO_NUL
            if prop.get("nullable") and prop.get("type") == "string":
                prop.pop("minLength", None)
        if name in ("CslNameRequest", "PatchedCslNameRequest"):
            schemas[name] = csl_name_request(schema)
    return result


def csl_name_request(schema: dict) -> dict:
    """The request schema of a CSL name: exactly one of a person or an organisation."""
    parts = schema["properties"]
    return {
        "description": 'A CSL name: {"family", "given"} for a person or {"literal"} for an organisation.',
        "oneOf": [
            {
                "type": "object",
                "title": "Person",
                "properties": {"family": parts["family"], "given": parts["given"]},
                "required": ["family"],
                "additionalProperties": False,
            },
            {
                "type": "object",
                "title": "Organisation",
                "properties": {"literal": parts["literal"]},
                "required": ["literal"],
                "additionalProperties": False,
            },
        ],
    }


URL_OR_EMPTY = "^$|^([hH][tT][tT][pP][sS]?|[fF][tT][pP][sS]?)://[^\\s\\u0000]+$"


def _is_url_or_empty(prop: dict) -> bool:
    branches = prop.get("oneOf") or []
    return (
        len(branches) == 2
        and {b.get("format") for b in branches} == {"uri", None}
        and any(b.get("maxLength") == 0 for b in branches)
    )


def url_or_empty_request(prop: dict) -> dict:
    """A URL or "" as one string schema (see ``declare_request_rules``)."""
    url = next(b for b in prop["oneOf"] if b.get("format") == "uri")
    result = {"type": "string", "pattern": URL_OR_EMPTY}
    if "maxLength" in url:
        result["maxLength"] = url["maxLength"]
    if "description" in prop:
        result["description"] = prop["description"]
    return result
