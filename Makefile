# Impact Logbook: environment, demo and test entry points. `make` lists targets.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
# Steps run in the order listed, one at a time, stopping at the first failure.
.NOTPARALLEL:

UV_VERSION := 0.13.8
UV := .bootstrap/bin/uv
PY := .venv/bin/python
MANAGE := $(PY) manage.py
MSG_IGNORES := --ignore=.venv --ignore=.bootstrap
PYTEST_ARGS ?=
DEMO_ADDR ?= 127.0.0.1:8000
# uv must use the system python3, never download an interpreter.
export UV_PYTHON_DOWNLOADS := never

# $(call apt_ensure,PKG=CMD ...): apt-install each Debian PKG whose CMD
# (a name on PATH or an absolute path) is missing, after one apt-get update.
# Needs root; otherwise fails with a clear message.
define apt_ensure
@missing=""; \
for pair in $(1); do command -v "$${pair#*=}" >/dev/null || missing="$$missing $${pair%%=*}"; done; \
if [ -n "$$missing" ]; then \
  if [ "$$(id -u)" -ne 0 ]; then \
    echo "error: missing Debian packages:$$missing; as root run: apt-get install$$missing" >&2; exit 1; \
  fi; \
  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing; \
fi
endef
IS_ROOT := $(filter 0,$(shell id -u))

.PHONY: help venv system-deps demo test lint check messages test-both test-sqlite test-pg bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

venv: .venv/.synced ## create/update .venv from uv.lock (bootstraps uv)

$(UV): # pinned uv, installed from PyPI into its own venv
	python3 -m venv .bootstrap
	.bootstrap/bin/pip install --quiet uv==$(UV_VERSION)

.venv/.synced: uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen --python python3
	touch $@

system-deps: ## apt-install chromium and gettext if missing (root only)
	$(call apt_ensure,chromium=/usr/bin/chromium gettext=msgfmt)

var:
	mkdir -p var

demo: venv | var ## migrate, load demo data, serve on http://127.0.0.1:8000
	$(MANAGE) migrate --noinput
	$(if $(IS_ROOT),$(call apt_ensure,gettext=msgfmt))
	@if command -v msgfmt >/dev/null; then $(MANAGE) compilemessages $(MSG_IGNORES); \
	else echo "note: gettext (msgfmt) missing, translations not compiled" >&2; fi
	$(MANAGE) demo
	$(MANAGE) runserver $(DEMO_ADDR)

test: venv system-deps lint check messages test-both ## everything CI runs

# The two passes at once, one per core: the PostgreSQL pass writes var/test-pg.log, printed
# after the SQLite pass; either failing fails the target.
test-both: venv messages | var ## test-sqlite and test-pg side by side
	@$(MAKE) --no-print-directory test-pg > var/test-pg.log 2>&1 & pg=$$!; \
	sqlite=0; $(MAKE) --no-print-directory test-sqlite || sqlite=$$?; \
	postgres=0; wait $$pg || postgres=$$?; \
	echo "---- PostgreSQL pass (var/test-pg.log) ----"; cat var/test-pg.log; \
	echo "SQLite pass: exit $$sqlite; PostgreSQL pass: exit $$postgres"; \
	test $$sqlite -eq 0 && test $$postgres -eq 0

lint: venv ## ruff check, ruff format --check, mypy
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy impactlog

check: venv ## fail if models have changes without migrations
	$(MANAGE) makemigrations --check --dry-run

messages: venv ## compile translations (.po -> .mo), needs gettext
	$(call apt_ensure,gettext=msgfmt)
	$(MANAGE) compilemessages $(MSG_IGNORES)

test-sqlite: venv messages | var ## pytest on SQLite, browser tests included
	.venv/bin/pytest $(PYTEST_ARGS)

test-pg: venv messages | var ## pytest on a throwaway PostgreSQL, no browser or pure tests
	scripts/with-postgres.sh .venv/bin/pytest -m "not browser and not pure" $(PYTEST_ARGS)

bench: venv ## run benchmarks/bench_*.py
	$(PY) -m benchmarks

clean: ## remove var/, .venv, .bootstrap, caches and build output
	rm -rf var .venv .bootstrap build dist *.egg-info test-results \
	  .mypy_cache .ruff_cache .pytest_cache .hypothesis
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
	find . -name '*.mo' -type f -delete
