"""Production settings refuse to start unsafe; the default database is SQLite."""

import logging
import os
import subprocess
import sys
from pathlib import Path

from django.utils.log import configure_logging

ROOT = Path(__file__).resolve().parent.parent


def run_check(**env):
    environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    environment.update(env, DJANGO_SETTINGS_MODULE="mtc.settings.production")
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=environment, capture_output=True, text=True
    )


def test_production_refuses_debug():
    result = run_check(DEBUG="1", SECRET_KEY="x" * 60)
    assert result.returncode != 0
    assert "DEBUG must be off in production" in result.stderr


def test_production_refuses_a_missing_secret_key():
    result = run_check()
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_starts_with_a_real_secret():
    result = run_check(SECRET_KEY="k" * 20 + "a9!Zq" * 8)
    assert result.returncode == 0, result.stderr


def test_a_4xx_is_logged_once(capsys, settings):
    """Django's "django" logger and the root each had a console handler: every 404 printed twice."""
    settings.DEBUG = True  # Django's own console handler only prints in DEBUG
    try:
        configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)
        logging.getLogger("django.request").warning("Not Found: %s", "/no-such-page/")
        assert capsys.readouterr().err.count("Not Found: /no-such-page/") == 1
    finally:
        settings.DEBUG = False
        configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)
