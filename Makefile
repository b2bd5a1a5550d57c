# Two commands do all set-up on a fresh clone: `make run` and `make test`.
# Both bootstrap .venv (created, and re-installed whenever pyproject.toml changes).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The browser tests (tests/browser) drive Debian's chromium through Playwright.
CHROMIUM := /usr/bin/chromium
# Microsoft's Web Chat and offline-directline for tests/browser/test_teams_webchat.py, installed
# from tests/webchat/package-lock.json.
WEBCHAT := tests/webchat
NODE_STAMP := $(WEBCHAT)/node_modules/.installed

.PHONY: run test lint typecheck unit chromium node eval bench fuzz clean

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

unit: $(STAMP) chromium node
	$(BIN)/pytest

# Makes sure $(CHROMIUM) exists for the browser tests: installs Debian's package when it is
# missing and apt-get is there (CI runs as root on a fresh machine). Never `playwright install`.
chromium:
	@if [ -x $(CHROMIUM) ]; then \
		echo "chromium: $(CHROMIUM) present"; \
	elif command -v apt-get >/dev/null 2>&1; then \
		echo "chromium: $(CHROMIUM) missing; running: apt-get update -qq && apt-get install -y -qq chromium"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
			&& test -x $(CHROMIUM) && echo "chromium: installed $(CHROMIUM)" \
			|| { echo "chromium: could not install $(CHROMIUM)" >&2; exit 1; }; \
	else \
		echo "chromium: $(CHROMIUM) missing and no apt-get; install chromium or the browser tests fail"; \
	fi

# `npm ci` when node_modules is missing or older than package.json / package-lock.json. Node.js
# and npm come with the machine; when npm is missing and apt-get is there, Debian's are installed.
$(NODE_STAMP): $(WEBCHAT)/package.json $(WEBCHAT)/package-lock.json
	@if ! command -v npm >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then \
		echo "node: npm missing; running: apt-get update -qq && apt-get install -y -qq nodejs npm"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
	fi
	cd $(WEBCHAT) && npm ci --no-audit --no-fund --loglevel=error
	@touch $(NODE_STAMP)

node: $(NODE_STAMP)

test: lint typecheck chromium node unit

eval: $(STAMP)
	$(BIN)/ethiekbot eval

# Speed figures are printed by these scripts, not asserted in timed tests.
bench: $(STAMP)
	$(BIN)/python benchmarks/triage_bench.py
	$(BIN)/python benchmarks/dialog_bench.py
	$(BIN)/python benchmarks/slack_bench.py
	$(BIN)/python benchmarks/teams_bench.py
	$(BIN)/python benchmarks/export_bench.py
	$(BIN)/python benchmarks/advisor_bench.py
	$(BIN)/python benchmarks/reminders_bench.py
	$(BIN)/python benchmarks/flood_bench.py

# The long fuzz run: 10,000 malformed requests against `ethiekbot serve` (a short hypothesis
# run of the same idea is part of `make test`: tests/bot/test_fuzz.py).
fuzz: $(STAMP)
	$(BIN)/python benchmarks/fuzz_bench.py --requests 10000

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache $(WEBCHAT)/node_modules
