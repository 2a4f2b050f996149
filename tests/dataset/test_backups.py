"""A backup restored gives back exactly the same knowledge base."""

import stat

import pytest
from django.contrib.auth.models import User

from ground.models import DataVersion
from periods.models import Event
from tests.factories import EventFactory


def snapshot(client) -> dict[str, bytes]:
    pages = ["/", "/transfers/s-400-2015/", "/notes/csis-mtc-primer-2020/31/", "/events/2008-ip-agreement/"]
    return {page: client.get(page).content for page in pages}


def test_backup_then_restore_round_trips(loaded_report, call, client, tmp_path):
    # Transactional: a restore flushes and recreates content types, as it does in real use.
    User.objects.create_user("analyst", password="pw-123456789")
    EventFactory(slug="added-by-hand", title="Added by hand", period=Event.objects.first().period)
    before_pages = snapshot(client)
    before_version = DataVersion.current().version
    path = tmp_path / "backup.json"
    assert "Backup written" in call("backup", str(path))

    Event.objects.filter(slug="added-by-hand").delete()
    Event.objects.filter(slug="1992-mtc-agreement").update(title="vandalised")

    assert "Restored" in call("restore", str(path))
    assert snapshot(client) == before_pages
    assert Event.objects.filter(slug="added-by-hand").exists()
    assert User.objects.filter(username="analyst").exists()
    # The version moves past every version seen before, so no cache can serve old data.
    assert DataVersion.current().version > before_version + 2


@pytest.mark.django_db
def test_restore_of_a_missing_file_fails_clearly(call, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No backup at"):
        call("restore", str(tmp_path / "nope.json"))


@pytest.mark.parametrize("existing", [False, True])
@pytest.mark.django_db
def test_the_backup_file_is_readable_by_its_owner_only(call, tmp_path, existing, django_user_model):
    """It holds password hashes and API tokens."""
    django_user_model.objects.create_user("holder", password="pw-123456789")
    path = tmp_path / "backup.json"
    if existing:
        path.write_text("old")
        path.chmod(0o644)
    call("backup", str(path))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert '"model": "auth.user"' in path.read_text()
