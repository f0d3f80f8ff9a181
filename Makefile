# Two commands on a fresh machine with Python 3.11: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run test lint setup clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip==26.3 setuptools==80.9.0
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

$(DEV_STAMP): $(STAMP) requirements-dev.lock
	$(BIN)/python -m pip install --quiet -r requirements-dev.lock
	touch $(DEV_STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/newsfacts run raw output

test: $(DEV_STAMP)
	bash .ci/install-chromium
	$(BIN)/ruff check pipeline tests bench
	$(BIN)/python -m pytest

lint: $(DEV_STAMP)
	$(BIN)/ruff check pipeline tests bench

clean:
	rm -rf $(VENV) output/*.parquet
