"""A started worker answers its first reader like its hundredth.

A fresh process imported the URLconf and every view module on its first request, and
each view compiled its templates on its first use: the first API record took 256 ms
where the next took 1.7 ms, and under load the requests behind it waited too.
``ground.worker_start.rehearse`` (gunicorn's ``post_worker_init``) answers a typical
request of each kind first. What it must leave nothing to: a reader's first requests,
to other URLs of the same views, import no module and compile no template.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from ground import worker_start
from mtc.wsgi import application
from tests.aggregates.stats_support import database_url, on_postgres
from tests.live_gunicorn import ROOT

# A reader's first requests: other records, filters, orderings and words than the
# rehearsed ones (``timeline.warm_up.typical_paths``), on the same views.
FIRST_REQUESTS = [
    "/?type=transfer&category=aircraft",
    "/transfers/s-400-2015/",
    "/events/1992-mtc-agreement/",
    "/api/transfers/?ordering=-date&page_size=20",
    "/api/transfers/su-35-2015/",
    "/api/transfers/?q=S-400",
    "/search/?q=Su-27",
]

# Run in a fresh interpreter: this test process imported everything long ago.
FRESH_PROCESS = """
import json, sys
import django
django.setup()
from django.template.base import Template

compiled = []
_init = Template.__init__
def counting_init(self, template_string, origin=None, name=None, engine=None):
    compiled.append(name or str(origin))
    _init(self, template_string, origin, name, engine)
Template.__init__ = counting_init

from mtc.wsgi import application
from ground.worker_start import answer, rehearse
failed = rehearse(application) if sys.argv[1] == "rehearse" else []
imported_before, compiled[:] = set(sys.modules), []
statuses = {path: answer(application, path) for path in json.loads(sys.argv[2])}
print(json.dumps({"failed": failed, "statuses": statuses, "compiled": compiled,
                  "imported": sorted(set(sys.modules) - imported_before)}))
"""


def first_requests_in_a_fresh_process(how: str) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "mtc.settings.test", "DATABASE_URL": database_url()}
    result = subprocess.run(
        [sys.executable, "-c", FRESH_PROCESS, how, json.dumps(FIRST_REQUESTS)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_after_the_rehearsal_a_readers_first_requests_import_and_compile_nothing(loaded_report):
    rehearsed = first_requests_in_a_fresh_process("rehearse")
    assert rehearsed["failed"] == []
    assert set(rehearsed["statuses"].values()) == {200}, rehearsed["statuses"]
    assert rehearsed["imported"] == []
    assert rehearsed["compiled"] == []

    # The control: without it, the same first requests import the URLconf and the views
    # and compile the pages' templates (what made them slow).
    cold = first_requests_in_a_fresh_process("no rehearsal")
    assert set(cold["statuses"].values()) == {200}, cold["statuses"]
    assert {"mtc.urls", "timeline.views", "transfers.api"} <= set(cold["imported"])
    assert {"timeline/home.html", "records/detail.html", "search/results.html"} <= set(cold["compiled"])


@pytest.fixture
def keep_connection():
    """The WSGI handler closes the database connection after each request (the test's
    transaction with it); Django's test client keeps it open the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_every_typical_path_is_a_page_that_exists(keep_connection):
    """Every path the timeline registers answers 200 on the report's records."""
    from timeline.warm_up import typical_paths

    paths = typical_paths()
    assert len(paths) == 10
    for path in paths:
        assert worker_start.answer(application, path) == 200, path


@pytest.mark.django_db
def test_a_path_that_fails_is_left_to_its_first_reader_and_the_rest_still_run(monkeypatch, caplog, keep_connection):
    def unlistable():
        raise RuntimeError("database down")

    monkeypatch.setattr(
        worker_start, "_paths", [unlistable, lambda: ["/transfers/no-such-transfer/", "/api/transfers/"]]
    )
    answered = []
    real_answer = worker_start.answer
    monkeypatch.setattr(worker_start, "answer", lambda app, path: answered.append(path) or real_answer(app, path))

    failed = worker_start.rehearse(application)

    assert failed == [
        "test_a_path_that_fails_is_left_to_its_first_reader_and_the_rest_still_run.<locals>.unlistable",
        "/transfers/no-such-transfer/",
    ]
    assert answered == ["/transfers/no-such-transfer/", "/api/transfers/"]
    assert "Answering /transfers/no-such-transfer/ on start gave 404" in caplog.text
