"""The one timeline query: which records does the reader (or client) ask for?

``TimelineFilterSet`` validates the query string of the home page, ``/api/timeline/``,
its exports and the citing selection (``/cite/``, ``/cite/endnotes.*``), and renders
the page's filter form. It does not filter a queryset itself: the timeline spans
several tables, so ``TimelineQuery`` carries the valid values to
``timeline.selectors.timeline_querysets``, which applies them to each record type.

What each parameter means (the README says the same):

- ``type``: only these record types (event, transfer, project, figure); repeatable.
- ``period``: records the report places in this period (its slug).
- ``category``, ``direction``: transfers of this category / direction. Setting either
  leaves only arms transfers, since no other type has them.
- ``from``, ``to``: records whose date span touches these years (inclusive). "2011-2012"
  is found from 2012 and to 2011. Records without a date are never in a year range.
- ``actor``: records naming this actor (slug), or for a state also its organisations and
  people (``actor=russia`` finds Rostec's deals). Figures name no actors.
- ``system``: records concerning this weapon system (slug): its deals, projects, events
  and figures, linked by the curators, whatever name the text uses.
- ``endnote``: records citing the endnote with this number.
- ``q``: the records the search index finds for these words (the search page's query
  language: README, Search).
- ``undated``: also list the records the report does not date (after the dated ones).
- ``ordering``: ``date`` (default; start, end, type, slug) or ``-date``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import django_filters
from django import forms

from ground.filtersets import FewRowsChoiceFilter, FilterSet
from ground.widgets import QuickSelect
from periods.models import Actor, Period
from sources.filters import BooleanFilter, IntegerFilter, SlugChoiceFilter, StrictCheckboxInput, YearFilter
from systems.models import System
from transfers.models import Transfer

from .record_types import RECORD_TYPES

# Canonical parameter order for links built from a query.
PARAMS = (
    "type", "period", "category", "direction", "from", "to", "actor", "system", "endnote", "q", "undated", "ordering",
)  # fmt: skip


class TimelineForm(forms.Form):
    """The filters' form: messages that read after the parameter's name, and from <= to."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for form_field in self.fields.values():
            form_field.error_messages.update(
                invalid_choice="is not one of the choices.",
                invalid_pk_value="is not one of the choices.",
                invalid="must be a whole number such as 2014.",
                min_value="must be %(limit_value)s or more.",
                max_value="must be %(limit_value)s or less.",
                max_length="must be at most %(limit_value)d characters (it has %(show_value)d).",
            )

    def clean(self):
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start is not None and end is not None and start > end:
            message = f"must not be before the start year ({start})."
            self.add_error("to", forms.ValidationError(message, code="empty_range"))
        return data


class TimelineFilterSet(FilterSet):
    """Validation and form of the timeline's filters (meanings in the module docstring)."""

    type = django_filters.MultipleChoiceFilter(
        choices=[(slug, rt.plural) for slug, rt in RECORD_TYPES.items()],
        widget=forms.CheckboxSelectMultiple,
        label="Record types",
        help_text="Only these record types (repeat the parameter for several).",
    )
    # Every select writes its options in Python (``QuickSelect``): rendered by Django's
    # templates, the four short ones were 2.6 of a home page's 6.6 ms of form at 100k
    # records, the periods' read once more per page.
    period = FewRowsChoiceFilter(
        to_field_name="slug", queryset=Period.objects.all(), empty_label="All periods", label="Period",
        widget=QuickSelect,
    )  # fmt: skip
    category = django_filters.ChoiceFilter(
        choices=Transfer.Category.choices, empty_label="All categories", label="Category (arms transfers)",
        widget=QuickSelect,
    )  # fmt: skip
    direction = django_filters.ChoiceFilter(
        choices=Transfer.Direction.choices, empty_label="Both directions", label="Direction (arms transfers)",
        widget=QuickSelect,
    )  # fmt: skip
    actor = SlugChoiceFilter(
        queryset=Actor.objects.order_by("name"),
        empty_label="All actors",
        label="Actor",
        help_text="Records naming this actor, or for a state also its organisations and people.",
    )
    system = SlugChoiceFilter(
        queryset=System.objects.order_by("name"),
        empty_label="All systems",
        label="Weapon system",
        help_text="Records concerning this weapon system, platform or engine (slug, e.g. s-400).",
    )
    endnote = IntegerFilter(label="Citing endnote", help_text="Records citing the endnote with this number.")
    q = django_filters.CharFilter(
        max_length=200,
        label="Words",
        help_text='As on the search page: every word; "a phrase", -exclude, or; S400 = S-400; defence = defense.',
    )
    undated = BooleanFilter(widget=StrictCheckboxInput, label="Also list records the report gives no year for")
    ordering = django_filters.ChoiceFilter(
        choices=[("date", "Oldest first"), ("-date", "Newest first")], empty_label=None, label="Order",
        widget=QuickSelect,
    )  # fmt: skip

    class Meta:
        model = Transfer  # for schema introspection only: the query spans every record type
        fields: list[str] = []
        form = TimelineForm


