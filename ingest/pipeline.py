"""``run_ingest``: files -> chunks -> vectors in Qdrant, as one recorded, resumable job.

Order of work per changed document, chosen so that a job killed at any instant leaves
an index the next job can repair (see ``Catalog.recover``): commit an intent, upsert the
new points (tagged with the new version), delete the old version's points, then record
the new catalogue row and drop the intent in one transaction. Unchanged files (same
bytes, same sidecar, same index settings) are skipped before any parsing or embedding.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.errors import ConfigError
from core.settings import Settings
from ingest.catalog import Catalog, entry_row, sources_under
from ingest.chunking import CHUNK_VERSION, ChunkingConfig
from ingest.db import connect
from ingest.discover import Refused, scan
from ingest.embedding import CachedEmbedder, Embedder, Vectors
from ingest.engines import Engine, make_embedder, open_engine
from ingest.extract import Failed, Prepared, unread_note
from ingest.index import collection_name, index_lock, open_index_store, sparse_params
from ingest.jobs import FileOutcome, FileStatus, JobLog, JobReport, JobStatus
from ingest.loaders.sidecar import sidecar_path
from ingest.models import Chunk, document_id_for, point_id_for, sha256_file
from ingest.private import private_dir
from ingest.profile import PROFILE_VERSION, DocumentProfile
from ingest.sparse import BM25Encoder
from ingest.store import Point, SearchFilter, VectorStore

UPSERT_BATCH = 256


@dataclass(frozen=True, slots=True)
class Progress:
    """One step of a job, for progress bars and log lines."""

    stage: str  # "plan", "file", "prune", "done"
    done: int
    total: int
    path: str | None = None
    status: str | None = None
    chunks: int = 0
    chunks_per_s: float | None = None
    eta_s: float | None = None  # from the pace of the files processed so far


ProgressFn = Callable[[Progress], None]


def index_params(settings: Settings, dim: int) -> dict[str, Any]:
    return {**settings.index_settings(), "dim": dim, "sparse": sparse_params(settings)}


def document_version(file_sha: str, sidecar_sha: str | None, settings: Settings) -> str:
    """What a document's indexed points are tagged with; any input change changes it."""
    material = json.dumps(
        [
            file_sha,
            sidecar_sha,
            settings.index_settings(),
            sparse_params(settings),
            {"profile": PROFILE_VERSION, "chunks": CHUNK_VERSION},
        ],
        sort_keys=True,
    )
    return hashlib.sha256(material.encode()).hexdigest()[:24]


class _Indexer:
    """Embeds prepared documents and swaps their points in, one document at a time."""

    def __init__(
        self, settings: Settings, store: VectorStore, catalog: Catalog, engine: Engine
    ) -> None:
        self.settings = settings
        self.engine = engine
        self.store = store
        self.catalog = catalog
        self.collection = collection_name(settings)
        self._embedder: CachedEmbedder | None = None
        self._encoder = BM25Encoder(**sparse_params(settings))

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = self.engine.embedder()
            dim = self._embedder.dim
            params = index_params(self.settings, dim)
            existing = self.catalog.params()
            if existing is not None and (
                existing.get("embedding_model") != params["embedding_model"]
                or existing.get("dim") != dim
            ):
                raise ConfigError(
                    f"index {self.settings.index!r} was built with embedding model "
                    f"{existing.get('embedding_model')!r} ({existing.get('dim')}-d); use another "
                    "index name (RESEARCHDESK_INDEX) or another RESEARCHDESK_DATA_DIR"
                )
            self.store.ensure_collection(self.collection, dim)
            if existing is not None and "calibration" in existing:
                # The abstention calibration belongs to the index, not to one job.
                params = {**params, "calibration": existing["calibration"]}
            self.catalog.set_params(params)
        return self._embedder

    def embed_group(self, group: Sequence[Prepared]) -> list[Vectors]:
        """One embedding call for several documents; each document's vectors, in order."""
        texts = [c.embed_text for prepared in group for c in prepared.chunks]
        vectors = self.embedder.embed(texts)
        parts: list[Vectors] = []
        start = 0
        for prepared in group:
            parts.append(vectors[start : start + len(prepared.chunks)])
            start += len(prepared.chunks)
        return parts

    def index(self, prepared: Prepared, vectors: Vectors, version: str, job_id: str) -> int:
        """Swap one document's points in (its vectors from ``embed_group``)."""
        meta, chunks = prepared.meta, prepared.chunks
        row = entry_row(meta, version, len(chunks), job_id, prepared.profile, prepared.unread_pages)
        points = [
            Point(
                id=point_id_for(chunk.id, version),
                dense=vector.tolist(),
                sparse=self._encoder.encode_document(chunk.embed_text),
                payload=_with_statements(chunk.payload(meta, version), chunk, prepared.profile),
            )
            for chunk, vector in zip(chunks, vectors, strict=True)
        ]
        self.catalog.begin(meta.id, "replace", version, len(points), row, job_id)
        for start in range(0, len(points), UPSERT_BATCH):
            self.store.upsert(self.collection, points[start : start + UPSERT_BATCH])
        self.store.delete(
            self.collection, SearchFilter(document_ids=(meta.id,), exclude_versions=(version,))
        )
        self.catalog.commit_replace(row)
        return len(points)

    def remove(self, document_id: str, job_id: str) -> None:
        self.catalog.begin(document_id, "delete", "", 0, {}, job_id)
        if self.collection in self.store.collections():
            self.store.delete(self.collection, SearchFilter(document_ids=(document_id,)))
        self.catalog.commit_delete(document_id)

    def close(self) -> None:
        if self._embedder is not None:
            self._embedder.close()


