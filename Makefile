# Two commands for a fresh machine (Python 3.11+):  make demo  and  make test.
# Each creates its own virtual environment and installs kic from this folder as a wheel
# (not editable), so what is tested is what a gemeente installs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test check install lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(VENV)/.test-deps
	$(BIN)/python -m pip install --quiet --force-reinstall --no-deps .

# The test tools (pytest, ruff, mypy, ...), installed again only when pyproject.toml changes.
$(VENV)/.test-deps: pyproject.toml $(BIN)/python
	$(BIN)/python -m pip install --quiet ".[test]"
	touch $@

demo: install
	$(BIN)/kic demo

# The complete run (the README command, run by CI): lint, types, the layering contract, every test.
test: install lint
	$(BIN)/pytest -n 2

# The fast checked loop while working (about a minute or two on 2 cores): lint, types, the layering
# contract and the tests that are neither slow nor browser nor PDF, from the working tree.
check: lint
	PYTHONPATH=. $(BIN)/pytest -q -n 2 -m "not slow and not browser and not pdf" -p no:cacheprovider

lint: $(VENV)/.test-deps
	$(BIN)/ruff check kic tests benchmarks
	$(BIN)/ruff format --check kic tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: install
	$(BIN)/python -m pip install --quiet ".[bench]"
	$(BIN)/python benchmarks/bench_import.py

clean:
	rm -rf $(VENV) build dist kic-demo .pytest_cache
