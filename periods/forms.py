"""Query-string forms: the timeline filters and the search box.

A plain Django form rather than a django-filter FilterSet: the timeline merges three
models (events, transfers, projects) that one FilterSet cannot filter together. The form
only validates the query string, names the bad parameter in its message, and turns the
valid values into ``TimelineFilters``; invalid values are dropped and reported, so
``?period=nope`` shows the page with a message, never a server error.
"""

from __future__ import annotations

from django import forms

from transfers.models import Transfer

from .models import Actor, Period
from .selectors import KIND_LABELS, TimelineFilters

YEAR_MIN, YEAR_MAX = 1900, 2100


class TimelineFilterForm(forms.Form):
    """The timeline's filters, validated against the periods and actors already fetched.

    Choices come from lists the view has already read (the period bands, the actor
    list), so validating and rendering the form costs no query of its own.
    """

    period = forms.ChoiceField(required=False, label="Period")
    type = forms.ChoiceField(
        required=False,
        label="Record type",
        choices=[("", "All types"), *KIND_LABELS.items()],
    )
    category = forms.ChoiceField(
        required=False,
        label="Category (transfers)",
        choices=[("", "All categories"), *Transfer.Category.choices],
    )
    direction = forms.ChoiceField(
        required=False,
        label="Direction (transfers)",
        choices=[
            ("", "Both directions"),
            (Transfer.Direction.RU_CN, Transfer.Direction.RU_CN.label),
            (Transfer.Direction.CN_RU, Transfer.Direction.CN_RU.label),
        ],
    )
    actor = forms.ChoiceField(required=False, label="Actor")
    undated = forms.BooleanField(required=False, label="Include records the report does not date")

    def __init__(self, data=None, *, periods: list[Period], actors: list[Actor]):
        super().__init__(data)
        self._periods = {p.slug: p for p in periods}
        self._actors = {a.slug: a for a in actors}
        self.fields["period"].choices = [("", "All periods"), *((p.slug, p.years) for p in periods)]
        self.fields["actor"].choices = [("", "All actors"), *((a.slug, a.name) for a in actors)]
        # "from" is a Python keyword, so the year fields are added by name here; the
        # query-string names are the short ones people type (?from=2014&to=2019).
        for name, label in (("from", "From year"), ("to", "To year")):
            self.fields[name] = forms.IntegerField(
                required=False,
                label=label,
                min_value=YEAR_MIN,
                max_value=YEAR_MAX,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "placeholder": "year"}),
                error_messages={
                    "invalid": "must be a year such as 2014.",
                    "min_value": "must be %(limit_value)s or later.",
                    "max_value": "must be %(limit_value)s or earlier.",
                },
            )
        order = ["period", "type", "category", "direction", "from", "to", "actor", "undated"]
        self.order_fields(order)
        for name, field in self.fields.items():
            if isinstance(field, forms.ChoiceField):
                field.error_messages["invalid_choice"] = "is not one of the choices."
            field.widget.attrs.setdefault("id", f"filter-{name}")

    def clean(self):
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start is not None and end is not None and start > end:
            self.add_error("to", f"must not be before the start year ({start}).")
        return data

    def filters(self) -> TimelineFilters:
        """The valid filters (invalid ones left out); call after ``is_valid()``."""
        data = getattr(self, "cleaned_data", {})
        return TimelineFilters(
            period=self._periods.get(data.get("period") or ""),
            kind=data.get("type") or "",
            category=data.get("category") or "",
            direction=data.get("direction") or "",
            year_from=data.get("from"),
            year_to=data.get("to"),
            actor=self._actors.get(data.get("actor") or ""),
            undated=bool(data.get("undated")),
        )

    def problems(self) -> list[str]:
        """One plain sentence per bad parameter, naming it and the rule it broke."""
        problems = []
        for name, messages in self.errors.items():
            value = str(self.data.get(name, ""))
            value = value if len(value) <= 40 else value[:39] + "…"
            problems += [f"Filter “{name}” was ignored: “{value}” {message}" for message in messages]
        return problems


class SearchForm(forms.Form):
    q = forms.CharField(
        required=False,
        max_length=200,
        label="Search",
        strip=True,
        error_messages={"max_length": "must be at most %(limit_value)d characters (it has %(show_value)d)."},
    )

    def problems(self) -> list[str]:
        return [f"{name}: {message}" for name, messages in self.errors.items() for message in messages]
