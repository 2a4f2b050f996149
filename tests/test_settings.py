"""Production settings refuse to start unsafe; the default database is SQLite."""

import logging
import os
import subprocess
import sys
from pathlib import Path

from django.db import connection
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


def postgres_options(**env) -> str:
    environment = {k: v for k, v in os.environ.items() if k not in {"DB_JIT", "DB_RANDOM_PAGE_COST"}}
    environment.update(
        env, DATABASE_URL="postgres://reader@127.0.0.1:5432/anything", DJANGO_SETTINGS_MODULE="mtc.settings.base"
    )
    script = "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS']['options'])"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {script}"],
        cwd=ROOT, env=environment, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return result.stdout.strip()


def test_postgres_sessions_plan_for_short_queries(db):
    """No JIT compiling (47 of a search count's 340 ms at 1M) and SSD page costs, unless asked."""
    assert postgres_options() == "-c random_page_cost=1.1 -c jit=off"
    assert postgres_options(DB_JIT="1", DB_RANDOM_PAGE_COST="4") == "-c random_page_cost=4.0 -c jit=on"
    if connection.vendor == "postgresql":  # and the suite's own sessions run with them
        with connection.cursor() as cursor:
            cursor.execute("SHOW jit")
            assert cursor.fetchone() == ("off",)
