# The two commands of the README: `make run` and `make test`. Everything else helps.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Local development: DEBUG on, the embedded database (no DATABASE_URL needed).
DEV_ENV := DEBUG=1 DJANGO_SETTINGS_MODULE=config.settings

.PHONY: run test coverage install install-dev migrate sample index lint format migrations-check db-stop backup restore bench bench-data bench-load bench-fuzz bench-soak clean

# Two stamps, re-made whenever pyproject.toml changes: what the site needs (`make run`),
# and the development tools on top of it (pytest, Playwright, mypy, schemathesis...;
# `make test`, `make lint`). Installing the tools took most of `make run`'s first
# minute and a half; with a stamp each, going from one command to the other installs
# nothing twice.
$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

migrate: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --no-input

# The bundled sample decisions, so the site is never empty. Idempotent.
sample: migrate
	$(DEV_ENV) $(BIN)/python manage.py import_decisions samples/

# The search index (`.search-index/`), built from the database or brought up to date.
index: sample
	$(DEV_ENV) $(BIN)/python manage.py search_index update

# The web server and, beside it, the task queue's worker that imports admin uploads and
# the search index's writer, which keeps the index in step with the database; stopping
# `make run` (Ctrl-C) stops all three.
run: index
	@echo "Serving on http://$(HOST):$(PORT)/ (with a task worker and the search index's writer)"
	$(DEV_ENV) $(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	$(DEV_ENV) $(BIN)/python manage.py search_index run & indexer=$$!; \
	trap 'kill $$worker $$indexer 2>/dev/null' EXIT INT TERM; \
	$(DEV_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The suite's coverage of decisions/ and config/: the test process's own lines (the
# servers and workers some tests start are not counted), the least covered first.
coverage: install-dev
	$(BIN)/python -m coverage run --source=decisions,config -m pytest $(PYTEST_ARGS)
	$(BIN)/python -m coverage report --skip-covered --sort=cover

# mypy reads its configuration, and the Django settings it checks against
# (config.test_settings), from pyproject.toml; lint-imports checks the layers of
# docs/architecture.md ([tool.importlinter] there).
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: install
	$(DEV_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

db-stop: install
	$(BIN)/python -c "from pathlib import Path; from config import embedded_database as e; print('stopped' if e.stop(Path('.pgdata')) else 'not running')"

# The database and the uploaded files in one tar file under BACKUPS (README, "Backups");
# `make restore BACKUP=backups/archive-....tar` replaces the archive with one (it asks).
# Production: the same commands with production's environment (DATABASE_URL...).
BACKUPS ?= backups
backup: install
	$(DEV_ENV) $(BIN)/python manage.py backup_archive $(BACKUPS)

restore: install
	@test -n "$(BACKUP)" || { echo "Say which: make restore BACKUP=$(BACKUPS)/archive-....tar"; exit 2; }
	$(DEV_ENV) $(BIN)/python manage.py restore_archive $(BACKUP)

# Benchmarks (bench/README.md): `python -m bench <scenario>`, out of `make test`, which
# runs only their smoke tests. N decisions for `make bench` and `make bench-data`.
N ?= 10000
bench-data: install-dev
	$(BIN)/python -c "from bench.scenarios.corpus import cached_corpus; print(cached_corpus($(N)))"

bench: install-dev
	$(BIN)/python -m bench import --count $(N)

# The list page over HTTP under 16 concurrent clients, against gunicorn.
bench-load: install-dev
	$(BIN)/python -m bench load $(LOAD_ARGS)

# 50 clients for 10 minutes on pages, searches, API calls and downloads.
bench-soak: install-dev
	$(BIN)/python -m bench soak $(SOAK_ARGS)

# Generated inputs through the parser and every import entry point; prints inputs/s,
# the slowest input and any unexpected exception.
FUZZ_INPUTS ?= 100000
bench-fuzz: install-dev
	$(BIN)/python -m bench fuzz --inputs $(FUZZ_INPUTS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles .search-index
