"""What every content model's admin must do, for an editor and (refused) for a viewer.

Each app's ``test_admin.py`` parametrizes ``AdminContract`` with a ``Spec`` per model:
add, change (and see the diff in history), revert from history, delete and recover,
a viewer refused at every write, and each write reaching the content-change listeners
(the statistics rebuild) exactly once per request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.utils.text import capfirst

from tests.admin_helpers import admin_url, form_data


@dataclass
class Spec:
    model: type[models.Model]
    make: Callable[[], models.Model]
    add: Callable[[], dict]
    field: str
    new_value: str

    def __str__(self) -> str:
        return self.model.__name__


def _post_form(client, url: str, changes: dict):
    page = client.get(url)
    assert page.status_code == 200, url
    data = {**form_data(page), **changes}
    return client.post(url, data)


def _assert_redirect(response) -> None:
    errors = ""
    if response.status_code == 200 and response.context and "adminform" in response.context:
        errors = response.context["adminform"].form.errors
    assert response.status_code == 302, errors


class AdminContract:
    def test_editor_adds_a_record_and_history_says_who(self, spec, editor_client, editor):
        before = spec.model.objects.count()
        response = _post_form(editor_client, admin_url(spec.model, "add"), spec.add())
        _assert_redirect(response)
        assert spec.model.objects.count() == before + 1
        created = spec.model.history.filter(history_type="+").latest("history_date")
        assert created.history_user == editor

    def test_editor_changes_sees_the_diff_and_reverts(self, spec, editor_client, editor):
        obj = spec.make()
        old_value = getattr(obj, spec.field)
        first_version = obj.history.earliest("history_date")

        response = _post_form(editor_client, admin_url(spec.model, "change", obj.pk), {spec.field: spec.new_value})
        _assert_redirect(response)
        obj.refresh_from_db()
        assert getattr(obj, spec.field) == spec.new_value

        history = editor_client.get(admin_url(spec.model, "history", obj.pk))
        label = capfirst(spec.model._meta.get_field(spec.field).verbose_name)
        changed = [c for r in history.context["page_obj"] for c in getattr(r, "history_delta_changes", [])]
        assert [(c["old"], c["new"]) for c in changed if c["field"] == label] == [(str(old_value), spec.new_value)]
        assert "editor" in history.content.decode()

        revert_url = admin_url(spec.model, "simple_history", obj.pk, first_version.history_id)
        _assert_redirect(_post_form(editor_client, revert_url, {}))
        obj.refresh_from_db()
        assert getattr(obj, spec.field) == old_value
        latest = obj.history.latest("history_date")
        assert (latest.history_user, latest.history_change_reason) == (editor, "Reverted from history")

    def test_editor_deletes_and_recovers_a_record(self, spec, editor_client):
        obj = spec.make()
        pk, value = obj.pk, getattr(obj, spec.field)
        response = editor_client.post(admin_url(spec.model, "delete", pk), {"post": "yes"})
        assert response.status_code == 302
        assert not spec.model.objects.filter(pk=pk).exists()

        listing = editor_client.get(admin_url(spec.model, "recoverlist"))
        record = next(r for r in listing.context["records"] if r.instance.pk == pk)
        response = editor_client.post(admin_url(spec.model, "recover", record.history_id))
        assert response.status_code == 302
        assert getattr(spec.model.objects.get(pk=pk), spec.field) == value
        assert not any(
            r.instance.pk == pk for r in editor_client.get(admin_url(spec.model, "recoverlist")).context["records"]
        )

    def test_viewer_may_look_but_every_write_is_refused(self, spec, viewer_client):
        obj = spec.make()
        value = getattr(obj, spec.field)
        version = obj.history.earliest("history_date")
        assert viewer_client.get(admin_url(spec.model, "changelist")).status_code == 200
        assert viewer_client.get(admin_url(spec.model, "change", obj.pk)).status_code == 200
        refused = [
            viewer_client.get(admin_url(spec.model, "add")),
            viewer_client.post(admin_url(spec.model, "add"), {spec.field: spec.new_value}),
            viewer_client.post(admin_url(spec.model, "change", obj.pk), {spec.field: spec.new_value}),
            viewer_client.post(admin_url(spec.model, "delete", obj.pk), {"post": "yes"}),
            viewer_client.post(admin_url(spec.model, "simple_history", obj.pk, version.history_id), {}),
            viewer_client.get(admin_url(spec.model, "recoverlist")),
        ]
        assert [r.status_code for r in refused] == [403] * len(refused)
        obj.refresh_from_db()
        assert getattr(obj, spec.field) == value

    def test_each_admin_write_reaches_the_change_listeners_once_per_request(
        self, spec, editor_client, heard, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):  # as if committed before the requests
            obj = spec.make()
        heard.clear()
        version = obj.history.earliest("history_date")
        requests = [
            lambda: _post_form(editor_client, admin_url(spec.model, "change", obj.pk), {spec.field: spec.new_value}),
            lambda: _post_form(editor_client, admin_url(spec.model, "simple_history", obj.pk, version.history_id), {}),
            lambda: editor_client.post(admin_url(spec.model, "delete", obj.pk), {"post": "yes"}),
            lambda: editor_client.post(
                admin_url(spec.model, "recover", obj.history.filter(history_type="-").get().history_id)
            ),
        ]
        for number, request in enumerate(requests, start=1):
            with django_capture_on_commit_callbacks(execute=True):
                assert request().status_code == 302
            assert heard == [1] * number
