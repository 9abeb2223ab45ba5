# Two entry points, each creating the virtual environment itself on a fresh machine:
#   make run   - set up, ingest the sample corpus, list, search and ask it, then serve the
#                HTTP API on 127.0.0.1:8000 with a curl example (Ctrl-C stops it)
#   make test  - set up and run the whole test suite (what .ci/run calls)
PYTHON ?= python3
PORT ?= 8000
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

export DO_NOT_TRACK := 1
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: setup run test lint clean

# The CPU wheel of torch must come first: installed after sentence-transformers, pip would
# pick the latest torch, a multi-GB build with CUDA libraries that a CPU never uses.
$(STAMP): pyproject.toml
	@echo "==> [1/3] creating $(VENV) (a few minutes in all on a fresh machine; pip lists each package)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	@echo "==> [2/3] installing the CPU build of torch"
	$(BIN)/pip install --progress-bar on torch==2.13.0
	@echo "==> [3/3] installing ResearchDesk and its dependencies"
	$(BIN)/pip install --progress-bar on -e '.[dev]'
	touch $(STAMP)
	@echo "==> ready: run commands as $(BIN)/researchdesk ..., or 'source $(BIN)/activate' first"

setup: $(STAMP)

# The sample corpus is small, so its PDFs' ruled tables are read too (rows keep their column
# headers); the setting is off by default because it slows extraction about 60x on filings.
run: $(STAMP)
	RESEARCHDESK_PDF_TABLES=true $(BIN)/researchdesk ingest data/sample_corpus --exclude "*.jsonl"
	$(BIN)/researchdesk documents
	$(BIN)/researchdesk search "What is the total expense ratio of the HPW Global Income Fund?" --k 3
	$(BIN)/researchdesk ask "What is Harbor Point's year-end 2026 target for the S&P 500?"
	@KEY=$$($(BIN)/researchdesk keys create --role advisor --name "make run" --json \
		| $(BIN)/python -c "import json, sys; print(json.load(sys.stdin)['key'])") && \
	echo "" && \
	echo "This advisor key has no groups: documents restricted to a group (allowed_groups in a" && \
	echo "sidecar, e.g. compliance) are invisible to it. A key with groups:" && \
	echo "  $(BIN)/researchdesk keys create --role advisor --groups compliance,equity-research --name you" && \
	echo "" && \
	echo "Serving the API on http://127.0.0.1:$(PORT) (Ctrl-C stops it). From another terminal:" && \
	echo "  curl -s http://127.0.0.1:$(PORT)/v1/chat -H 'Authorization: Bearer $$KEY' \\" && \
	echo "    -H 'Content-Type: application/json' \\" && \
	echo "    -d '{\"message\": \"What is the total expense ratio of the HPW Global Income Fund?\"}'" && \
	exec $(BIN)/researchdesk serve --host 127.0.0.1 --port $(PORT)

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
