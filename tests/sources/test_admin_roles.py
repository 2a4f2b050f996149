"""The Editor and Viewer roles, created by a migration, mean the same in the admin and the API."""

import pytest
from django.contrib.auth.models import Group
from rest_framework.permissions import DjangoModelPermissionsOrAnonReadOnly
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from ground.models import DataVersion
from tests.admin_helpers import admin_url, ensure_roles
from transfers.models import Transfer

pytestmark = pytest.mark.django_db

CONTENT = ["period", "actor", "event", "figure", "policyoption", "analysis", "transfer", "project"]
CONTENT += ["document", "source", "endnote", "endnotework", "citation"]


def _codenames(group: str) -> set[str]:
    ensure_roles()  # the migration's code; a reused test database may have lost the rows to a flush
    return set(Group.objects.get(name=group).permissions.values_list("codename", flat=True))


def test_editor_may_add_change_delete_and_view_all_content_and_nothing_else():
    expected = {f"{action}_{model}" for action in ("add", "change", "delete", "view") for model in CONTENT}
    assert _codenames("Editor") == expected


def test_viewer_may_only_view_content():
    assert _codenames("Viewer") == {f"view_{model}" for model in CONTENT}


def test_an_editor_cannot_reach_users_or_groups(editor_client):
    assert editor_client.get("/admin/auth/user/").status_code == 403
    assert editor_client.get("/admin/auth/group/").status_code == 403
    index = editor_client.get("/admin/").content.decode()
    assert "Arms transfers" in index
    assert "/admin/auth/" not in index


def test_nobody_edits_the_data_version(editor):
    assert not editor.has_perm("periods.change_dataversion")
    assert DataVersion._meta.model_name not in {c.split("_", 1)[1] for c in _codenames("Editor")}


class _TransferWrites(APIView):
    """Stands in for the API's transfer endpoint: same settings-wide permission class."""

    queryset = Transfer.objects.all()

    def get(self, request):
        return self._ok()

    def post(self, request):
        return self._ok()

    def delete(self, request):
        return self._ok()

    def _ok(self):
        from rest_framework.response import Response

        return Response({"ok": True})


@pytest.mark.parametrize(
    ("user", "method", "status"),
    [
        ("editor", "post", 200),
        ("editor", "delete", 200),
        ("viewer", "get", 200),
        ("viewer", "post", 403),
        ("viewer", "delete", 403),
        (None, "get", 200),
        (None, "post", 401),
    ],
)
def test_the_api_asks_the_same_model_permissions(request, user, method, status):
    from django.conf import settings

    assert settings.REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"] == [
        "rest_framework.permissions.DjangoModelPermissionsOrAnonReadOnly"
    ]
    assert _TransferWrites.permission_classes == [DjangoModelPermissionsOrAnonReadOnly]
    api_request = getattr(APIRequestFactory(), method)("/api/transfers/", {}, format="json")
    if user:
        force_authenticate(api_request, user=request.getfixturevalue(user))
    assert _TransferWrites.as_view()(api_request).status_code == status


def test_viewer_sees_lists_and_history_but_no_write_buttons(viewer_client):
    transfer = Transfer.objects.get(slug="s-400-2015")
    page = viewer_client.get(admin_url(Transfer, "changelist")).content.decode()
    assert "S-400" in page
    assert "Import" not in page
    assert "Recover deleted" not in page
    history = viewer_client.get(admin_url(Transfer, "history", transfer.pk))
    assert history.status_code == 200
    version = transfer.history.earliest("history_date")
    form = viewer_client.get(admin_url(Transfer, "simple_history", transfer.pk, version.history_id))
    assert 'name="_save"' not in form.content.decode()
