# MTC Timeline: `make run` to try it, `make test` to run the whole suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test install migrate load worker beat lint format clean schemathesis

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(STAMP): requirements.txt | $(PY)
	$(PIP) install --quiet -r requirements.txt
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

load: migrate
	$(PY) manage.py load_report

run: load
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# API contract: schemathesis against /api/schema/ on a live server (port SCHEMATHESIS_PORT, default 8110).
schemathesis: install
	bash .ci/schemathesis

worker: install
	$(VENV)/bin/celery -A mtc worker --loglevel=info

beat: install
	$(VENV)/bin/celery -A mtc beat --loglevel=info

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) build db.sqlite3 .pytest_cache
