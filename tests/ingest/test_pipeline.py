from __future__ import annotations

import hashlib
import json
import socket
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from core.errors import ConfigError, StoreError
from ingest import extract, pipeline
from ingest.catalog import Catalog
from ingest.db import connect
from ingest.embedding import CachedEmbedder, EmbeddingCache
from ingest.index import index_lock
from ingest.pipeline import run_ingest
from tests.ingest.helpers import index_state, settings, write_corpus

pytestmark = pytest.mark.slow  # each test embeds with the real bundled model


def test_first_run_adds_and_rerun_changes_nothing(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = write_corpus(tmp_path / "corpus")
    config = settings(data_dir)
    report = run_ingest([tmp_path / "corpus"], config)
    assert (report.count("added"), report.count("failed"), report.status) == (3, 0, "succeeded")
    assert report.chunks > 3
    before = index_state(config)
    assert set(before) == {str(f.resolve()) for f in files}

    # An unchanged re-run must not parse or embed anything.
    def boom(*_a: Any, **_k: Any) -> Any:
        raise AssertionError("unchanged files were reprocessed")

    monkeypatch.setattr(extract, "prepare", boom)
    monkeypatch.setattr(pipeline, "make_embedder", boom)
    again = run_ingest([tmp_path / "corpus"], config)
    assert (again.count("unchanged"), again.chunks, again.status) == (3, 0, "succeeded")
    assert index_state(config) == before


def test_changed_file_and_sidecar_replace_old_chunks(tmp_path: Path, data_dir: Path) -> None:
    files = write_corpus(tmp_path / "c")
    config = settings(data_dir)
    run_ingest([tmp_path / "c"], config)
    before = index_state(config)
    files[0].write_text("# Note 0\n\nA completely new short text about rates.\n", encoding="utf-8")
    Path(str(files[1]) + ".meta.json").write_text(json.dumps({"tags": ["macro"]}))
    report = run_ingest([tmp_path / "c"], config)
    assert (report.count("updated"), report.count("unchanged")) == (2, 1)
    after = index_state(config)
    key0, key1 = str(files[0].resolve()), str(files[1].resolve())
    assert after[key0][1] == 1 and after[key0][0] != before[key0][0]
    assert after[key1][0] != before[key1][0] and after[key1][1] == before[key1][1]


def test_prune_only_with_flag(tmp_path: Path, data_dir: Path) -> None:
    files = write_corpus(tmp_path / "c")
    config = settings(data_dir)
    run_ingest([tmp_path / "c"], config)
    files[2].unlink()
    kept = run_ingest([tmp_path / "c"], config)
    assert kept.count("deleted") == 0 and len(index_state(config)) == 3
    pruned = run_ingest([tmp_path / "c"], config, prune=True)
    assert pruned.count("deleted") == 1
    assert set(index_state(config)) == {str(files[0].resolve()), str(files[1].resolve())}


def test_bad_files_are_reported_and_the_job_goes_on(tmp_path: Path, data_dir: Path) -> None:
    root = tmp_path / "c"
    write_corpus(root, files=2)
    (root / "empty.txt").write_bytes(b"")
    (root / "junk.txt").write_bytes(bytes(range(256)) * 40)
    (root / "broken.pdf").write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 50)
    (root / "data.xyz").write_text("what format is this")
    config = settings(data_dir)
    report = run_ingest([root], config)
    reasons = {Path(f.path).name: f.reason or "" for f in report.failed}
    assert set(reasons) == {"empty.txt", "junk.txt", "broken.pdf", "data.xyz"}
    assert "empty" in reasons["empty.txt"]
    assert "unsupported" in reasons["data.xyz"]
    assert report.count("added") == 2 and report.status == "completed_with_errors"
    assert len(index_state(config)) == 2


def test_file_that_now_fails_keeps_its_indexed_version(tmp_path: Path, data_dir: Path) -> None:
    (path,) = write_corpus(tmp_path / "c", files=1)
    config = settings(data_dir)
    run_ingest([tmp_path / "c"], config)
    before = index_state(config)
    path.write_bytes(b"\x00\x01\x02binary junk now" * 100)
    report = run_ingest([tmp_path / "c"], config)
    assert report.count("failed") == 1
    assert index_state(config) == before


