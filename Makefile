# The README's two commands: `make run` (the whole stack) and `make test` (every test).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock | sha1sum | cut -c1-12)

.PHONY: run test test-licensed-zeebe install lint clean distclean lock bench faults sbom

$(STAMP): pyproject.toml requirements.lock
	@echo "==> Menyiapkan lingkungan Python di $(VENV)"
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip==26.3
	$(PY) -m pip install --progress-bar on -c requirements.lock -e '.[stack,test]'
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: $(STAMP)
	$(PY) -m stack install --test

## Install what is missing, start Zeebe, SeaweedFS, the database, workers and web app.
run: $(STAMP)
	@$(PY) -m stack run

## Install what is missing, then lint, type-check and run every test on an isolated stack
## (on the default Zeebe), then the lane of the other supported Zeebe version. The tests run
## in TEST_WORKERS processes (pytest-xdist), each on an isolated stack of its own, a file
## at a time per process (TEST_WORKERS=0: one process). The 25 slowest tests are listed at
## the end: where the suite's time goes, for whoever keeps it inside its budget.
TEST_WORKERS ?= 2
PYTEST := $(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile --durations=25
test: $(STAMP)
	$(PY) -m stack install --test
	$(MAKE) --no-print-directory lint
	$(PYTEST)
	$(MAKE) --no-print-directory test-licensed-zeebe

## For an agency that holds a Camunda licence: what depends on the engine's version on Zeebe
## 8.6.0 (Camunda License 1.0), on a stack of their own: the platform checks, the job backoff
## and timer rounds (the broker fix), SOP 1's scenarios and a broker restart with cases and
## timers in flight. (What Alur does around the engine — browser, S3, database, worker
## crashes — is the same on either version and runs in the main suite.)
LICENSED_ZEEBE ?= 8.6.0
LICENSED_LANE ?= features/platform/test_platform.py features/platform/test_backoff.py \
	features/sop1 features/faults/test_broker_restart.py
test-licensed-zeebe: $(STAMP)
	ALUR_ZEEBE_VERSION=$(LICENSED_ZEEBE) $(PY) -m stack install --test
	ALUR_ZEEBE_VERSION=$(LICENSED_ZEEBE) $(PYTEST) -p no:cacheprovider -k "not in_the_browser" \
	  $(LICENSED_LANE)

## Install what is missing, then run every benchmark at full size on its own isolated stack
## (figures printed and written to var/bench/; BENCH_ARGS="--only national --plans" e.g.).
bench: $(STAMP)
	$(PY) -m stack install --test
	$(PY) -m bench --size full $(BENCH_ARGS)

## Install what is missing, then run the fault and hostile-input tests and print their table.
faults: $(STAMP)
	$(PY) -m stack install --test
	$(PY) -m features.report

## Write the CycloneDX SBOM of everything installed, each component with its licence, to
## var/sbom/alur.cdx.json; fails naming any licence deploy/licences.toml does not accept.
sbom: $(STAMP)
	$(PY) -m stack sbom

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

## Remove local state (cases, documents, database) but keep the cached downloads.
clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache

## Also remove the Python environment.
distclean: clean
	rm -rf $(VENV)

## Re-pin every Python dependency after changing pyproject.toml.
lock:
	rm -rf build/lockenv && $(PYTHON) -m venv build/lockenv
	build/lockenv/bin/pip install -q pip==26.3 && build/lockenv/bin/pip install -q '.[stack,test]'
	(echo "# Every Python package Alur installs, pinned (pip constraints). Regenerate with: make lock"; \
	 build/lockenv/bin/pip freeze --exclude alur) > requirements.lock
	rm -rf build
