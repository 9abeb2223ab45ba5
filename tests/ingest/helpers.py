"""Helpers for ingestion tests: tiny corpora and an index consistency check."""

from __future__ import annotations

from pathlib import Path

from core.settings import Settings
from ingest.catalog import Catalog
from ingest.db import connect
from ingest.index import collection_name, open_index_store
from ingest.reaper import alive
from ingest.store import SearchFilter

PARAGRAPH = (
    "Harbor Point expects global equities to return {n} percent in 2026, led by quality "
    "companies with strong free cash flow. Bond yields should ease as inflation cools. "
)


def write_corpus(root: Path, files: int = 3, paragraphs: int = 4) -> list[Path]:
    root.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(files):
        path = root / f"note_{i}.md"
        body = "\n\n".join(PARAGRAPH.format(n=i * 10 + p) for p in range(paragraphs))
        path.write_text(f"# Note {i}\n\n{body}\n", encoding="utf-8")
        paths.append(path)
    return paths


def settings(data_dir: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "data_dir": data_dir,
        "workers": 1,
        "chunk_size": 64,
        "chunk_overlap": 8,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def index_state(config: Settings) -> dict[str, tuple[str, int]]:
    """source -> (version, chunks) after checking index and catalogue agree exactly."""
    catalog = Catalog(connect(config.resolved_database_url), config.index)
    store = open_index_store(config)
    try:
        name = collection_name(config)
        entries = catalog.all()
        assert catalog.pending() == [], "a write-ahead intent was left behind"
        if name not in store.collections():
            assert entries == []
            return {}
        for entry in entries:
            only = SearchFilter(document_ids=(entry.id,))
            assert store.count(name, only) == entry.chunks, entry.source
            stale = SearchFilter(document_ids=(entry.id,), exclude_versions=(entry.version,))
            assert store.count(name, stale) == 0, f"old points left for {entry.source}"
        assert store.count(name) == sum(e.chunks for e in entries), "orphan points in the index"
        ids = [hit.id for hit in store.scroll(name, fields=("document_id",))]
        assert len(ids) == len(set(ids))
        return {e.source: (e.version, e.chunks) for e in entries}
    finally:
        store.close()


def running(pid: int) -> bool:
    """True while ``pid`` exists and is not a zombie."""
    return alive(pid)


def still_running(pids: list[int], within: float) -> list[int]:
    """The pids still running after waiting up to ``within`` seconds for them to end."""
    import time

    deadline = time.monotonic() + within
    alive = [p for p in pids if running(p)]
    while alive and time.monotonic() < deadline:
        time.sleep(0.2)
        alive = [p for p in alive if running(p)]
    return alive
