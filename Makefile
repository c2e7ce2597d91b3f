# Every target sets itself up from a fresh clone with only python3 and make: a pinned uv
# is bootstrapped into .venv-tools/, then .venv/ is synced to uv.lock exactly. Targets
# sync again whenever uv.lock or pyproject.toml change.
PYTHON ?= python3
UV_VERSION := 0.13.8
TOOLS := .venv-tools
UV := $(TOOLS)/bin/uv
UV_STAMP := $(TOOLS)/.uv-$(UV_VERSION)
VENV := .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.synced-run
DEV_STAMP := $(VENV)/.synced-dev

# uv reads no pip configuration; it uses this interpreter, never downloads one, and
# installs into $(VENV).
export UV_PYTHON := $(PYTHON)
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
UV_SYNC := $(UV) sync --locked

# Python here may run with PYTHONDONTWRITEBYTECODE set: then every process (each pytest
# worker, each `python -m amika_tui` a test starts) compiles every module it imports, and
# pytest rewrites every test module, from source again (~4 s CPU per process). Bytecode is
# cached instead, under .pycache/ so the source tree stays clean.
export PYTHONDONTWRITEBYTECODE :=
export PYTHONPYCACHEPREFIX := $(CURDIR)/.pycache

.PHONY: run test test-stress lint typecheck imports pytest lock lock-upgrade test-lowest bench screenshots clean

$(UV_STAMP):
	rm -rf $(TOOLS)
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet 'uv==$(UV_VERSION)'
	touch $@

# What running needs, no dev extras. Inexact, so a dev install stays whole.
$(RUN_STAMP): uv.lock pyproject.toml $(UV_STAMP)
	$(UV_SYNC) --inexact
	touch $@

# Exactly the lock with the dev extras: anything else in the venv is removed.
$(DEV_STAMP): uv.lock pyproject.toml $(UV_STAMP)
	$(UV_SYNC) --extra dev
	touch $@ $(RUN_STAMP)

run: $(RUN_STAMP)
	$(BIN)/amika-tui --local

test: lint typecheck imports pytest

# The loaded check: `make test` three times in a row with both cores kept busy (.ci/stress).
test-stress: $(DEV_STAMP)
	.ci/stress

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(DEV_STAMP)
	$(BIN)/mypy

imports: $(DEV_STAMP)
	$(BIN)/lint-imports

# One worker per core (pytest-xdist); each worker runs its own reference server.
pytest: $(DEV_STAMP)
	$(BIN)/pytest -n auto

# After editing pyproject.toml's dependencies: update uv.lock, keeping the other pins.
lock: $(UV_STAMP)
	$(UV) lock

# Move every pin in uv.lock to the newest release pyproject.toml admits.
lock-upgrade: $(UV_STAMP)
	$(UV) lock --upgrade

# The suite on the oldest releases pyproject.toml admits, in a venv of its own.
test-lowest: $(UV_STAMP)
	rm -rf .venv-lowest
	$(UV) venv --quiet .venv-lowest
	$(UV) pip install --quiet --python .venv-lowest --resolution lowest-direct -e '.[dev]'
	.venv-lowest/bin/pytest -p no:cacheprovider

bench: $(DEV_STAMP)
	$(BIN)/python -m benchmarks

screenshots: $(DEV_STAMP)
	$(BIN)/python -m amika_tui.ui.screenshots screenshots

clean:
	rm -rf $(VENV) $(TOOLS) .pycache .venv-lowest .import_linter_cache .mypy_cache .pytest_cache .ruff_cache build dist
