# The two commands of the README: `make run` and `make test`. Both create the venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export CLAIMTRAIL_DATABASE_URL ?= sqlite:///./var/claimtrail.sqlite3

.PHONY: venv run seed test lint format bench bench-audit bench-views clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: venv
	$(BIN)/claimtrail seed
	$(BIN)/claimtrail serve --host 127.0.0.1 --port 8000

seed: venv
	$(BIN)/claimtrail seed

test: venv
	$(BIN)/python -m pytest

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Figures beside baselines from the same run (PostgreSQL at BENCH_DATABASE, default
# postgresql://postgres@127.0.0.1:5432/postgres); written to bench/results.md and
# bench/results-audit.md (bench.audit runs on the log bench.run_all generated).
bench: venv
	$(BIN)/python -m bench.run_all

bench-audit: venv
	$(BIN)/python -m bench.audit

bench-views: venv
	$(BIN)/python -m bench.views

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
