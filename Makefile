# make demo:  bake a project with the default answers into build/ and start it
# make test:  run the template's whole test suite
# make bench: measure what Sentry costs a baked project (README: Benchmarks); not a test
# make lock:  refresh the generated project's uv.lock after a change to its pyproject.toml
# make upgrade: the same, moving every pin to the newest release its range allows
# Each creates the template's virtual environment in .venv the first time.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO := build/averon_backend

.PHONY: demo test bench lint lock upgrade install

demo: install
	@if [ -d $(DEMO) ]; then echo "Reusing $(DEMO) (delete it to bake afresh)"; \
	else $(BIN)/cookiecutter --no-input --output-dir build .; fi
	$(MAKE) -C $(DEMO) run

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
$(VENV)/.installed: requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@
