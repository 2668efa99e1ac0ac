# The commands people type. `make run` and `make test` set up everything on a fresh machine
# (`make test` also installs Debian's Chromium for the browser suite when it runs as root).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?=
HOST ?= 127.0.0.1
PORT ?= 8000
# The demo council reads as at its Cabinet meeting (core.clock); empty it for the real date.
AS_AT ?= 2006-09-07

.PHONY: setup system-packages run test test-fast lint format bench load migrate demo worker css clean

setup: $(VENV)/.installed static/build/app.css

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/build/app.css: node_modules/.installed static/scss/*.scss static/scss/app/*.scss
	npx sass --pkg-importer=node --quiet-deps --no-source-map --style=compressed static/scss/app.scss $@

css: static/build/app.css

migrate: setup
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo_council --if-empty

run: export COUNCILPERF_AS_AT = $(AS_AT)
# The demo shows Django's debug pages; everything else runs with DEBUG off unless DJANGO_DEBUG=1.
run: export DJANGO_DEBUG = 1
run: demo
	@$(PY) manage.py demo_signins
	@echo "Background worker (PDFs) starting; the app is at http://$(HOST):$(PORT)/"
	@PY=$(PY) bin/worker --interval 1 & WORKER=$$!; \
	trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

# The worker leaves after WORKER_MAX_TASKS renders and bin/worker starts a fresh one (docs/operations.md).
worker: migrate
	PY=$(PY) bin/worker

# Debian's Chromium and Java for the browser suite: installed when missing and root, else one line says what to do.
system-packages:
	@bin/system-packages

# pytest exits 5 when it ran no test (a mistyped PYTEST_ARGS): that is a failure, not a pass.
NO_TEST_RAN = status=$$?; if [ $$status -eq 5 ]; then echo "pytest ran no test: nothing was checked" >&2; exit 1; fi; exit $$status

test: system-packages setup
	$(PY) -m pytest $(PYTEST_ARGS); $(NO_TEST_RAN)

test-fast: setup
	$(PY) -m pytest -m "not browser" $(PYTEST_ARGS); $(NO_TEST_RAN)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

format: setup
	$(VENV)/bin/ruff format .

bench: setup
	$(PY) bench/run.py

# Load test against gunicorn and PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres);
# LOAD_ARGS="--servers 2 --db-workers 2 --publish 2" for two app servers and two workers. See docs/performance.md.
LOAD_ARGS ?=
load: setup
	$(PY) bench/load.py $(LOAD_ARGS)

clean:
	rm -rf $(VENV) node_modules static/build staticfiles var
