"""Django's form renderer, writing its plainest widget templates in Python.

Why: every ``<input>`` of a form is rendered through two or three templates
(``text.html`` includes ``input.html``, which includes ``attrs.html``), each render
building a context and walking nodes. The timeline's filter form has twelve fields and
five record-type checkboxes: its inputs were 3.8 ms of a 26 ms home page at 100k
records (template timing), on every page, since each filter combination is a new form.
No maintained package writes Django's widget markup without its templates (the
alternatives swap the template engine, and the markup with it), so this renderer
writes the few templates whose whole text is below, byte for byte, and hands every
other template (selects, the admin's widgets, a project's own) to Django's engine.

``tests/test_form_renderer.py`` holds the output equal to Django's own renderer for
every widget these templates serve, with escaping, booleans, lazy and safe strings.
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

from .widgets import html_attrs

#: Templates whose whole text is ``{% include "django/forms/widgets/input.html" %}``
#: (Django 5.2's ``django/forms/templates``).
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "input", "checkbox", "color", "date", "datetime", "email", "file", "hidden", "number", "password",
        "search", "tel", "text", "time", "url",
    )
)  # fmt: skip
#: Templates whose whole text is ``{% include "django/forms/widgets/input_option.html" %}``.
OPTION_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html" for name in ("input_option", "checkbox_option", "radio_option")
)


class QuickWidgetRenderer(DjangoTemplates):
    """``DjangoTemplates`` with the ``<input>`` templates written in Python (see the module)."""

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if widget is not None and _writable(widget):
            if template_name in INPUT_TEMPLATES:
                return _input(widget)
            if template_name in OPTION_TEMPLATES:
                return _input_option(widget)
        return super().render(template_name, context, request)


def _writable(widget: dict) -> bool:
    """Values the templates write as ``str()`` does: text, and booleans and whole numbers
    where they pass through ``stringformat`` (the value, the attributes). Anything else (a
    date, a float, a number where ``{{ }}`` would localise it) goes to the template engine."""
    texts = (widget.get("type"), widget.get("name"), widget.get("label"))
    formatted = (widget.get("value"), *widget.get("attrs", {}).values())
    return all(v is None or isinstance(v, str | Promise) for v in texts) and all(
        v is None or isinstance(v, str | Promise | bool) or type(v) is int for v in formatted
    )


def _formatted(value) -> str:
    """``{{ value|stringformat:'s' }}``: ``str()``, safe if the value was (the filter is
    ``is_safe``), then escaped unless safe."""
    text = "%s" % value  # noqa: UP031 - the filter's own operation, kept visible
    return conditional_escape(mark_safe(text) if isinstance(value, SafeData) else text)  # noqa: S308 - was safe


def _input(widget: dict) -> str:
    """``django/forms/widgets/input.html`` (with ``attrs.html``)."""
    value = widget["value"]
    written = "" if value is None else f' value="{_formatted(value)}"'
    head = f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
    return mark_safe(f"{head}{written}{html_attrs(widget['attrs'])}>")  # noqa: S308 - every value escaped


def _input_option(widget: dict) -> str:
    """``django/forms/widgets/input_option.html``: the input, in its label when asked."""
    if not widget.get("wrap_label"):
        return _input(widget)
    element_id = widget["attrs"].get("id")
    opening = f'<label for="{conditional_escape(element_id)}">' if element_id else "<label>"
    # The included input.html ends in a newline, kept inside the label (the renderer
    # strips only the outer ends).
    return mark_safe(f"{opening}{_input(widget)}\n {conditional_escape(widget['label'])}</label>")  # noqa: S308
