"""The Ray engine: same index as the local engine, faults in workers, bad addresses.

Tests start their own small Ray (2 CPUs, no dashboard); the machine they run on is
shared, so the corpus is a slice of the sample corpus (the formats that load fastest).
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import sqlite3
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from cli.app import app
from core.settings import Settings
from ingest import ray_engine
from ingest.catalog import Catalog
from ingest.chunking import ChunkingConfig
from ingest.db import connect
from ingest.engines import RayEngine
from ingest.extract import Failed, Prepared, prepare
from ingest.index import collection_name, open_index_store
from ingest.pipeline import run_ingest
from tests.ingest.helpers import index_state, settings, write_corpus

ray = pytest.importorskip("ray", reason="pip install 'researchdesk[ray]'")

FIELDS = (
    *("document_id", "source", "title", "format", "allowed_groups", "tags", "date", "author"),
    *("meta", "chunk_id", "position", "text", "page_start", "page_end", "section"),
    *("char_start", "char_end", "version"),
)
SLICE = ["*.md", "*.txt"]


@pytest.fixture(scope="module")
def ray_cluster() -> Iterator[Any]:
    for attempt in range(3):  # a raylet gets 30 s to start: too short on a loaded machine
        try:
            ray.init(
                num_cpus=2,
                include_dashboard=False,
                configure_logging=False,
                log_to_driver=False,
                object_store_memory=150 * 1024 * 1024,
            )
            break
        except Exception:
            ray.shutdown()
            if attempt == 2:
                raise
    yield ray
    ray.shutdown()


def _points(config: Settings) -> dict[str, dict[str, Any]]:
    store = open_index_store(config)
    try:
        return {h.id: h.payload for h in store.scroll(collection_name(config), fields=FIELDS)}
    finally:
        store.close()


def _cached_vectors(config: Settings) -> dict[str, np.ndarray]:
    path = config.data_dir / "cache" / "embeddings.sqlite3"
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT key, vec FROM vectors").fetchall()
    return {key: np.frombuffer(blob, dtype=np.float32) for key, blob in rows}


@pytest.mark.slow
@pytest.mark.integration
def test_ray_engine_builds_the_same_index_as_local(
    tmp_path: Path, sample_corpus: Path, ray_cluster: Any
) -> None:
    local = Settings(data_dir=tmp_path / "local", workers=1)
    distributed = Settings(data_dir=tmp_path / "ray", engine="ray")
    a = run_ingest([sample_corpus], local, include=SLICE)
    b = run_ingest([sample_corpus], distributed, include=SLICE)
    assert a.failed == [] and b.failed == []
    assert (a.count("added"), a.chunks) == (b.count("added"), b.chunks)
    assert a.count("added") >= 8

    # Same catalogue (ids, versions, chunk counts) and an exactly consistent index.
    assert index_state(local) == index_state(distributed)
    rows_a = Catalog(connect(local.resolved_database_url), local.index).all()
    rows_b = Catalog(connect(distributed.resolved_database_url), distributed.index).all()
    assert [(r.id, r.version, r.chunks) for r in rows_a] == [
        (r.id, r.version, r.chunks) for r in rows_b
    ]
    # Same point ids and payloads.
    points_a, points_b = _points(local), _points(distributed)
    assert points_a == points_b and len(points_a) == a.chunks

    # Same vectors: the ray run embedded everything in its actors (its cache was empty).
    vec_a, vec_b = _cached_vectors(local), _cached_vectors(distributed)
    assert set(vec_a) == set(vec_b) and vec_a
    cosines = [float(np.dot(vec_a[k], vec_b[k])) for k in vec_a]
    assert min(cosines) >= 0.99999
    # ...and those are the vectors stored: each finds its own point at cosine ~1.
    store = open_index_store(distributed)
    try:
        for vector in vec_a.values():
            hits = store.search_dense(collection_name(distributed), vector.tolist(), 1)
            assert hits[0].score >= 0.99999
    finally:
        store.close()

    # Incremental: an unchanged re-run on Ray changes nothing and embeds nothing.
    again = run_ingest([sample_corpus], distributed, include=SLICE)
    assert (again.count("unchanged"), again.chunks) == (a.count("added"), 0)


def crashy_prepare(
    path: str, max_bytes: int, config: ChunkingConfig, model: str, pdf_tables: bool = False
) -> Prepared | Failed:
    """Segfaults the worker on 'crash*' files always and on 'flaky*' files the first time."""
    name = Path(path).name
    marker = Path(path + ".tried")
    if name.startswith("crash") or (name.startswith("flaky") and not marker.exists()):
        marker.touch()
        ctypes.string_at(0)  # a real SIGSEGV, as a broken parser would cause
    return prepare(path, max_bytes, config, model, pdf_tables)


@pytest.mark.slow
@pytest.mark.integration
def test_a_worker_that_dies_is_retried_and_a_file_that_kills_it_fails_alone(
    tmp_path: Path, ray_cluster: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus, files=3, paragraphs=3)
    (corpus / "note_0.md").rename(corpus / "crash_0.md")
    (corpus / "note_1.md").rename(corpus / "flaky_1.md")
    monkeypatch.setattr(ray_engine, "prepare", crashy_prepare)
    config = settings(tmp_path / "state", engine="ray")
    report = run_ingest([corpus], config, include=["*.md"])
    by_name = {Path(f.path).name: f for f in report.files}
    assert by_name["crash_0.md"].status == "failed"
    assert "worker process reading this file died" in (by_name["crash_0.md"].reason or "")
    assert by_name["flaky_1.md"].status == "added"  # its worker died once; the retry worked
    assert by_name["note_2.md"].status == "added"
    assert report.status == "completed_with_errors"
    state = index_state(config)  # nothing lost, nothing duplicated, no intent left
    assert {Path(s).name for s in state} == {"flaky_1.md", "note_2.md"}


@pytest.mark.slow
@pytest.mark.integration
def test_an_embedding_actor_killed_mid_job_restarts_and_the_call_is_retried(
    ray_cluster: Any,
) -> None:
    pool = ray_engine.start_actors(ray_cluster, "bundled:all-MiniLM-L6-v2", 8, "auto", 1)
    texts = [f"Harbor Point note {i} on rates and credit." for i in range(20)]
    before = pool.embed(texts)
    pid = ray_cluster.get(pool.actors[0].pid.remote())
    os.kill(pid, signal.SIGKILL)
    after = pool.embed(texts)
    assert ray_cluster.get(pool.actors[0].pid.remote()) != pid
    assert after.shape == before.shape
    assert float(np.min(np.sum(after * before, axis=1))) >= 0.99999
    for actor in pool.actors:
        ray_cluster.kill(actor)


# -- bad input: no cluster needed ------------------------------------------------------------


def test_ray_not_installed_exits_3_with_the_install_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_corpus(tmp_path / "c", files=1)
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray -> ImportError
    result = CliRunner().invoke(app, ["ingest", str(tmp_path / "c"), "--engine", "ray"])
    assert result.exit_code == 3
    assert "pip install 'researchdesk[ray]'" in result.output


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize(
    ("address", "message"),
    [
        (f"127.0.0.1:{_closed_port()}", "cannot reach the Ray cluster"),
        ("no-such-host.invalid:6379", "cannot reach the Ray cluster"),
        ("10.255.255.1:6379", "cannot reach the Ray cluster"),  # drops packets: the timeout
        ("just-a-name", "invalid Ray address"),
        ("host:99999", "invalid Ray address"),
        ("ray://:10001", "invalid Ray address"),
    ],
)
def test_bad_ray_address_is_a_clear_error_within_seconds(
    tmp_path: Path, address: str, message: str
) -> None:
    write_corpus(tmp_path / "c", files=1)
    started = time.monotonic()
    result = CliRunner().invoke(
        app, ["ingest", str(tmp_path / "c"), "--engine", "ray", "--ray-address", address]
    )
    assert time.monotonic() - started < ray_engine.CONNECT_TIMEOUT_S + 5
    assert result.exit_code == 3, result.output
    assert message in result.output


def test_unknown_engine_is_rejected(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["ingest", str(tmp_path), "--engine", "spark"])
    assert result.exit_code == 3
    assert "engine" in result.output


def test_the_address_check_accepts_a_real_ray_cluster(ray_cluster: Any) -> None:
    started = time.monotonic()
    ray_engine.check_reachable(ray_cluster.get_runtime_context().gcs_address)
    assert time.monotonic() - started < ray_engine.CONNECT_TIMEOUT_S


class _FakeRay:
    """Just enough of Ray's API to see which actors ``start_actors`` asks for."""

    def __init__(self, cpus: int, gpus: int) -> None:
        self.resources = {"CPU": float(cpus), **({"GPU": float(gpus)} if gpus else {})}
        self.options: dict[str, Any] = {}
        self.created: list[tuple[Any, ...]] = []

    def cluster_resources(self) -> dict[str, float]:
        return self.resources

    def remote(self, **options: Any) -> Any:
        self.options = options
        fake = self

        class Handle:
            @staticmethod
            def remote(*args: Any) -> tuple[Any, ...]:
                fake.created.append(args)
                return args

        return lambda _cls: Handle