def run_ingest(
    paths: Sequence[Path],
    settings: Settings,
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    prune: bool = False,
    progress: ProgressFn | None = None,
    store: VectorStore | None = None,
    job_id: str | None = None,
    follow_symlinks: bool = False,
) -> JobReport:
    """Bring the index in line with the files under ``paths``; returns what was done.

    Raises ConfigError/StoreError/CatalogError when the job cannot run at all; a file that
    fails is recorded in the report (and its previously indexed version kept). ``store`` is
    an already open store to write through (the HTTP service shares its own, since an
    embedded store admits one opener); the caller keeps it open. ``job_id`` lets a caller
    that announced the job before it started keep the same id. A symbolic link leading
    outside ``paths`` is reported as failed unless ``follow_symlinks`` is set.
    """
    notify = progress or (lambda _event: None)
    roots = [str(p.resolve()) for p in paths]
    found = scan(paths, include, exclude, follow_symlinks=follow_symlinks)
    files = found.files
    private_dir(settings.data_dir)
    with index_lock(settings):
        engine = connect(settings.resolved_database_url)
        jobs = JobLog(engine)
        jobs.mark_interrupted()
        catalog = Catalog(engine, settings.index)
        owned = store is None
        store = open_index_store(settings) if store is None else store
        # make_embedder looked up per job, so tests can count model loads.
        engine_ = open_engine(settings, lambda s: make_embedder(s))
        indexer = _Indexer(settings, store, catalog, engine_)
        report = jobs.start(settings.index, roots, _public_settings(settings), job_id)
        try:
            if indexer.collection in store.collections():
                report.recovered = catalog.recover(store, indexer.collection)
            _refuse(found.refused, jobs, report)
            _run(files, roots, settings, catalog, indexer, jobs, report, prune, notify)
        except BaseException as exc:
            status: JobStatus = "interrupted" if isinstance(exc, KeyboardInterrupt) else "failed"
            jobs.finish(report, status, f"{type(exc).__name__}: {exc}")
            raise
        finally:
            indexer.close()
            engine_.close()
            if owned:
                store.close()
        jobs.finish(report, "completed_with_errors" if report.failed else "succeeded")
        notify(Progress("done", len(report.files), len(report.files), chunks=report.chunks))
        engine.dispose()
    return report


