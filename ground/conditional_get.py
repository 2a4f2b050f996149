"""Conditional GET for the API: ETag and Last-Modified from the data version.

Every committed content write bumps ``ground.models.DataVersion`` inside its own
transaction (``ground.change_bus``), so (version, URL, format) identifies a response's
content exactly: a client's validator can only match when nothing was written since.
The version is read before the data, so a response can never carry a validator newer
than its content. Browsable-API HTML is left out: it embeds the user and CSRF tokens.
"""

from __future__ import annotations

import hashlib

from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, quote_etag
from rest_framework.response import Response

from ground.response_cache import live_stamp

NOT_CACHEABLE_FORMATS = {"api"}


class ConditionalGetMixin:
    """Answer a matching If-None-Match / If-Modified-Since with 304, before any data query."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self._validators = None
        if request.method not in ("GET", "HEAD") or request.accepted_renderer.format in NOT_CACHEABLE_FORMATS:
            return
        version = live_stamp()
        key = f"{version.version}|{request.accepted_media_type}|{request.get_full_path()}"
        etag = quote_etag(hashlib.sha256(key.encode()).hexdigest()[:32])
        last_modified = int(version.changed_at.timestamp()) if version.changed_at else None
        self._validators = (etag, last_modified)
        # Django's own evaluation of If-None-Match / If-Modified-Since (RFC 9110 order).
        answer = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if answer is not None:
            raise NotModified(answer.status_code)

    def handle_exception(self, exc):
        if isinstance(exc, NotModified):
            return Response(status=exc.status)
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        validators = getattr(self, "_validators", None)
        if validators and response.status_code in (200, 304):
            etag, last_modified = validators
            response["ETag"] = etag
            if last_modified is not None:
                response["Last-Modified"] = http_date(last_modified)
            patch_vary_headers(response, ["Accept"])
        return response


class NotModified(Exception):
    """Raised from ``initial()`` to stop a GET whose validators match; answered with 304 (or 412)."""

    def __init__(self, status: int = 304):
        super().__init__(status)
        self.status = status
