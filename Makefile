# LIFT developer and CI commands. Needs only Python 3.11, make and git to start.
# `make help` lists the targets.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LIFT := $(BIN)/lift
PYTEST := $(BIN)/pytest
# Extra pytest arguments, e.g. `make test PYTEST_ARGS="-k history -x"`.
PYTEST_ARGS ?=
# Parallel workers for the suite (the machines have two cores).
PYTEST_WORKERS ?= auto
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help env demo serve worker test browser test-postgres lint format \
	check-deploy migrations-check clean bench loadtest \
	audit-deps schemathesis drills soak

help: ## List the targets.
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 20

# The environment: rebuilt whenever the lock file or the project metadata changes.
$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)' || \
		{ echo "LIFT needs Python 3.11: '$(PYTHON)' is $$($(PYTHON) --version 2>&1)." \
		       "Run make with PYTHON=/path/to/python3.11." >&2; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check --quiet -r requirements.lock
	$(BIN)/python -m pip install --disable-pip-version-check --quiet --no-deps -e .
	touch $@

env: $(STAMP) ## Create or update the virtual environment in .venv.

demo: $(STAMP) ## Set up a SQLite demo partnership under var/ and serve it on http://127.0.0.1:8000.
	$(LIFT) migrate --noinput
	$(LIFT) demo
	@HOST=$(HOST) PORT=$(PORT) scripts/serve

serve: $(STAMP) ## Serve the existing database with a task worker (no migrate, no demo data).
	@HOST=$(HOST) PORT=$(PORT) scripts/serve

worker: $(STAMP) ## Run a background task worker in the foreground (with a heartbeat).
	$(LIFT) worker

test: $(STAMP) ## Run the whole suite on SQLite, browser tests included.
	$(PYTEST) -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

browser: $(STAMP) ## Run only the browser (Playwright + axe) tests.
	$(PYTEST) -n $(PYTEST_WORKERS) tests/browser $(PYTEST_ARGS)

# The permission matrices walk every page for every role and compare the answers with the
# models' Access policies, a check that does not depend on the database, and take minutes:
# `make test` runs them on SQLite; the PostgreSQL run leaves them out (each area's own page
# tests still run there). So do the browser journeys (what a person sees and does, checked
# with axe: the same pages and services the PostgreSQL run tests without a browser) and
# the checks of the demo's printed documents and charts (page images, fonts, layout).
POSTGRES_SKIP := --ignore=tests/security/test_matrix.py \
	--ignore=tests/security/test_matrix_details.py \
	--ignore=tests/security/test_case_scope.py --ignore=tests/security/test_matrix_writes.py \
	--ignore=tests/browser --ignore=tests/core/test_demo_documents.py \
	--ignore=tests/core/test_chart_print.py

test-postgres: $(STAMP) ## Run the whole suite on a local PostgreSQL 15 (started if stopped).
	scripts/postgres-test-env $(PYTEST) -n $(PYTEST_WORKERS) --migrations $(POSTGRES_SKIP) $(PYTEST_ARGS)

lint: $(STAMP) ## ruff check, ruff format --check, mypy and the OpenAPI schema without warnings.
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(LIFT) spectacular --fail-on-warn --file /dev/null

format: $(STAMP) ## Fix what ruff can fix and reformat the code.
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check-deploy: $(STAMP) ## Django's deployment checks against the production settings.
	DJANGO_SETTINGS_MODULE=lift.config.settings.production \
	SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(48))')" \
	ALLOWED_HOSTS=lift.example.org \
	DATABASE_URL=sqlite:///:memory: \
	LIFT_DEBUG=false \
		$(LIFT) check --deploy --fail-level WARNING

migrations-check: $(STAMP) ## Fail if a model change has no migration.
	$(LIFT) makemigrations --check --dry-run

# The benchmark: SCALE is smoke, partnership or national; its database is a SQLite file of
# its own under var/bench/ unless DATABASE_URL names another (PostgreSQL for national).
SCALE ?= partnership
SEED ?= 1
BENCH_ARGS ?=
BENCH_DB = $(or $(DATABASE_URL),sqlite:///$(CURDIR)/var/bench/bench-$(SCALE).sqlite3)

bench: $(STAMP) ## Benchmark the key pages (SCALE=partnership; DATABASE_URL=postgres://... SCALE=national).
	mkdir -p var/bench
	DATABASE_URL='$(BENCH_DB)' $(LIFT) migrate --noinput -v0
	DATABASE_URL='$(BENCH_DB)' $(LIFT) bench-data --scale $(SCALE) --seed $(SEED) --if-empty
	DATABASE_URL='$(BENCH_DB)' $(LIFT) bench --scale $(SCALE) $(BENCH_ARGS)

loadtest: $(STAMP) ## Load test: gunicorn + task worker on PostgreSQL, 50 users for 60 s (scripts/loadtest-run).
	scripts/postgres-test-env scripts/loadtest-run

audit-deps: $(STAMP) ## Dependency vulnerability audit (a notice, not a failure, when offline).
	scripts/audit-deps.sh

schemathesis: $(STAMP) ## schemathesis against /api/v1/schema/ (LIFT_SCHEMATHESIS_EXAMPLES for depth).
	LIFT_SCHEMATHESIS=1 $(PYTEST) -n $(PYTEST_WORKERS) tests/security/test_schemathesis.py $(PYTEST_ARGS)

drills: $(STAMP) ## Fault drills that need no root: kill a web worker, kill the task worker.
	scripts/drills/web-kill.sh
	scripts/drills/worker-kill.sh

soak: $(STAMP) ## Soak drill: memory per thousand requests of one long-running server process.
	scripts/drills/soak.sh

clean: ## Remove the environment, the local database and caches.
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .hypothesis test-results
	find . -path ./.git -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
