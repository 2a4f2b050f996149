"""The search box and its facet parameters."""

from __future__ import annotations

from django import forms

from periods.models import Period
from systems.models import System

from .selectors import KIND_LABELS, SearchFilters


class SearchForm(forms.Form):
    q = forms.CharField(
        required=False,
        max_length=200,
        label="Search",
        strip=True,
        error_messages={"max_length": "must be at most %(limit_value)d characters (it has %(show_value)d)."},
    )
    type = forms.ChoiceField(required=False, choices=[("", "any"), *KIND_LABELS.items()])
    period = forms.ModelChoiceField(required=False, queryset=Period.objects.all(), to_field_name="slug")
    system = forms.ModelChoiceField(required=False, queryset=System.objects.all(), to_field_name="slug")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages.setdefault("invalid_choice", "is not one of the choices.")
            field.error_messages["invalid_choice"] = "is not one of the choices."

    def filters(self) -> SearchFilters:
        """The valid parameters (a bad one is left out and named in ``problems``)."""
        data = getattr(self, "cleaned_data", {})
        period, system = data.get("period"), data.get("system")
        return SearchFilters(
            q=data.get("q", "") or "",
            kind=data.get("type", "") or "",
            period=period.slug if period else "",
            system=system.slug if system else "",
        )

    def problems(self) -> list[str]:
        messages = []
        for name, errors in self.errors.items():
            if name == "q":
                messages += [f"q: {error}" for error in errors]
                continue
            value = str(self.data.get(name, ""))[:40]
            messages += [f"Filter “{name}” was ignored: “{value}” {error}" for error in errors]
        return messages
