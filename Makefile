# Hearth: `make run` serves the embedded setup, `make test` runs every test.
# Both set up whatever is missing first. `make help` lists everything.

SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
HOST ?= 127.0.0.1
PORT ?= 5000
# Each open WebSocket holds a gunicorn thread: THREADS caps concurrent clients per process.
THREADS ?= 1000
# glibc gives every thread its own cache of freed blocks, and a server holds about
# four threads per open socket: those caches never drain. A 1,000-client 10-minute
# soak grew 16% after warm-up with them and 0.1% without (`python -m bench.chat_load
# --soak 600`); at 2,000 clients CPU per message fell 13%. Ignored off glibc.
SERVER_ENV := GLIBC_TUNABLES=$${GLIBC_TUNABLES:+$$GLIBC_TUNABLES:}glibc.malloc.tcache_count=0
VENDOR := static/vendor
VENDOR_FILES := $(VENDOR)/socket.io.esm.min.js $(VENDOR)/chart.umd.min.js

.DEFAULT_GOAL := help

.PHONY: help
help: ## Show this help
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[1m%-16s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(VENV)/.installed: requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(VENDOR)/socket.io.esm.min.js: node_modules/.installed
	@mkdir -p $(VENDOR)
	cp node_modules/socket.io-client/dist/socket.io.esm.min.js $@

$(VENDOR)/chart.umd.min.js: node_modules/.installed
	@mkdir -p $(VENDOR)
	cp node_modules/chart.js/dist/chart.umd.min.js $@

# The learned English crisis layer: fetches the pinned construct-tracker wheel (Reddit
# Mental Health Dataset, CC BY 4.0) into instance/cache and trains in instance/models.
CRISIS_MODEL := instance/models/crisis_en.joblib
$(CRISIS_MODEL): $(VENV)/.installed moderation/crisis_train.py moderation/data/crisis_en_positives.txt moderation/data/crisis_en_hard_negatives.txt
	$(BIN)/python -m moderation.crisis_train

# The cross-lingual crisis layer, trained in seconds from the committed exemplars.
CROSSLINGUAL := instance/models/crosslingual.npz
$(CROSSLINGUAL): $(VENV)/.installed moderation/exemplars/*.tsv moderation/crosslingual_train.py
	$(BIN)/python -m moderation.crosslingual_train $@

.PHONY: crosslingual-model
crosslingual-model: $(CROSSLINGUAL) ## Train the cross-lingual crisis layer (moderation/exemplars)

# Translations (docs/i18n.md). English is the source language: the msgids are the
# English text. Each other language has a catalogue in translations/<code>/ whose
# compiled .mo is build output, made here from the .po and never committed.
LOCALES := es de
PO_FILES := $(foreach locale,$(LOCALES),translations/$(locale)/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)
# Besides gettext's own names (_, gettext, ngettext, which the JavaScript uses too:
# static/js/i18n.js), _l and N_ mark Python strings translated later (lazy form labels,
# data read at import).
I18N_KEYWORDS := -k _l -k N_

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po $(VENV)/.installed
	$(BIN)/pybabel --quiet compile --locale $* --input-file $< --output-file $@

.PHONY: i18n
i18n: $(VENV)/.installed ## Extract every marked string and update the catalogues in translations/
	PYTHONPATH=. $(BIN)/pybabel --quiet extract --mapping-file babel.cfg $(I18N_KEYWORDS) \
		--ignore-dirs '.* _* node_modules vendor tests bench migrations instance translations' \
		--add-location file --sort-output --project Hearth --copyright-holder 'Hearth contributors' \
		--output-file translations/messages.pot .
	@for locale in $(LOCALES); do \
		po=translations/$$locale/LC_MESSAGES/messages.po; \
		if [ -f $$po ]; then \
			$(BIN)/pybabel --quiet update --no-fuzzy-matching --ignore-obsolete \
				--input-file translations/messages.pot --output-file $$po --locale $$locale; \
		else \
			$(BIN)/pybabel init --input-file translations/messages.pot --output-file $$po --locale $$locale; \
		fi; \
	done
	$(BIN)/python -m tools.i18n_status

.PHONY: setup
setup: $(VENV)/.installed $(VENDOR_FILES) $(CROSSLINGUAL) $(CRISIS_MODEL) $(MO_FILES) ## Install dependencies, build the crisis models and compile the translations

.PHONY: migrate
migrate: setup ## Apply database migrations (DATABASE_URL, default SQLite in instance/)
	$(FLASK) db upgrade

.PHONY: run
run: migrate ## Serve the embedded setup on http://127.0.0.1:5000 with demo data
	$(FLASK) seed-demo --if-empty
	$(SERVER_ENV) HOST=$(HOST) PORT=$(PORT) $(BIN)/python app.py

.PHONY: serve
serve: setup ## Production server, one worker (HOST, PORT, DATABASE_URL, SECRET_KEY, ...)
	HEARTH_ENV=$${HEARTH_ENV:-production} $(FLASK) db upgrade
	$(SERVER_ENV) HEARTH_ENV=$${HEARTH_ENV:-production} $(BIN)/gunicorn --config gunicorn.conf.py --workers 1 --threads $(THREADS) \
		--bind $(HOST):$(PORT) --access-logfile - --graceful-timeout 10 'app:create_app()'

.PHONY: browser
browser: ## Install Debian's Chromium for the browser tests (needs root)
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

.PHONY: test
test: setup ## Run the whole test suite (browser tests need `make browser`; PostgreSQL/Redis tests skip without them, except under CI=true)
	@if [ "$$CI" = "true" ]; then $(MAKE) --no-print-directory browser; fi
	HEARTH_TEST_POSTGRES=$(TEST_POSTGRES_SERVER) HEARTH_TEST_REDIS=$(TEST_REDIS_URL) $(BIN)/python -m pytest

# PostgreSQL for `make test-postgres`: a database named hearth_test is dropped and
# re-created on this server. Elsewhere start one with e.g.
#   pg_ctlcluster 15 main start   (Debian)   or   docker run -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust postgres
TEST_POSTGRES_SERVER ?= postgresql+psycopg://postgres@127.0.0.1:5432
# Redis for the multi-process tests: redis-server --port 6379 (or docker run -p 6379:6379 redis)
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15

.PHONY: test-postgres
test-postgres: setup ## Run every database test on PostgreSQL (TEST_POSTGRES_SERVER)
	TEST_DATABASE_URL=$(TEST_POSTGRES_SERVER)/hearth_test HEARTH_TEST_POSTGRES=$(TEST_POSTGRES_SERVER) \
		$(BIN)/python -m pytest --ignore=tests/unit -m "not browser"

.PHONY: services-check
services-check: setup ## Fail loudly unless PostgreSQL and Redis answer (used by CI)
	$(BIN)/python -c "import sqlalchemy as sa; sa.create_engine('$(TEST_POSTGRES_SERVER)/postgres', connect_args={'connect_timeout': 3}).connect().close(); print('PostgreSQL: ok')"
	$(BIN)/python -c "import redis; redis.Redis.from_url('$(TEST_REDIS_URL)', socket_connect_timeout=3).ping(); print('Redis: ok')"

.PHONY: lint
lint: setup ## ruff check, ruff format --check and mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MAKE) --no-print-directory typecheck

.PHONY: typecheck
typecheck: setup ## mypy (strict on the pure modules and services)
	$(BIN)/mypy

.PHONY: fmt
fmt: setup ## Format and auto-fix the code
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

.PHONY: lock
lock: ## Re-resolve pinned dependencies into requirements.lock
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --disable-pip-version-check '.[dev,bench]'
	.lock-venv/bin/pip freeze --exclude hearth > requirements.lock
	rm -rf .lock-venv

.PHONY: clean
clean: ## Remove installed dependencies and caches (keeps instance/ data)
	rm -rf $(VENV) node_modules $(VENDOR) .pytest_cache .mypy_cache .ruff_cache