@pytest.mark.parametrize(
    ("cpus", "gpus", "device", "actors", "options", "actor_device", "slice_size"),
    [
        (8, 2, "auto", 2, {"num_cpus": 1, "num_gpus": 1}, "cuda", 256),
        (8, 2, "cpu", 7, {"num_cpus": 1}, "cpu", 32),
        (8, 0, "auto", 7, {"num_cpus": 1}, "cpu", 32),
    ],
)
def test_actors_go_one_per_gpu_where_the_cluster_has_gpus(
    cpus: int,
    gpus: int,
    device: str,
    actors: int,
    options: dict[str, int],
    actor_device: str,
    slice_size: int,
) -> None:
    fake = _FakeRay(cpus, gpus)
    pool = ray_engine.start_actors(fake, "m", None, "auto", 0, device=device)
    assert len(pool.actors) == actors
    assert {k: fake.options[k] for k in ("num_cpus", "num_gpus") if k in fake.options} == options
    assert {args[4] for args in fake.created} == {actor_device}
    assert pool._batch_size == slice_size


def test_cuda_asked_of_a_cluster_without_gpus_is_a_clear_error() -> None:
    with pytest.raises(ray_engine.RayEngineError, match="reports no GPU"):
        ray_engine.start_actors(_FakeRay(4, 0), "m", None, "auto", 0, device="cuda")


