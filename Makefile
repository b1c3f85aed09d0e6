# The two commands a new user needs (see README.md):
#   make run    set everything up and run the server with demo data on http://127.0.0.1:8000
#   make test   set everything up and run the tests
# Both create .venv from the pinned requirements on first use. So do the others:
#   make keys [ROLE=anon|service_role]   print the project's API keys
#   make manage ARGS="purge_insights"    any management command
# which run, like `make run`, with DEBUG=true unless DEBUG is set.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

JS_TESTS := tests/js

.PHONY: run test lint venv js keys manage mutation

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

# The official supabase-js client for its end-to-end test (pinned in package-lock.json).
# Without npm the test says it was skipped, and why.
$(JS_TESTS)/node_modules/.installed: $(JS_TESTS)/package.json $(JS_TESTS)/package-lock.json
	cd $(JS_TESTS) && npm ci --no-audit --no-fund --silent
	touch $@

js: $(if $(shell command -v npm),$(JS_TESTS)/node_modules/.installed)

run: venv
	DEBUG=$${DEBUG:-true} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-true} $(PY) manage.py seed_demo
	DEBUG=$${DEBUG:-true} $(PY) manage.py collectstatic --noinput -v 0
	DEBUG=$${DEBUG:-true} $(PY) manage.py runserver $(HOST):$(PORT)

keys: venv
	@DEBUG=$${DEBUG:-true} $(PY) manage.py issue_api_keys $(if $(ROLE),--role $(ROLE))

manage: venv
	DEBUG=$${DEBUG:-true} $(PY) manage.py $(ARGS)

test: venv js
	$(PY) -m pytest $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Mutation testing (mutmut) of the token and principal modules, the permission querysets and
# logistics/analysis/, each group against its own tests; prints the score per group and the
# surviving mutants, fails under 95% (fashionos/testing/mutation.py). Takes a while.
mutation: venv
	$(PY) -m fashionos.testing.mutation $(MUTATION_GROUPS)
