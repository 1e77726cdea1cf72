# Astana Reader. `make run` serves the site with the seeds loaded (and runs its background jobs);
# `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PY_VERSION := $(shell cat .python-version 2>/dev/null || echo 3.13)
VENV := .venv
VPY := $(VENV)/bin/python
STAMP := $(VENV)/.requirements-installed
PORT ?= 8000
WORKERS ?= $(shell nproc 2>/dev/null || echo 2)
CHROMIUM ?= /usr/bin/chromium
export PIP_DISABLE_PIP_VERSION_CHECK := 1

# Python $(PY_VERSION) from pyenv (as .python-version asks), else python$(PY_VERSION) on PATH.
find_python = $(strip $(or \
	$(shell command -v pyenv >/dev/null 2>&1 && p="$$(pyenv root)/versions/$$(pyenv latest $(PY_VERSION) 2>/dev/null)/bin/python$(PY_VERSION)" && [ -x "$$p" ] && echo "$$p"), \
	$(shell command -v python$(PY_VERSION) 2>/dev/null)))

.PHONY: help venv setup run test lint check-migrations browser redis bench clean

help:
	@echo "make run    set everything up and serve the site on http://127.0.0.1:$(PORT)"
	@echo "make test   set everything up and run every test (ruff, mypy, migrations check, pytest)"

$(STAMP): requirements.txt
	@py="$(call find_python)"; \
	if [ -z "$$py" ]; then \
	  echo "error: Python $(PY_VERSION) is needed (see .python-version)." >&2; \
	  echo "       Install it with 'pyenv install $(PY_VERSION)' or put python$(PY_VERSION) on your PATH." >&2; \
	  exit 1; \
	fi; \
	if [ -x "$(VPY)" ] && ! "$(VPY)" -c 'import sys; sys.exit(sys.version_info[:2] != tuple(map(int, "$(PY_VERSION)".split("."))))'; then \
	  echo "Recreating $(VENV): it was built with another Python."; rm -rf $(VENV); \
	fi; \
	[ -x "$(VPY)" ] || { echo "Creating $(VENV) with $$py"; "$$py" -m venv $(VENV); }
	$(VPY) -m pip install --quiet --upgrade pip
	$(VPY) -m pip install --quiet -r requirements.txt
	@touch $(STAMP)

venv: $(STAMP)

setup: venv
	@mkdir -p data
	$(VPY) manage.py migrate --noinput -v 0
	$(VPY) manage.py import_articles
	$(VPY) manage.py create_demo_user
	$(VPY) manage.py collectstatic --noinput -v 0

# The site and, beside it, one worker for the background jobs (the database queue: no other
# service). Ctrl-C stops both: the worker finishes the job in hand first.
run: setup
	@echo "Serving Astana Reader on http://127.0.0.1:$(PORT), background jobs beside it (Ctrl-C to stop)"
	@DJANGO_SETTINGS_MODULE=astana.settings.dev $(VPY) manage.py jobs_worker & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker' EXIT; \
	$(VENV)/bin/gunicorn astana.wsgi:application --bind 127.0.0.1:$(PORT) --workers $(WORKERS) \
		--access-logfile - --env DJANGO_SETTINGS_MODULE=astana.settings.dev

# $(call need,test command,Debian package,what needs it,how else): when the test fails,
# install the package as root with apt-get, or say what is missing and stop.
define need
	@if ! ( $(1) ); then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing $(2) for $(3)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2) >/dev/null; \
	  else \
	    echo "error: $(3) need $(2) (apt-get install $(2)), $(4)." >&2; exit 1; \
	  fi; \
	fi
endef

# The browser tests drive Debian's Chromium.
browser:
	$(call need,[ -x "$(CHROMIUM)" ],chromium,the browser tests,or set CHROMIUM=/path/to/chromium)

# The throttle tests start a private redis-server.
redis:
	$(call need,[ -n "$$REDIS_URL" ] || command -v redis-server >/dev/null,redis-server,the throttle tests,or set REDIS_URL)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

check-migrations: venv
	DJANGO_SETTINGS_MODULE=astana.settings.test $(VPY) manage.py makemigrations --check --dry-run

test: venv browser redis lint check-migrations
	CHROMIUM=$(CHROMIUM) $(VENV)/bin/pytest

BENCH_PG ?= postgres://postgres@127.0.0.1:5432

bench: venv
	@if ! command -v wrk >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing wrk for the load test"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	  else \
	    echo "error: the load test needs wrk (apt-get install wrk)" >&2; exit 1; \
	  fi; \
	fi
	$(VPY) -m bench
	$(VPY) -m bench.ingest
	$(VPY) -m bench.ingest_scale
	$(VPY) -m bench.reanchor
	$(VPY) -m bench.compare
	$(VPY) -m bench.compare_quality
	$(VPY) -m bench.compare_view
	$(VPY) -m bench.stories
	$(VPY) -m bench.stories_scale
	$(VPY) -m bench.scale
	$(VPY) -m bench.load
	$(VPY) -m bench.load --database-url $(BENCH_PG)/astana_load
	$(VPY) -m bench.summary

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .mypy_cache