@pytest.mark.parametrize("crash_at", ["upsert", "delete", "commit"])
def test_a_job_killed_mid_document_is_repaired_by_the_next(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch, crash_at: str
) -> None:
    files = write_corpus(tmp_path / "c", files=2)
    config = settings(data_dir)
    run_ingest([tmp_path / "c"], config)
    for f in files:
        f.write_text(f.read_text() + "\n\nAn added paragraph on emerging markets debt.\n")

    class Killed(BaseException):
        """Stands for SIGKILL: nothing after it runs, not even except-Exception blocks."""

    calls = {"n": 0}

    def crash(*_a: Any, **_k: Any) -> None:
        calls["n"] += 1
        raise Killed

    target = {
        "upsert": ("ingest.store.edge.EdgeStore.upsert"),
        "delete": ("ingest.store.edge.EdgeStore.delete"),
        "commit": ("ingest.catalog.Catalog.commit_replace"),
    }[crash_at]
    with monkeypatch.context() as patch:
        patch.setattr(target, crash)
        with pytest.raises(Killed):
            run_ingest([tmp_path / "c"], config)
    assert calls["n"] == 1
    report = run_ingest([tmp_path / "c"], config)
    state = index_state(config)  # consistent: no duplicates, orphans or half documents
    assert len(state) == 2
    assert report.count("failed") == 0
    jobs = Catalog(connect(config.resolved_database_url), config.index)
    assert jobs.pending() == []


def test_changing_chunk_settings_reindexes_everything(tmp_path: Path, data_dir: Path) -> None:
    write_corpus(tmp_path / "c")
    run_ingest([tmp_path / "c"], settings(data_dir))
    report = run_ingest([tmp_path / "c"], settings(data_dir, chunk_size=96))
    assert report.count("updated") == 3
    index_state(settings(data_dir, chunk_size=96))


def test_embedding_model_mismatch_is_refused(tmp_path: Path, data_dir: Path) -> None:
    write_corpus(tmp_path / "c", files=1)
    config = settings(data_dir)
    run_ingest([tmp_path / "c"], config)
    catalog = Catalog(connect(config.resolved_database_url), config.index)
    params = catalog.params() or {}
    catalog.set_params({**params, "embedding_model": "some/other-model", "dim": 768})
    (tmp_path / "c" / "new.md").write_text("# New\n\nFresh text about bonds.\n")
    with pytest.raises(ConfigError, match="was built with embedding model"):
        run_ingest([tmp_path / "c"], config)


def test_one_job_at_a_time(tmp_path: Path, data_dir: Path) -> None:
    write_corpus(tmp_path / "c", files=1)
    config = settings(data_dir)
    with index_lock(config), pytest.raises(ConfigError, match="another ingestion job"):
        run_ingest([tmp_path / "c"], config)


def test_missing_path_is_a_config_error(tmp_path: Path, data_dir: Path) -> None:
    with pytest.raises(ConfigError, match="nope"):
        run_ingest([tmp_path / "nope"], settings(data_dir))


