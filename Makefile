# Pacekeeper: two commands on a fresh machine.
#   make demo   set up, create the demo profile (generated data), serve on http://127.0.0.1:8000
#   make test   set up everything the tests need and run them all

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test lint typecheck pytest system-deps serve clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Pacekeeper needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.app: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	@touch $@

$(VENV)/.dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	@touch $@ $(VENV)/.app

demo: $(VENV)/.app
	$(BIN)/pacekeeper demo --serve

serve: $(VENV)/.app
	$(BIN)/pacekeeper serve

system-deps:
	@scripts/install-test-deps.sh

lint: $(VENV)/.dev
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src tests scripts

typecheck: $(VENV)/.dev
	$(BIN)/mypy

pytest: $(VENV)/.dev system-deps
	$(BIN)/pytest -n 2 --dist loadgroup

test: lint typecheck pytest

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
