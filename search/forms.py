"""The search box."""

from __future__ import annotations

from django import forms


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
