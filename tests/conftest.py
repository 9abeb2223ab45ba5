"""Shared fixtures: every test gets its own data directory; nothing touches the network."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.local_llm_server import local_llm  # noqa: F401  (session fixture: a real model)

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

REPO = Path(__file__).resolve().parents[1]
SAMPLE_CORPUS = REPO / "data" / "sample_corpus"
FINANCEBENCH = REPO.parent / "shared" / "benchmarks" / "financebench"


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point all state at a temp dir and clear any deployment settings from the env."""
    for name in list(os.environ):
        if name.startswith("RESEARCHDESK_") or name in (
            "QDRANT_URL",
            "QDRANT_API_KEY",
            "OPENAI_API_KEY",
            "OPENAI_BASE_URL",
        ):
            monkeypatch.delenv(name)
    path = tmp_path / "state"
    monkeypatch.setenv("RESEARCHDESK_DATA_DIR", str(path))
    monkeypatch.chdir(tmp_path)  # no stray .env from the developer's checkout
    yield path


@pytest.fixture
def sample_corpus() -> Path:
    if not SAMPLE_CORPUS.is_dir():
        pytest.fail(f"sample corpus missing at {SAMPLE_CORPUS}")
    return SAMPLE_CORPUS


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample corpus ingested once per test session; returns its data directory."""
    from core.settings import Settings
    from ingest.pipeline import run_ingest

    state = tmp_path_factory.mktemp("sample-index")
    report = run_ingest([SAMPLE_CORPUS], Settings(data_dir=state, workers=2), exclude=["*.jsonl"])
    assert report.failed == [], report.to_json()
    return state
