# make demo:  bake a project with the default answers into build/ and start it (another
#             port: make demo PORT=8010)
# make test:  run the template's whole test suite
# make bench: measure what Sentry costs a baked project (README: Benchmarks); not a test
# make lock:  refresh the generated project's uv.lock after a change to its pyproject.toml
# make upgrade: the same, moving every pin to the newest release its range allows
# Each creates the template's virtual environment in .venv the first time, with uv.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO := build/averon_backend

# uv: the release requirements-dev.txt pins (the one generated Makefiles install), from
# PyPI into .tools/ (git-ignored) with the machine's pip once; pip's --target needs no
# virtual environment of its own, and takes 1.6 s where a venv with pip takes 4 s.
UV_VERSION := $(shell sed -n 's/^uv==//p' requirements-dev.txt)
UV_DIR := .tools/uv-$(UV_VERSION)
UV := $(UV_DIR)/bin/uv
# uv builds .venv on this machine's Python; it never downloads one.
export UV_PYTHON_DOWNLOADS := never

.PHONY: demo test bench lint lock upgrade install

demo: install
	@if [ -d $(DEMO) ]; then echo "Reusing $(DEMO) (delete it to bake afresh)"; \
	else $(BIN)/cookiecutter --no-input --output-dir build .; fi
	@# The bake's Makefile takes the uv on PATH first: this one, instead of installing its own.
	PATH="$(CURDIR)/$(UV_DIR)/bin:$$PATH" $(MAKE) -C $(DEMO) run

test: install
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python bench/run.py

lint: install
	$(BIN)/ruff check hooks tests bench scripts
	$(BIN)/ruff format --check hooks tests bench scripts

lock: install
	$(BIN)/python scripts/refresh_locks.py

upgrade: install
	$(BIN)/python scripts/refresh_locks.py --upgrade

install: $(VENV)/.installed

# Reinstalls only when the requirements change.
$(VENV)/.installed: requirements-dev.txt | $(UV)
	$(UV) venv --quiet --allow-existing --python $(PYTHON) $(VENV)
	$(UV) pip install --quiet --python $(BIN)/python -r requirements-dev.txt
	touch $@

$(UV):
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --target $(UV_DIR) uv==$(UV_VERSION)
