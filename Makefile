# Mogao developer entry point. `make demo` serves the demo; `make test` runs every check.
# Both set everything up first (virtualenv, Python and npm packages, static assets).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export MOGAO_HOME ?= $(CURDIR)/var
PG_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: setup demo serve test test-sqlite test-postgres test-install lint types bench bench-full clean

setup: $(VENV)/.stamp-python frontend/node_modules/.stamp src/mogao/site/static/vendor/.stamp

$(VENV)/.stamp-python: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip setuptools wheel
	$(BIN)/pip install --quiet -e '.[dev,ocr]'
	touch $@

frontend/node_modules/.stamp: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	touch $@

src/mogao/site/static/vendor/.stamp: frontend/node_modules/.stamp frontend/install_assets.py frontend/fonts.py \
		src/mogao/site/locale/zh_Hans/LC_MESSAGES/django.po src/mogao/site/locale/zh_Hant/LC_MESSAGES/django.po
	$(BIN)/python frontend/install_assets.py
	touch $@

demo: setup
	$(BIN)/mogao demo

serve: setup
	$(BIN)/mogao serve

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

types: lint

# The whole suite on SQLite, then the database tests again on PostgreSQL, then a production install.
test: setup lint test-sqlite test-postgres test-install

test-sqlite:
	$(BIN)/pytest -q -n 2 --dist loadgroup

test-postgres:
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_URL)', connect_timeout=3).close()" 2>/dev/null; then \
		MOGAO_DATABASE_URL=$(PG_URL) $(BIN)/pytest -q -n 2 --dist loadgroup -m "not browser" ; \
	elif [ -n "$$CI" ]; then echo "PostgreSQL is required in CI but not reachable at $(PG_URL)"; exit 1; \
	else echo "PostgreSQL not reachable at $(PG_URL): skipping the PostgreSQL run (it always runs in CI)"; fi

# A production install: `pip install .` without extras in a fresh temporary venv, `mogao demo
# --no-serve`, then `mogao serve` on a free port must answer 200 for / and a demo item (3-5 min).
test-install: src/mogao/site/static/vendor/.stamp
	$(PYTHON) .ci/test_install.py

# Every benchmark under bench/ in quick mode (small sizes; writes bench/*/RESULTS-quick.md).
bench: setup
	$(BIN)/python bench/run.py

# The full runs (long: the search benchmark alone indexes 1,000,000 records); writes bench/*/RESULTS.md.
bench-full: setup
	$(BIN)/python bench/run.py --full

clean:
	rm -rf var artifacts src/mogao/site/static/vendor
