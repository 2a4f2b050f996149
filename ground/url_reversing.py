"""``reverse()`` for the URLs every API row carries, from a template per URL pattern.

Why not Django's ``reverse`` alone: an API list of 50 transfers builds about 250 URLs
(each record's API and page address, each citation's endnote addresses) and Django
matches the pattern again for each, about 70 µs a call: a quarter of an uncached
list's server time (measured with cProfile). Here each (URL configuration, view name,
argument names) is reversed once, with placeholder values, into a template; later
calls put the real values in. Only keyword arguments made of the characters all our
converters accept unquoted (letters, digits, hyphen, underscore: slugs and numbers)
take that path, and only for patterns whose template came out unambiguous; every
other call is Django's own ``reverse``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf
from django.urls import reverse as django_reverse

SAFE_VALUE = re.compile(r"[-a-zA-Z0-9_]+\Z")
DIGITS = re.compile(r"[0-9]+\Z")
# Digits pass every converter (int, slug, str); the run is long enough not to occur
# in a route by chance, and the template is rejected if it does.
PLACEHOLDER = "90817263{}"
# Accepted in an argument's place only by converters taking all of SAFE_VALUE (slug,
# str, path); where it is refused the argument takes digits only (int).
WORDY = "Zq-_x"

Template = tuple[tuple[str, ...], tuple[str, ...], tuple[re.Pattern, ...]]
_templates: dict[tuple, Template | None] = {}


def reverse(viewname: str, urlconf=None, args=None, kwargs=None, current_app=None) -> str:
    """Drop-in for ``django.urls.reverse``; fast for slug and number keyword arguments."""
    if urlconf or args or current_app or not kwargs or not all(SAFE_VALUE.match(str(v)) for v in kwargs.values()):
        return django_reverse(viewname, urlconf=urlconf, args=args, kwargs=kwargs, current_app=current_app)
    return reverser(viewname, *kwargs)(**kwargs)


def reverser(viewname: str, *names: str) -> Callable[..., str]:
    """``reverse(viewname, kwargs=...)`` for many calls with these argument names: the
    template is looked up once, here, so each call only fills it in.

    For a page of API rows (``ground.lean_rows``): 50 records' addresses are 50 calls,
    and the lookup (the URL configuration and script prefix, read from thread locals)
    was most of each. Call it per request, since the script prefix is per request.
    """
    key = (settings.ROOT_URLCONF, get_urlconf(), get_script_prefix(), viewname, tuple(sorted(names)))
    if key not in _templates:
        _templates[key] = _template(viewname, key[-1])
    template = _templates[key]

    def fill(**kwargs) -> str:
        if template is None:
            return django_reverse(viewname, kwargs=kwargs)
        pieces, order, accepts = template
        out = [pieces[0]]
        for name, piece, accepted in zip(order, pieces[1:], accepts, strict=True):
            value = str(kwargs[name])
            if not accepted.match(value):
                return django_reverse(viewname, kwargs=kwargs)  # Django quotes it, or raises NoReverseMatch
            out += (value, piece)
        return "".join(out)

    return fill


def _template(viewname: str, names: tuple[str, ...]) -> Template | None:
    """The URL split around each argument's place, the arguments in URL order, and
    what each argument's converter accepts."""
    placeholders = {name: PLACEHOLDER.format(i) for i, name in enumerate(names)}
    try:
        url = django_reverse(viewname, kwargs=placeholders)
    except NoReverseMatch:
        return None
    found = sorted((url.find(value), name) for name, value in placeholders.items())
    if any(position < 0 or url.count(placeholders[name]) != 1 for position, name in found):
        return None
    pieces, start = [], 0
    for position, name in found:
        pieces.append(url[start:position])
        start = position + len(placeholders[name])
    pieces.append(url[start:])
    order = tuple(name for _, name in found)
    return tuple(pieces), order, tuple(_accepts(viewname, placeholders, name) for name in order)


def _accepts(viewname: str, placeholders: dict[str, str], name: str) -> re.Pattern:
    try:
        django_reverse(viewname, kwargs={**placeholders, name: WORDY})
    except NoReverseMatch:
        return DIGITS
    return SAFE_VALUE
