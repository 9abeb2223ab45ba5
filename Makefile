# Two entry points, each creating the virtual environment itself on a fresh machine:
#   make run   - set up, ingest the sample corpus, show what was indexed, search it
#   make test  - set up and run the whole test suite (what .ci/run calls)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

export DO_NOT_TRACK := 1
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: setup run test lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# The CPU wheel of torch must come first (see ../shared/OFFLINE.md): otherwise
	# sentence-transformers pulls a multi-GB CUDA build.
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/researchdesk ingest data/sample_corpus --exclude "*.jsonl"
	$(BIN)/researchdesk documents
	$(BIN)/researchdesk search "What is the total expense ratio of the HPW Global Income Fund?" --k 3
	$(BIN)/researchdesk ask "What is Harbor Point's year-end 2026 target for the S&P 500?"

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .researchdesk
