# Two commands for a fresh machine (Python 3.11+):  make demo  and  make test.
# Each creates its own virtual environment and installs kic from this folder as a wheel
# (not editable), so what is tested is what a gemeente installs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test install lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/python -m pip install --quiet --force-reinstall --no-deps .
	$(BIN)/python -m pip install --quiet ".[test]"

demo: install
	$(BIN)/kic demo

test: install
	$(BIN)/ruff check kic tests benchmarks
	$(BIN)/pytest

bench: install
	$(BIN)/python -m pip install --quiet ".[bench]"
	$(BIN)/python benchmarks/bench_import.py

clean:
	rm -rf $(VENV) build dist kic-demo .pytest_cache