def test_ingestion_makes_no_network_connection(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_a: Any, **_k: Any) -> None:
        raise AssertionError("ingestion tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    write_corpus(tmp_path / "c", files=2)
    (tmp_path / "c" / "page.html").write_text(
        "<html><body><h1>Rates</h1><p>Cuts ahead.</p></body></html>"
    )
    report = run_ingest([tmp_path / "c"], settings(data_dir, workers=2))
    assert report.count("added") == 3, report.to_json()


def test_remote_store_unreachable_is_a_clear_error(tmp_path: Path, data_dir: Path) -> None:
    write_corpus(tmp_path / "c", files=1)
    config = settings(data_dir, qdrant_url="http://127.0.0.1:9")
    with pytest.raises(StoreError):
        run_ingest([tmp_path / "c"], config)


def test_killed_update_with_unchanged_texts_rolls_back_exactly(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sidecar-only change keeps every chunk text; a crash between upsert batches must
    still leave the old version whole once the change is reverted."""
    (path,) = write_corpus(tmp_path / "c", files=1, paragraphs=12)
    config = settings(data_dir)
    run_ingest([tmp_path / "c"], config)
    before = index_state(config)
    assert before[str(path.resolve())][1] > 2
    sidecar = Path(str(path) + ".meta.json")
    sidecar.write_text(json.dumps({"tags": ["new"]}))

    class Killed(BaseException):
        pass

    from ingest.store.edge import EdgeStore

    real_upsert = EdgeStore.upsert
    calls = {"n": 0}

    def upsert_then_die(self: Any, collection: str, points: Any) -> None:
        calls["n"] += 1
        if calls["n"] > 1:
            raise Killed
        real_upsert(self, collection, points)

    monkeypatch.setattr(pipeline, "UPSERT_BATCH", 2)
    with monkeypatch.context() as patch:
        patch.setattr("ingest.store.edge.EdgeStore.upsert", upsert_then_die)
        with pytest.raises(Killed):
            run_ingest([tmp_path / "c"], config)
    sidecar.unlink()  # back to exactly what was indexed
    report = run_ingest([tmp_path / "c"], config)
    assert report.count("unchanged") == 1
    assert index_state(config) == before


def test_the_abstention_calibration_survives_later_jobs(tmp_path: Path, data_dir: Path) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus, files=1)
    s = settings(data_dir)
    run_ingest([corpus], s)
    catalog = Catalog(connect(s.resolved_database_url), s.index)
    params = catalog.params()
    assert params is not None
    catalog.set_params({**params, "calibration": {"features": {"threshold": 0.42}}})
    write_corpus(corpus, files=2)  # a new file: the next job embeds and writes params again
    report = run_ingest([corpus], s)
    assert report.count("added") == 1
    assert (catalog.params() or {})["calibration"] == {"features": {"threshold": 0.42}}


class _HashEmbedder:
    """Deterministic vectors from each text's hash; records every embedding call."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    @property
    def name(self) -> str:
        return "hash-embedder"

    @property
    def dim(self) -> int:
        return 8

    @staticmethod
    def vector(text: str) -> list[float]:
        digest = hashlib.sha256(text.encode()).digest()
        raw = np.frombuffer(digest[:8], dtype=np.uint8).astype(np.float32) + 1.0
        return (raw / np.linalg.norm(raw)).tolist()

    def embed(self, texts: Any) -> Any:
        self.calls.append(list(texts))
        return np.asarray([self.vector(t) for t in texts], dtype=np.float32)


@pytest.mark.parametrize("group", [1024, 1])
def test_documents_are_embedded_in_groups_and_keep_their_own_vectors(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch, group: int
) -> None:
    """Small documents share one embedding call (less padding, full GPU batches); each
    document still gets exactly the vectors of its own chunks."""
    write_corpus(tmp_path / "c", files=4)
    inner = _HashEmbedder()
    monkeypatch.setattr(
        pipeline,
        "make_embedder",
        lambda s: CachedEmbedder(inner, EmbeddingCache(tmp_path / "vectors.sqlite3")),
    )
    indexed: list[tuple[list[str], Any]] = []
    real_index = pipeline._Indexer.index

    def spy(self: Any, prepared: Any, vectors: Any, version: str, job_id: str) -> int:
        indexed.append(([c.embed_text for c in prepared.chunks], vectors))
        return int(real_index(self, prepared, vectors, version, job_id))

    monkeypatch.setattr(pipeline._Indexer, "index", spy)
    report = run_ingest([tmp_path / "c"], settings(data_dir, embed_group=group))
    assert report.count("added") == 4
    assert len(inner.calls) == (1 if group > 1 else 4)
    assert sum(len(c) for c in inner.calls) == report.chunks
    assert len(indexed) == 4
    for texts, vectors in indexed:
        np.testing.assert_allclose(vectors, [_HashEmbedder.vector(t) for t in texts])
    index_state(settings(data_dir))
