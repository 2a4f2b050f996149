"""Shared fixtures: the real report loaded once per test database, and factories."""

import pytest
from django.core.management import call_command

from periods.loader import load_report
from periods.search import rebuild_search_index

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
