"""The API's JSON parser: bounded in size and nesting.

DRF reads a JSON body straight from the request stream, bypassing Django's
``DATA_UPLOAD_MAX_MEMORY_SIZE`` check, and Python's ``json`` recurses once per nesting
level, so ``[`` x 5000 raised ``RecursionError`` (a 500). Here the declared size is
checked first (413) and nesting deeper than ``API_JSON_MAX_DEPTH`` is a 400; no record
needs more than a few levels.
"""

from __future__ import annotations

from django.conf import settings
from rest_framework import exceptions, status
from rest_framework.parsers import JSONParser
from rest_framework.utils import json

from .errors import too_large_detail


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "payload_too_large"


def nesting_depth(text: str) -> int:
    """How deeply arrays and objects nest in ``text`` (brackets inside strings don't count)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        length = int(request.META.get("CONTENT_LENGTH") or 0) if request is not None else 0
        if limit is not None and length > limit:
            raise PayloadTooLarge(too_large_detail())
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        raw = stream.read(limit + 1 if limit is not None else -1) if stream is not None else b""
        if limit is not None and len(raw) > limit:  # no or a false Content-Length
            raise PayloadTooLarge(too_large_detail())
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as exc:
            raise exceptions.ParseError(f"JSON parse error - the body is not valid {encoding}.") from exc
        max_depth = settings.API_JSON_MAX_DEPTH
        if nesting_depth(text) > max_depth:
            raise exceptions.ParseError(f"JSON parse error - nested deeper than {max_depth} levels.")
        try:
            return json.loads(text, parse_constant=json.strict_constant if self.strict else None)
        except ValueError as exc:
            raise exceptions.ParseError(f"JSON parse error - {exc}") from exc
