# Pressroom: `make demo` serves the site with sample content; `make test` runs the suite.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# The embedded default: SQLite, tasks in-process, local-memory cache.
DEMO_ENV := DJANGO_DEBUG=1 DATABASE_URL= REDIS_URL=
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help install demo serve test lint audit format bench backup restore messages clean

help:
	@echo "make demo   set up on SQLite with sample content and serve http://$(HOST):$(PORT)"
	@echo "make test   run the whole test suite"
	@echo "make lint   ruff check and format check"
	@echo "make audit  known vulnerabilities in the pinned requirements, bandit's security check"
	@echo "make messages  gather new interface strings into the kk, ru and en catalogues"
	@echo "make bench  print import and public site performance figures"
	@echo "make backup, make restore FILE=...  back up or restore the database and media files"

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11) and "Pressroom needs Python 3.11")'
	$(PYTHON) -m venv $(VENV)

# Reinstalls only when the pinned requirements change.
$(VENV)/.installed: requirements/dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	touch $@

# The interface catalogues, compiled with polib so that GNU gettext is not needed.
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard locale*/*/LC_MESSAGES/*.po))

%.mo: %.po $(VENV)/.installed
	$(BIN)/python scripts/compilemessages.py $<

install: $(VENV)/.installed $(CATALOGUES)

demo: install
	$(DEMO_ENV) $(BIN)/python manage.py migrate --no-input
	$(DEMO_ENV) $(BIN)/python manage.py seed_demo
	$(DEMO_ENV) $(BIN)/python manage.py seed_demo_media
	# Beat does not run here: run_schedule publishes scheduled releases beside the server.
	$(DEMO_ENV) $(BIN)/python manage.py run_schedule & trap 'kill $$!' EXIT; \
		$(DEMO_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# pip-audit needs PyPI's JSON API; where it cannot reach it, it says NOT AUDITED and passes
# (AUDIT_STRICT=1 fails instead). bandit's skipped checks are listed in pyproject.toml.
audit: install
	$(BIN)/python scripts/audit_dependencies.py $(if $(AUDIT_STRICT),--strict) requirements/dev.txt
	$(BIN)/bandit --configfile pyproject.toml --recursive --quiet config news public agencies media_library people outreach webhooks accreditation scripts
	@echo "bandit: no issues in config, news, public, agencies, media_library, people, outreach, webhooks, accreditation, scripts"

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	@command -v wrk >/dev/null || { echo "Installing wrk (Debian) for the site benchmarks"; \
		apt-get install -y -qq wrk || { apt-get update -qq && apt-get install -y -qq wrk; }; }
	$(BIN)/python bench/import_bench.py
	$(BIN)/python bench/site_bench.py
	$(BIN)/python bench/search_bench.py
	$(BIN)/python bench/load_bench.py
	@command -v node >/dev/null && [ ! -d .bench-tools/node_modules/lighthouse ] && { \
		echo "Installing Lighthouse (npm) into .bench-tools for the photo benchmark"; \
		npm install --silent --no-audit --no-fund --prefix .bench-tools lighthouse@12; } || true
	$(BIN)/python bench/media_bench.py
	$(BIN)/python bench/outreach_bench.py
	$(BIN)/python bench/webhooks_bench.py

# Back up DATABASE_URL (the SQLite file when unset) to backups/, or FILE=path, and the media
# files beside it (<name>.media.tar).
backup: install
	$(BIN)/python scripts/backup.py backup $(FILE)

# Restore FILE into DATABASE_URL, and its media archive when beside it; refuses a database
# with tables or a media storage with files unless REPLACE=1.
restore: install
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/pressroom-....dump [REPLACE=1]"; exit 2; }
	$(BIN)/python scripts/backup.py restore $(FILE) $(if $(REPLACE),--replace)

# Needs GNU gettext (xgettext, msgmerge); translate the new entries, then `make install`.
messages: install
	$(DEMO_ENV) $(BIN)/python manage.py makemessages -l kk -l ru -l en \
		--ignore=.venv --ignore=bench --ignore=tests --add-location=file --no-obsolete

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache .hypothesis