def _run(
    files: Sequence[Path],
    roots: Sequence[str],
    settings: Settings,
    catalog: Catalog,
    indexer: _Indexer,
    jobs: JobLog,
    report: JobReport,
    prune: bool,
    notify: ProgressFn,
) -> None:
    todo: dict[str, tuple[str, str, bool]] = {}  # path -> (doc id, version, is update)
    total = len(files)
    for done, path in enumerate(files, start=1):
        doc_id = document_id_for(path)
        try:
            side = sidecar_path(path)
            side_sha = sha256_file(side) if side.exists() else None
            version = document_version(sha256_file(path), side_sha, settings)
        except OSError as exc:
            jobs.record(report, FileOutcome(str(path), "failed", doc_id, _os_reason(exc)))
            notify(Progress("file", done, total, str(path), "failed"))
            continue
        existing = catalog.find(doc_id)
        if existing is not None and existing.version == version:
            jobs.record(report, FileOutcome(str(path), "unchanged", doc_id, chunks=existing.chunks))
            notify(Progress("file", done, total, str(path), "unchanged"))
        else:
            todo[str(path)] = (doc_id, version, existing is not None)
    done = total - len(todo)
    report.total = total
    pace = _Pace(len(todo))
    # Documents are embedded in groups of at least ``settings.embed_group`` chunks: the
    # embedder sorts a call's texts by length, so one call over many small documents pads
    # far less than a call each (bench/embed.py measures it), and a GPU gets full batches.
    # Each document is still written on its own, behind its own intent.
    group: list[tuple[str, Prepared]] = []  # prepared documents waiting to be embedded

    def record(source: str, outcome: FileOutcome) -> None:
        nonlocal done
        done += 1
        jobs.record(report, outcome)
        rate, eta = pace.step(report.chunks)
        notify(Progress("file", done, total, source, outcome.status, report.chunks, rate, eta))

    def flush() -> None:
        started = time.perf_counter()
        vectors = indexer.embed_group([prepared for _, prepared in group])
        embed_s = (time.perf_counter() - started) / len(group)  # shared evenly
        for (source, prepared), part in zip(group, vectors, strict=True):
            doc_id, version, is_update = todo[source]
            began = time.perf_counter()
            count = indexer.index(prepared, part, version, report.job_id)
            report.chunks += count
            seconds = prepared.seconds + embed_s + time.perf_counter() - began
            status: FileStatus = "updated" if is_update else "added"
            # A file indexed with pages it could not read carries them as a warning.
            note = unread_note(prepared.unread_pages, prepared.meta.pages)
            outcome = FileOutcome(
                source, status, doc_id, note, chunks=count, seconds=round(seconds, 3)
            )
            record(source, outcome)
        group.clear()

    for source, result in indexer.engine.stream(list(todo), _chunking(settings)):
        if isinstance(result, Failed):
            record(source, FileOutcome(source, "failed", todo[source][0], result.reason))
            continue
        group.append((source, result))
        if sum(len(p.chunks) for _, p in group) >= settings.embed_group:
            flush()
    if group:
        flush()
    if prune:
        seen = {str(p) for p in files}
        gone = [e for e in sources_under(catalog.all(), roots) if e.source not in seen]
        for number, entry in enumerate(gone, start=1):
            indexer.remove(entry.id, report.job_id)
            jobs.record(report, FileOutcome(entry.source, "deleted", entry.id, chunks=entry.chunks))
            notify(Progress("prune", number, len(gone), entry.source, "deleted"))


class _Pace:
    """Chunks/s and ETA over the files that needed work (unchanged ones cost nothing)."""

    def __init__(self, todo: int) -> None:
        self.todo = todo
        self.done = 0
        self.started = time.monotonic()

    def step(self, chunks: int) -> tuple[float | None, float | None]:
        self.done += 1
        elapsed = time.monotonic() - self.started
        if elapsed <= 0:
            return None, None
        eta = elapsed / self.done * (self.todo - self.done)
        return round(chunks / elapsed, 2), round(eta, 1)


def _refuse(refused: Sequence[Refused], jobs: JobLog, report: JobReport) -> None:
    for item in refused:
        jobs.record(
            report, FileOutcome(str(item.path), "failed", document_id_for(item.path), item.reason)
        )


def _chunking(settings: Settings) -> ChunkingConfig:
    return ChunkingConfig(
        strategy=settings.chunk_strategy,
        size=settings.chunk_size,
        overlap=settings.chunk_overlap,
        contextual_header=settings.contextual_header,
    )


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    return f"cannot read file: {exc.strerror or exc}"


def _public_settings(settings: Settings) -> dict[str, Any]:
    """Settings recorded with a job: everything but secrets."""
    data = settings.model_dump(mode="json", exclude={"qdrant_api_key", "openai_api_key"})
    return data


def _with_statements(
    payload: dict[str, Any], chunk: Chunk, profile: DocumentProfile | None
) -> dict[str, Any]:
    """``payload`` plus the kinds of primary statement on the chunk's pages, if any, so a
    search can be restricted to balance sheets or cash flow statements."""
    kinds = profile.statements_on(chunk.page_start, chunk.page_end) if profile else ()
    if kinds:
        payload["statement"] = list(kinds)
    return payload
