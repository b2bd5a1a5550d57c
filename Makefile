# Two commands do all set-up on a fresh clone: `make run` and `make test`.
# Both bootstrap .venv (created, and re-installed whenever pyproject.toml changes).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck unit eval bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/ethiekbot serve

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest

test: lint typecheck unit

eval: $(STAMP)
	$(BIN)/ethiekbot eval

bench: $(STAMP)
	$(BIN)/python benchmarks/triage_bench.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
