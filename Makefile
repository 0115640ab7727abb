# Riffhouse's front door: `make run` and `make test` set everything up on a fresh machine.
SHELL := /bin/sh
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
# Installs come from the lockfiles and the public registries only, never from per-machine
# pip configuration, so a fresh machine and this one resolve the same files.
PIP := PIP_CONFIG_FILE=/dev/null PIP_DISABLE_PIP_VERSION_CHECK=1 $(BIN)/python -m pip
PYTHON_FOUND = $(shell scripts/find-python)

.PHONY: help run test lint check bench lock clean api-snapshot screenshots

help:
	@echo "make run    set up and start Riffhouse (web server + job worker) on http://$${HOST:-127.0.0.1}:$${PORT:-8000}"
	@echo "make test   set up and run every test (DATABASE_URL=postgres://... for PostgreSQL)"
	@echo "make lint   ruff, mypy, the import direction and the migrations check"
	@echo "make bench  run the benchmarks under bench/ (BENCH=upload to pick some)"
	@echo "make lock   re-resolve requirements/*.txt from pyproject.toml"
	@echo "make api-snapshot  accept a deliberate API change into the OpenAPI snapshot"
	@echo "make screenshots   every page of a fresh demo, desktop/phone/dark, to screenshots/index.html"

$(BIN)/python:
	@py="$(PYTHON_FOUND)"; [ -n "$$py" ] || exit 1; \
	echo "Creating $(VENV) with $$py"; "$$py" -m venv $(VENV)

$(VENV)/.runtime-installed: requirements/runtime.txt | $(BIN)/python
	$(PIP) install --quiet --require-hashes --only-binary=:all: -r requirements/runtime.txt
	$(PIP) install --quiet --no-deps --no-build-isolation --editable .
	@touch $@

$(VENV)/.dev-installed: requirements/dev.txt $(VENV)/.runtime-installed
	$(PIP) install --quiet --require-hashes -r requirements/dev.txt
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

run: $(VENV)/.runtime-installed node_modules/.installed
	@$(BIN)/riffhouse serve

test: $(VENV)/.dev-installed node_modules/.installed
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check src tests bench conftest.py
	$(BIN)/ruff format --check src tests bench conftest.py
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache
	$(BIN)/riffhouse makemigrations --check --dry-run

check: lint test

api-snapshot: $(VENV)/.runtime-installed
	$(BIN)/riffhouse api_snapshot

# SCREENSHOTS_DIR=/elsewhere to write somewhere else; see scripts/screenshots.py.
screenshots: $(VENV)/.dev-installed node_modules/.installed
	$(BIN)/python scripts/screenshots.py $(SCREENSHOTS_ARGS)

bench: $(VENV)/.dev-installed node_modules/.installed
	$(BIN)/python -m bench $(BENCH)

lock: | $(BIN)/python
	$(PIP) install --quiet pip-tools
	PIP_CONFIG_FILE=/dev/null $(BIN)/pip-compile -q --generate-hashes --allow-unsafe --strip-extras \
	  --no-emit-index-url --no-emit-find-links -o requirements/runtime.txt pyproject.toml requirements/build.in
	PIP_CONFIG_FILE=/dev/null $(BIN)/pip-compile -q --generate-hashes --allow-unsafe --strip-extras \
	  --no-emit-index-url --no-emit-find-links --extra dev -o requirements/dev.txt pyproject.toml requirements/build.in

clean:
	rm -rf $(VENV) node_modules
