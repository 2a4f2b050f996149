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
    "409": "The record is still referenced by others and cannot be deleted.",
    "413": "The request body is larger than DATA_UPLOAD_MAX_MEMORY_SIZE.",
    "429": "Too many requests from an anonymous client; retry after Retry-After seconds.",
    "500": "A server error.",
    "503": "The database is unreachable; retry after Retry-After seconds.",
}
WRITES = {"post", "put", "patch", "delete"}


def add_error_responses(result: dict, generator, request, public) -> dict:
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            codes = ["400", "404", "406", "429", "500", "503"]
            if method == "get" and "{" not in path:  # a list: its whole-selection exports
                codes.append("403")
            if method in WRITES:
                codes += ["401", "403", "413"]
            if method == "delete":
                codes.append("409")
            for code in codes:
                operation["responses"].setdefault(code, {"description": ERRORS[code], "content": content})
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
