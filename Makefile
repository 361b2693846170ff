# The two commands: `make run` (set up everything and serve the portal) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
PROD_CHECK_ENV := DEBUG=0 SECRET_KEY=ci-only-$(shell printf '%064d' 0)-long-random-key ALLOWED_HOSTS=pole.example

.PHONY: run test test-fast setup install install-dev lock upgrade migrate demo serve worker lint format messages makemessages clean

run: setup serve ## virtualenv, dependencies, migrations, demo data, then the server

setup: install migrate demo

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# requirements*.txt are compiled from requirements*.in by pip-tools: every package pinned,
# with its hashes, so that an install is the same everywhere (`make lock`, `make upgrade`).
$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Only PyPI is asked, whatever this machine's pip configuration adds (a local wheel folder,
# an extra index), and the files name no index.
PIP_COMPILE := PIP_CONFIG_FILE=/dev/null PIP_FIND_LINKS= $(BIN)/pip-compile --quiet --generate-hashes \
	--allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links

lock: install-dev ## re-compile requirements*.txt after an edit of requirements*.in, other pins kept
	$(PIP_COMPILE) --output-file requirements.txt requirements.in
	$(PIP_COMPILE) --output-file requirements-dev.txt requirements-dev.in

upgrade: install-dev ## every pin to the newest release that requirements*.in allow; then `make test`
	$(PIP_COMPILE) --upgrade --output-file requirements.txt requirements.in
	$(PIP_COMPILE) --upgrade --output-file requirements-dev.txt requirements-dev.in

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

test-fast: install-dev ## the inner loop: pytest without the browser tests
	$(BIN)/pytest -m "not e2e"

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
