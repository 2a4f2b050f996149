"""Helpers for admin tests: users in the Editor/Viewer roles, and the admin's own forms as POST data.

Posting back what the admin page rendered (then changing one field) is what a person
does in the browser, and keeps the tests honest about the real forms and inlines.
"""

from __future__ import annotations

from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.urls import reverse

from ground import change_bus as changes


def ensure_roles() -> None:
    """Run the roles migration's own code: a transactional test's flush (browser tests) empties
    auth_group, and a reused test database keeps that state."""
    import_module("sources.migrations.0002_roles").create_roles(apps, None)


def make_user(username: str, group: str) -> User:
    ensure_roles()
    user = User.objects.create_user(username=username, password="pw-for-tests-only", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(db):
    return make_user("editor", "Editor")


@pytest.fixture
def viewer(db):
    return make_user("viewer", "Viewer")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def viewer_client(client, viewer):
    client.force_login(viewer)
    return client


@pytest.fixture
def heard():
    """Calls of a content-change listener (the statistics rebuild hooks in the same way)."""
    calls: list[int] = []

    def listener() -> None:
        calls.append(1)

    changes.on_content_change(listener)
    yield calls
    changes._listeners.remove(listener)


def _encode(value):
    if value is None:
        return ""
    if value is True:
        return "on"
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return str(value)


def _form_fields(form, data: dict) -> None:
    for name in form.fields:
        value = form[name].value()
        if value is False or value is None or value == []:
            continue
        data[form.add_prefix(name)] = _encode(value)


def form_data(response) -> dict:
    """The admin form (and its inline formsets) of a rendered add/change/revert page, as POST data."""
    data: dict = {}
    _form_fields(response.context["adminform"].form, data)
    for inline in response.context.get("inline_admin_formsets") or []:
        formset = inline.formset
        _form_fields(formset.management_form, data)
        for form in formset.forms:
            _form_fields(form, data)
    return data


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)
