# MTC Timeline: `make run` to try it, `make test` to run the whole suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PORT ?= 8000
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run test install install-dev migrate load worker beat lint format clean bench bench-exports serve backup restore schemathesis screenshots

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(STAMP): requirements.txt | $(PY)
	$(PIP) install --quiet -r requirements.txt
	touch $(STAMP)

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(PY)
	$(PIP) install --quiet -r requirements-dev.txt
	touch $(STAMP) $(DEV_STAMP)

# Run time only (make run, make serve); the tests and linters add requirements-dev.txt.
install: $(STAMP)

install-dev: $(DEV_STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

load: migrate
	$(PY) manage.py load_report

run: load
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install-dev
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# Production-style run on one machine: gunicorn + Celery worker + beat (Procfile, honcho)
# against PostgreSQL and Redis. Needs DATABASE_URL, CELERY_BROKER_URL and SECRET_KEY.
serve: install
	@test -n "$$DATABASE_URL" -a -n "$$CELERY_BROKER_URL" -a -n "$$SECRET_KEY" || \
	  (echo "make serve needs DATABASE_URL, CELERY_BROKER_URL and SECRET_KEY in the environment" && exit 2)
	mkdir -p build
	DJANGO_SETTINGS_MODULE=mtc.settings.production $(PY) manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=mtc.settings.production $(PY) manage.py collectstatic --noinput -v0
	DJANGO_SETTINGS_MODULE=mtc.settings.production $(VENV)/bin/honcho start -f Procfile

# Backups: a portable JSON dump (SQLite or PostgreSQL) of content, history and users.
BACKUP ?= build/backup.json
backup: install
	mkdir -p $(dir $(BACKUP))
	$(PY) manage.py backup $(BACKUP)

restore: install
	$(PY) manage.py restore $(BACKUP)

# API contract: schemathesis against /api/schema/ on a live server (port SCHEMATHESIS_PORT, default 8110).
schemathesis: install-dev
	bash .ci/schemathesis

# Every page a researcher meets, at 1280 and 375 px in Chromium, as PNGs in build/screenshots/
# (also checked: overflow, console errors, CSP violations, axe-core). For review, not committed.
screenshots: install-dev
	$(VENV)/bin/pytest tests/browser/test_every_page.py -p no:cacheprovider -q

worker: install
	DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-mtc.settings.local} $(VENV)/bin/celery -A mtc worker --loglevel=info

beat: install
	DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-mtc.settings.local} $(VENV)/bin/celery -A mtc beat --loglevel=info

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) build db.sqlite3 .pytest_cache

# Benchmarks (not part of the test suite): PostgreSQL, gunicorn, wrk, Datasette.
# SCALES: transfer counts to build and measure; SCALE: the one compared with Datasette.
BENCH_VENV := .venv-bench
SCALES ?= 10000,100000,1000000
SCALE ?= 100000

$(BENCH_VENV)/.installed: bench/requirements-bench.txt
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install --quiet -r bench/requirements-bench.txt
	touch $@

# What whole-selection exports cost at SCALE transfers (time, size, worker memory).
bench-exports: install
	$(PY) bench/exports.py --scale $(SCALE)

bench: install $(BENCH_VENV)/.installed
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(PY) bench/run.py --scales $(SCALES) --primary $(SCALE)
