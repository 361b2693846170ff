# The two commands: `make run` (set up everything and serve the portal) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
PROD_CHECK_ENV := DEBUG=0 SECRET_KEY=ci-only-$(shell printf '%064d' 0)-long-random-key ALLOWED_HOSTS=pole.example

.PHONY: run test setup install install-dev migrate demo serve worker lint format messages makemessages clean

run: setup serve ## virtualenv, dependencies, migrations, demo data, then the server

setup: install migrate demo

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: install
	$(BIN)/python manage.py seed_demo

serve: install
	@echo "Serving the portal on http://$(HOST):$(PORT)/fr/ (demo accounts above; Ctrl-C to stop)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

worker: install ## Celery worker (queues default and pdf) with beat; needs REDIS_URL
	$(BIN)/celery -A pole worker --beat --queues default,pdf --concurrency 2 --loglevel INFO

test: install-dev lint messages ## the whole suite: lint, migrations, messages, deploy check, pytest
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(PROD_CHECK_ENV) $(BIN)/python manage.py check --deploy --fail-level WARNING
	$(BIN)/pytest

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Compiled catalogues (.mo) are committed so that `make run` needs no gettext; when
# gettext is present they are rebuilt from the .po files.
messages: install
	@if command -v msgfmt >/dev/null; then $(BIN)/python manage.py compilemessages --ignore '.venv' -v0; \
	else echo "gettext (msgfmt) not installed: using the committed .mo catalogues"; fi

makemessages: install
	$(BIN)/python manage.py makemessages -l fr -l en --ignore '.venv/*' --ignore 'staticfiles/*' --ignore 'tests/*' --no-location

clean:
	rm -rf $(VENV) db.sqlite3 media private-media staticfiles .pytest_cache .ruff_cache celerybeat-schedule*
