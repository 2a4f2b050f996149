"""A server process answers a few typical requests to itself before it takes a reader's.

Django imports the URLconf, and with it every view module, on the first request it
resolves; each view then compiles its templates, its lean API plan
(``ground.lean_rows``) and its URL templates (``ground.url_reversing``) the first time
it runs. Measured in a fresh process at 100,000 transfers: the first API detail took
256 ms (1.7 ms after), the first record page 104 ms, the first timeline page 259 ms.
Under load the requests queued behind those stalls too: the four slowest of 2,000
distinct API details sent to a fresh server (350-380 ms, against a median of 2 ms in
the process) were one worker's first four.

Apps register the paths that exercise their views (``answer_on_start``);
``gunicorn.conf.py``'s ``post_worker_init`` calls :func:`rehearse` after the fragment
cache's warm-up, so a worker's first reader is answered like its hundredth. The
requests go through the WSGI handler and every middleware as a reader's would (over
HTTPS, from the first allowed host), so they also fill what a middleware builds
lazily; they are anonymous reads, so they write nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit
from wsgiref.util import setup_testing_defaults

from django.conf import settings
from django.urls import get_resolver

logger = logging.getLogger(__name__)

#: A WSGI application: (environ, start_response) -> an iterable body.
WSGIApplication = Callable[[dict, Callable], Iterable[bytes]]

_paths: list[Callable[[], Iterable[str]]] = []


def answer_on_start(paths: Callable[[], Iterable[str]]) -> Callable[[], Iterable[str]]:
    """Have :func:`rehearse` request each path ``paths()`` gives (from ``AppConfig.ready``;
    called at start, so the paths can name records that exist then)."""
    _paths.append(paths)
    return paths


def rehearse(application: WSGIApplication) -> list[str]:
    """Import the URLconf, then have ``application`` (the process's own WSGI handler, whose
    middleware keep what they build) answer every registered path once.

    Never raises: a path that fails (a database that is down, a record deleted
    meanwhile) is logged and left to the first reader, as without this. Returns the
    paths that did not answer 200.
    """
    failed: list[str] = []
    try:
        resolver = get_resolver()
        resolver.url_patterns  # noqa: B018 - imports every URLconf and view module
    except Exception:
        logger.warning("Could not import the URLconf on start; the first request will.", exc_info=True)
        return ["<urlconf>"]
    for paths in _paths:
        try:
            listed = list(paths())
        except Exception:
            logger.warning("Could not list %s on start.", paths.__qualname__, exc_info=True)
            failed.append(paths.__qualname__)
            continue
        for path in listed:
            status = answer(application, path)
            if status != 200:
                logger.warning("Answering %s on start gave %s; its first reader builds what it needs.", path, status)
                failed.append(path)
    return failed


def answer(application: WSGIApplication, path: str) -> int | str:
    """The status of ``path`` answered by ``application`` (or the exception's name)."""
    parts = urlsplit(path)
    host = _host()
    # A GET over HTTPS (what a reader behind SECURE_SSL_REDIRECT sends); the standard
    # library fills in the rest of a valid WSGI environ (method, protocol, port 443, input).
    environ = {
        "PATH_INFO": parts.path,
        "QUERY_STRING": parts.query,
        "SERVER_NAME": host,
        "HTTP_HOST": host,
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "https",
    }
    setup_testing_defaults(environ)
    answered: list[str] = []
    try:
        response = application(environ, lambda status, headers, exc_info=None: answered.append(status))
        for _ in response:  # a streaming body is produced here
            pass
        response.close()
    except Exception as exc:
        logger.warning("Answering %s on start failed.", path, exc_info=True)
        return type(exc).__name__
    return int(answered[0].split()[0]) if answered else "no status"


def _host() -> str:
    """A host name ``ALLOWED_HOSTS`` accepts (``localhost`` when any is, or none is set)."""
    for allowed in settings.ALLOWED_HOSTS:
        name = allowed.lstrip(".")
        if name and name != "*":
            return name
    return "localhost"