# "from" is a Python keyword, so the year filters are added by name: the query-string
# names are the short ones people type (?from=2014&to=2019).
for _name, _label in (("from", "From year"), ("to", "To year")):
    _year = YearFilter(
        label=_label,
        help_text=f"Records whose dates touch this year or {'later' if _name == 'from' else 'earlier'}.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "placeholder": "year"}),
    )
    TimelineFilterSet.declared_filters[_name] = _year
    TimelineFilterSet.base_filters[_name] = _year
TimelineFilterSet.base_filters = {name: TimelineFilterSet.base_filters[name] for name in PARAMS}


@dataclass(frozen=True)
class TimelineQuery:
    """Valid timeline filters; empty values mean "no filter"."""

    types: tuple[str, ...] = ()
    period: Period | None = None
    category: str = ""
    direction: str = ""
    year_from: int | None = None
    year_to: int | None = None
    actor: Actor | None = None
    system: System | None = None
    endnote: int | None = None
    q: str = ""
    undated: bool = False
    descending: bool = False
    problems: dict[str, list[str]] = field(default_factory=dict, compare=False)

    @property
    def kinds(self) -> tuple[str, ...]:
        """The record types these filters can match.

        Category and direction describe arms transfers only, so either one narrows the
        timeline to transfers rather than silently keeping undirected events; an actor
        filter leaves out figures, which name no actors.
        """
        kinds = [
            slug
            for slug, rt in RECORD_TYPES.items()
            if not (self.category or self.direction) or rt.transfers_only_filters
        ]
        return tuple(k for k in kinds if not self.types or k in self.types)

    def params(self) -> list[tuple[str, str]]:
        """The filters as query-string pairs (only those set), in canonical order."""
        pairs = [("type", t) for t in self.types]
        single = {
            "period": self.period.slug if self.period else "",
            "category": self.category,
            "direction": self.direction,
            "from": "" if self.year_from is None else str(self.year_from),
            "to": "" if self.year_to is None else str(self.year_to),
            "actor": self.actor.slug if self.actor else "",
            "system": self.system.slug if self.system else "",
            "endnote": "" if self.endnote is None else str(self.endnote),
            "q": self.q,
            "undated": "1" if self.undated else "",
            "ordering": "-date" if self.descending else "",
        }
        return pairs + [(name, value) for name, value in single.items() if value]

    @property
    def active(self) -> bool:
        """Whether any filter narrows the records (showing undated ones or ordering is not one)."""
        return any(name not in ("undated", "ordering") for name, _ in self.params())

    def describe(self) -> str:
        """A one-line summary of the active filters, for headings and file titles."""
        labels = {
            "type": lambda v: RECORD_TYPES[v].plural.lower(),
            "period": lambda v: self.period.years,
            "actor": lambda v: self.actor.name,
            "system": lambda v: self.system.name,
            "from": lambda v: f"from {v}",
            "to": lambda v: f"to {v}",
            "endnote": lambda v: f"citing endnote {v}",
            "q": lambda v: f"“{v}”",
            "category": lambda v: Transfer.Category(v).label,
            "direction": lambda v: Transfer.Direction(v).label,
        }
        parts = [labels[name](value) for name, value in self.params() if name in labels]
        return ", ".join(parts)


def timeline_query(data, *, request=None, empty_range_selects_nothing: bool = False) -> TimelineQuery:
    """Validate a query string into a ``TimelineQuery``.

    Invalid parameters are left out and reported in ``problems`` (parameter name ->
    messages): the page shows the rest with a message, the API and downloads answer 400.
    ``empty_range_selects_nothing``: a ``to`` before ``from`` is not a problem but a range
    with no years in it (the API answers it as the record lists do: no records).
    """
    filterset = TimelineFilterSet(data, queryset=Transfer.objects.none(), request=request)
    form = filterset.form
    valid = form.is_valid()
    to_errors = form.errors.as_data().get("to", []) if not valid else []
    if empty_range_selects_nothing and set(form.errors) == {"to"} and all(e.code == "empty_range" for e in to_errors):
        form.cleaned_data["to"] = int(data["to"])
        valid = True
    if not valid:
        problems = {name: list(messages) for name, messages in form.errors.items()}
        kept = data.copy() if hasattr(data, "copy") else dict(data)
        for name in problems:
            kept.pop(name, None)
        form = TimelineFilterSet(kept, queryset=Transfer.objects.none(), request=request).form
        form.is_valid()
    else:
        problems = {}
    values = getattr(form, "cleaned_data", {})
    return TimelineQuery(
        types=tuple(values.get("type") or ()),
        period=values.get("period"),
        category=values.get("category") or "",
        direction=values.get("direction") or "",
        year_from=values.get("from"),
        year_to=values.get("to"),
        actor=values.get("actor"),
        system=values.get("system"),
        endnote=values.get("endnote"),
        q=(values.get("q") or "").strip(),
        undated=bool(values.get("undated")),
        descending=values.get("ordering") == "-date",
        problems=problems,
    )


def timeline_form(data, *, request=None) -> forms.Form:
    """The filter form for a page, bound to the query string (errors shown at their fields)."""
    form = TimelineFilterSet(data, queryset=Transfer.objects.none(), request=request).form
    form.is_valid()
    for name, field_ in form.fields.items():
        field_.widget.attrs.setdefault("id", f"filter-{name}")
    return form
