"""Fixtures of the HTTP service tests: an app over the sample index, keys per role.

The service tests work on their own copy of the sample index: their session-long
pipeline holds the embedded store open (one opener at a time) and their ingestion and
delete tests change it, neither of which other test packages may see. The copy and its
pipeline are loaded once per session; every test gets its own
app (own rate limiter, metrics) whose service tables live in the sample index's database,
so tests create their own keys and look only at their own records.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.api import create_app
from core.settings import Settings
from tests.conftest import SAMPLE_CORPUS

Headers = dict[str, str]


class SharedPipeline:
    """The session's pipeline, handed to each app without letting the app close it."""

    def __init__(self, pipeline: Any) -> None:
        self._pipeline = pipeline

    def __getattr__(self, name: str) -> Any:
        return getattr(self._pipeline, name)

    def close(self) -> None:
        pass


@pytest.fixture(scope="session")
def sample_index(sample_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the session's sample index (overrides the root fixture here)."""
    copy = tmp_path_factory.mktemp("api-index") / "index"
    shutil.copytree(sample_index, copy)
    return copy


@pytest.fixture(scope="session")
def sample_pipeline(sample_index: Path) -> Iterator[Any]:
    from assistant.pipeline import Pipeline

    pipeline = Pipeline.from_settings(Settings(data_dir=sample_index))
    yield pipeline
    pipeline.close()


@pytest.fixture
def settings(sample_index: Path, tmp_path: Path) -> Settings:
    return Settings(data_dir=sample_index, api_ingest_root=tmp_path / "inbox")


@pytest.fixture
def make_app(sample_pipeline: Any) -> Callable[..., FastAPI]:
    def make(settings: Settings, pipeline: Any = None) -> FastAPI:
        shared = SharedPipeline(pipeline or sample_pipeline)
        return create_app(settings, pipeline_factory=lambda: shared)

    return make


@pytest.fixture
def app(make_app: Callable[..., FastAPI], settings: Settings) -> FastAPI:
    return make_app(settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def key(app: FastAPI) -> Callable[..., Headers]:
    """``key("advisor", groups=["compliance"])`` -> Authorization headers of a new key."""

    def make(*roles: str, groups: Sequence[str] = ()) -> Headers:
        _, secret = app.state.service.keys.create(list(roles), list(groups))
        return {"Authorization": f"Bearer {secret}"}

    return make


@pytest.fixture
def advisor(key: Callable[..., Headers]) -> Headers:
    return key("advisor")


@pytest.fixture(scope="session")
def sample_questions() -> list[dict[str, Any]]:
    lines = (SAMPLE_CORPUS / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def sse_events(text: str) -> list[tuple[str, dict[str, Any]]]:
    """(event, data) pairs of a Server-Sent Events body."""
    events = []
    for block in text.strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        events.append((fields["event"], json.loads(fields["data"])))
    return events
