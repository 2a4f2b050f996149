"""Small project middleware."""

from django.conf import settings
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import render


class AdminStyleCSPMiddleware:
    """Let the Django admin use inline ``style`` attributes, and only the admin.

    Django's admin templates and widgets set inline styles (for example on collapsed
    fieldsets and the related-object popups); the public site needs none. Inline styles
    cannot run script, so the admin keeps ``script-src 'self'`` unchanged. Listed after
    ``csp.middleware.CSPMiddleware`` so its response hook runs first.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = "/" + settings.ADMIN_URL_PREFIX.strip("/") + "/"

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(self.prefix):
            response._csp_update = {"style-src": ["'unsafe-inline'"]}
        return response


#: Characters no text column can store (PostgreSQL refuses NUL) and no form field accepts.
UNENCODABLE = ("\x00",)


def _unencodable(value: str) -> bool:
    if any(char in value for char in UNENCODABLE):
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return True
    return False


class RejectUnencodableQueryMiddleware:
    """Answer 400 naming the parameter when a query string carries a NUL (or other unencodable) character.

    Query parameters reach filters, searches, admin changelists and autocompletes, and
    several of them hand the text to the database, which fails on NUL with a 500.
    Refusing such a request once, here, covers every page, the API, ``/cite/`` and the
    admin alike (a form field would refuse the same value; a query string has no form).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        bad = sorted(
            {name for name, values in request.GET.lists() if _unencodable(name) or any(map(_unencodable, values))}
        )
        if not bad:
            return self.get_response(request)
        shown = [name.encode("unicode_escape").decode("ascii") for name in bad]
        message = "contains a character that cannot be stored (NUL)."
        if request.path.startswith("/api/"):
            return JsonResponse({name: [f"'{name}' {message}"] for name in shown}, status=400)
        problems = [f"Parameter “{name}” {message}" for name in shown]
        return render(request, "400.html", {"problems": problems}, status=400)


#: Methods that read: answered outside any transaction.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class AtomicWritesMiddleware:
    """Each write request in one transaction, whole or not at all; a read in none.

    This is what ``ATOMIC_REQUESTS`` did for writes, without its cost for reads, which
    need no transaction: under READ COMMITTED every statement takes its own snapshot
    either way, and the ``BEGIN`` and ``COMMIT`` round trips were a fifth of an API
    detail's time (paired, 100k records: 556 -> 682 and 594 -> 750 req/s). Django decides
    ``ATOMIC_REQUESTS`` per view, not per method, hence a middleware.

    A write answered with an error is rolled back whole: a view that raised (Django has
    made it a 500 by the time it reaches here), or one that answered 4xx (DRF's
    validation and permission errors, which under ``ATOMIC_REQUESTS`` DRF itself marked
    for rollback). Listed last, so the transaction holds the view only, as before.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in SAFE_METHODS:
            return self.get_response(request)
        with transaction.atomic():
            response = self.get_response(request)
            if response.status_code >= 400:
                transaction.set_rollback(True)
        return response
