"""Security properties a deployment relies on: headers, lockout, deploy checks, health."""

import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import override_settings

from tests.fault_servers import HungServer

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db


def test_pages_send_security_headers(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "object-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_check_deploy_reports_no_warnings():
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(
        DJANGO_SETTINGS_MODULE="mtc.settings.production",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="mtc.example.org",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_admin_login_is_locked_after_repeated_failures(client):
    User.objects.create_superuser("editor", "e@example.org", "right-password-123")
    for _ in range(3):
        response = client.post("/admin/login/", {"username": "editor", "password": "wrong"})
    assert response.status_code == 429
    # Even the right password is refused while locked out.
    response = client.post("/admin/login/", {"username": "editor", "password": "right-password-123"})
    assert response.status_code == 429


def test_admin_login_form_needs_csrf():
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/admin/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403


def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"]["ok"] is True
    assert body["broker"]["mode"].startswith("in-process")
    assert body["statistics"]["stale"] is False
    assert body["statistics"]["computed_at"]
    assert body["status"] == "ok"


@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:6390/0")
def test_healthz_reports_an_unreachable_broker_as_degraded(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["broker"]["ok"] is False
    assert body["database"]["ok"] is True
    assert body["status"] == "degraded"


def test_healthz_answers_within_two_seconds_when_the_broker_hangs(client):
    with HungServer() as hung, override_settings(CELERY_BROKER_URL=f"redis://127.0.0.1:{hung.port}/0"):
        started = time.monotonic()
        response = client.get("/healthz")
        assert time.monotonic() - started < 2
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json()["broker"]["ok"] is False


def test_only_the_admin_may_use_inline_styles_and_nobody_inline_script(admin_client, client):
    admin_csp = admin_client.get("/admin/")["Content-Security-Policy"]
    public_csp = client.get("/")["Content-Security-Policy"]
    assert "'unsafe-inline'" in admin_csp.split("style-src")[1].split(";")[0]
    assert "'unsafe-inline'" not in public_csp
    assert "'unsafe-inline'" not in admin_csp.split("script-src")[1].split(";")[0]
