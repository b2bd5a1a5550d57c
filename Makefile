# Two commands do all set-up on a fresh clone: `make run` and `make test`.
# Both bootstrap .venv (created, and re-installed whenever pyproject.toml changes). `make run`
# installs only what running needs (-e .); `make test` and the other targets add the dev tools
# (-e '.[dev]': pytest, mypy, ruff, playwright, ...), which cover running too.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Installed with the dev extras.
STAMP := $(VENV)/.installed
# Installed with what running needs (also touched by an install with the dev extras).
RUN_STAMP := $(VENV)/.installed-run
# The browser tests (tests/browser) drive Debian's chromium through Playwright.
CHROMIUM := /usr/bin/chromium
# Microsoft's Web Chat and offline-directline for tests/browser/test_teams_webchat.py, installed
# from tests/webchat/package-lock.json.
WEBCHAT := tests/webchat
NODE_STAMP := $(WEBCHAT)/node_modules/.installed

.PHONY: run test lint typecheck unit chromium poppler postgresql node eval bench fuzz clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP) $(RUN_STAMP)

# A venv whose dev install is newer than pyproject.toml has all of this already.
$(RUN_STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@if [ -f $(STAMP) ] && [ $(STAMP) -nt pyproject.toml ]; then \
		echo "$(VENV): up to date (installed with the dev extras)"; \
	else \
		echo "$(BIN)/python -m pip install --quiet -e ."; \
		$(BIN)/python -m pip install --quiet --upgrade pip \
			&& $(BIN)/python -m pip install --quiet -e .; \
	fi
	@touch $(RUN_STAMP)

run: $(RUN_STAMP)
	$(BIN)/ethiekbot serve

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP) chromium poppler postgresql node
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

# Makes sure pdftoppm exists for the advice note's tests (tests/bot/test_advice_note.py render the
# PDF's first page to an image): installs Debian's poppler-utils when it is missing and apt-get is
# there.
poppler:
	@if command -v pdftoppm >/dev/null 2>&1; then \
		echo "poppler: $$(command -v pdftoppm) present"; \
	elif command -v apt-get >/dev/null 2>&1; then \
		echo "poppler: pdftoppm missing; running: apt-get update -qq && apt-get install -y -qq poppler-utils"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null \
			&& command -v pdftoppm >/dev/null && echo "poppler: installed $$(command -v pdftoppm)" \
			|| { echo "poppler: could not install poppler-utils" >&2; exit 1; }; \
	else \
		echo "poppler: pdftoppm missing and no apt-get; install poppler-utils or the advice note's tests fail"; \
	fi

# Makes sure Debian's PostgreSQL server binaries exist for tests/postgres.py (a throwaway
# cluster per test session, run as the postgres user when the tests run as root): installs
# Debian's postgresql when they are missing and apt-get is there. No cluster is started here.
postgresql:
	@if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		echo "postgresql: $$(ls /usr/lib/postgresql/*/bin/initdb | tail -1) present"; \
	elif command -v apt-get >/dev/null 2>&1; then \
		echo "postgresql: missing; running: apt-get update -qq && apt-get install -y -qq postgresql"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null \
			&& ls /usr/lib/postgresql/*/bin/initdb >/dev/null && echo "postgresql: installed" \
			|| { echo "postgresql: could not install postgresql" >&2; exit 1; }; \
	else \
		echo "postgresql: missing and no apt-get; install postgresql or its tests fail"; \
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
