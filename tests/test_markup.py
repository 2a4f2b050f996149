"""``ground.markup.escape`` writes what Django's ``conditional_escape`` writes, for the
values Python-written markup holds: text with every character HTML gives meaning to,
numbers, markup already safe, lazy translations."""

import pytest
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from ground.markup import escape

VALUES = [
    "A <b>\"bold\"</b> & 'odd' title",
    "S-400 «Triumf» — 2015–2018, 24 × 1.5 bn",
    "",
    42,
    3.5,
    None,
    mark_safe("<em>already markup</em> & kept"),
    gettext_lazy("Arms transfer"),
]


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_escape_is_djangos_conditional_escape(value):
    assert escape(value) == conditional_escape(value)