def test_actors_that_would_starve_the_reading_tasks_are_refused() -> None:
    """Two one-CPU actors on a two-CPU cluster leave no slot to read files: a hang."""
    with pytest.raises(ray_engine.RayEngineError, match="at most 1"):
        ray_engine.start_actors(_FakeRay(2, 0), "m", None, "auto", 2, device="cpu")
    pool = ray_engine.start_actors(_FakeRay(2, 0), "m", None, "auto", 1, device="cpu")
    assert len(pool.actors) == 1


def test_a_gpu_actor_on_a_one_cpu_cluster_is_refused_too() -> None:
    with pytest.raises(ray_engine.RayEngineError, match="CPU slots"):
        ray_engine.start_actors(_FakeRay(1, 1), "m", None, "auto", 0)


@pytest.mark.parametrize(
    ("cpus", "gpus", "device", "actors", "setting", "threads", "fit_node"),
    [
        (2, 0, "auto", 1, 0, 2, True),  # the default pool on 2 CPUs embeds on both cores
        (8, 0, "auto", 3, 0, 2, True),  # 8 CPUs shared by 3 actors, rounded down
        (8, 0, "auto", 0, 0, 1, True),  # the default 7 actors on 8 CPUs: at least 1
        (2, 0, "auto", 1, 3, 3, False),  # an explicit setting wins, as given
        (8, 2, "auto", 0, 0, 1, False),  # GPU actors keep one torch thread
        (8, 2, "auto", 0, 4, 1, False),  # ...whatever the CPU setting says
    ],
)
def test_cpu_actors_get_the_clusters_cpus_shared_among_them_as_torch_threads(
    cpus: int, gpus: int, device: str, actors: int, setting: int, threads: int, fit_node: bool
) -> None:
    fake = _FakeRay(cpus, gpus)
    ray_engine.start_actors(fake, "m", None, "auto", actors, device=device, threads=setting)
    assert fake.created and {args[3:] for args in fake.created} == {
        (threads, "cuda" if gpus else "cpu", fit_node)
    }


def test_an_actors_threads_are_capped_at_the_cpus_its_node_lets_it_use(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 3}, raising=False)
    assert ray_engine.usable_cpus() == 2
    assert [ray_engine.node_threads(n) for n in (1, 2, 16)] == [1, 2, 2]
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)  # macOS, Windows
    monkeypatch.setattr(os, "cpu_count", lambda: 3)
    assert [ray_engine.node_threads(n) for n in (1, 16)] == [1, 3]
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert ray_engine.node_threads(16) == 1


def test_the_actor_sets_torch_to_its_capped_share_or_to_the_explicit_count(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The actor's own code, run in this process with the model and torch stubbed."""
    torch = pytest.importorskip("torch")
    asked: list[int] = []
    monkeypatch.setattr(torch, "set_num_threads", asked.append)
    monkeypatch.setattr(ray_engine, "SentenceTransformerEmbedder", lambda *a, **k: None)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1}, raising=False)
    ray_engine._EmbedActor("m", None, "auto", 8, "cpu", True)  # auto: 8 cluster CPUs' share
    ray_engine._EmbedActor("m", None, "auto", 8, "cpu", False)  # the setting, as given
    ray_engine._EmbedActor("m", None, "auto", 1, "cuda", False)
    assert asked == [2, 8, 1]


def test_the_thread_setting_reaches_the_actors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = _FakeRay(8, 0)
    monkeypatch.setattr(RayEngine, "_session", lambda self: fake)
    monkeypatch.setenv("RESEARCHDESK_RAY_EMBED_ACTORS", "3")
    for value, threads in (("0", 2), ("5", 5)):
        monkeypatch.setenv("RESEARCHDESK_RAY_ACTOR_THREADS", value)
        fake.created.clear()
        RayEngine(Settings(data_dir=tmp_path, engine="ray")).embedder()
        assert [args[3] for args in fake.created] == [threads] * 3


@pytest.mark.parametrize("value", ["-1", "two", "1.5", "5000"])
def test_a_bad_thread_setting_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("RESEARCHDESK_RAY_ACTOR_THREADS", value)
    with pytest.raises(ValidationError, match="ray_actor_threads"):
        Settings()
    write_corpus(tmp_path / "c", files=1)
    result = CliRunner().invoke(app, ["ingest", str(tmp_path / "c"), "--engine", "ray"])
    assert result.exit_code == 3, result.output
    assert "invalid settings: ray_actor_threads" in result.output
