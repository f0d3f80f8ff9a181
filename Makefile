# Two commands on a fresh machine with Python 3.11 or 3.12: `make run` and `make test`;
# then `make report`, `make notebook`, `make evaluate`, `make train`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run report evaluate notebook train test lint setup clean

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

output/documents.parquet: | $(STAMP)
	$(BIN)/newsfacts run raw output

# output/report.html about the run in output/ (runs raw/ -> output/ first if there is none).
report: output/documents.parquet
	$(BIN)/newsfacts report output

# The scorer's figures on the train set tests/corpus/train.
evaluate: $(STAMP)
	$(BIN)/newsfacts evaluate tests/corpus/train.gold.jsonl tests/corpus/train

# notebooks/explore.ipynb executed against output/ into output/explore.ipynb (the tracked
# notebook stays as it is); Jupyter's kernel and client come with requirements-dev.lock.
notebook: output/documents.parquet $(DEV_STAMP)
	$(BIN)/python notebooks/execute.py output

# The clean stage's line model (pipeline/clean/line_model.json) from the corpus's train sets;
# rerun after changing the boilerplate cues, the clean passes or the line features.
train: $(STAMP)
	$(BIN)/python -m pipeline.tools.train_line_model

test: $(DEV_STAMP)
	bash .ci/install-chromium
	$(BIN)/ruff check pipeline tests bench
	$(BIN)/python -m pytest

lint: $(DEV_STAMP)
	$(BIN)/ruff check pipeline tests bench

clean:
	rm -rf $(VENV) output/*.parquet
