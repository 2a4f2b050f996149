"""Shared fixtures: the real report loaded once per test database, and factories."""

import pytest
from django.core.cache import caches
from django.core.management import call_command

from dataset.loader import load_report
from ground.fragment_cache import forget_pinned
from search.index import rebuild_search_index

pytest_plugins = ["tests.admin_helpers"]  # editor/viewer users and clients, the change-listener probe


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the curated report once into the test database.

    pytest-django runs plain ``django_db`` tests before transactional ones, so the
    report is there for every non-transactional test; transactional tests that need it
    use the ``loaded_report`` fixture (their flush empties the tables).
    """
    with django_db_blocker.unblock():
        load_report()
        # A reused test database may hold an index built by older code: rebuild it.
        rebuild_search_index()


@pytest.fixture
def loaded_report(transactional_db):
    load_report()


@pytest.fixture
def call():
    def run(*args, **kwargs) -> str:
        from io import StringIO

        out = StringIO()
        call_command(*args, stdout=out, stderr=out, **kwargs)
        return out.getvalue()

    return run


# -- API clients: anonymous, authenticated without permissions, editor (model permissions) --
API_WRITE_MODELS = [
    ("periods", "actor"),
    ("periods", "event"),
    ("periods", "figure"),
    ("transfers", "transfer"),
    ("transfers", "project"),
    ("sources", "endnote"),
    ("sources", "source"),
    ("sources", "citation"),
]


def _token_client(user):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    client.user = user
    return client


@pytest.fixture
def api():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def no_perms_api(django_user_model):
    return _token_client(django_user_model.objects.create_user("reader", password="x"))


@pytest.fixture
def editor_api(django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("editor", password="x")
    for app_label, model in API_WRITE_MODELS:
        user.user_permissions.add(
            *Permission.objects.filter(
                content_type__app_label=app_label,
                codename__in=[f"{action}_{model}" for action in ("add", "change", "delete")],
            )
        )
    return _token_client(user)


@pytest.fixture
def fragment_cache(settings):
    """Page fragments and list counts cached per data version, as deployed (off in the
    test settings: rolled-back test transactions repeat data versions)."""
    settings.FRAGMENT_CACHE_SECONDS = 600
    caches[settings.RESPONSE_CACHE_ALIAS].clear()
    forget_pinned()
    yield
    caches[settings.RESPONSE_CACHE_ALIAS].clear()
    forget_pinned()
