"""qdrant-edge back-end: Qdrant's Rust engine in-process, one shard directory per collection.

The store directory holds ``<collection>/`` shard folders (segments, WAL, edge_config.json)
and a ``.lock`` file held while the store is open, so a second process fails fast instead
of hitting the shard's WAL lock later. Writes are flushed before they return (the WAL
also replays after a crash); ``close`` runs the optimiser if anything was written: it
merges segments, vacuums deleted points and builds HNSW once a segment is large.
"""

from __future__ import annotations

import fcntl
import json
import re
import shutil
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from core.errors import MissingDependencyError, ResearchDeskError, StoreError
from ingest.store.base import (
    DATETIME_FIELDS,
    DENSE,
    KEYWORD_FIELDS,
    SPARSE,
    Fusion,
    Hit,
    Point,
    SearchFilter,
    SparseVector,
    fuse_rrf,
    top_hits,
)

_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")
_CONFIG_FILE = "edge_config.json"
_LOCK_FILE = ".lock"
_UPSERT_BATCH = 1024
# Segments below this size (KB of vectors; ~65k 384-d chunks) are searched exactly: ~5-7 ms
# at 30k chunks on a quiet machine. On the 34k FinanceBench vectors (bench/ann.py,
# docs/scaling.md) HNSW m16 at ef 256 kept recall@10 0.999 unfiltered but 0.97-0.99 under an
# access-group filter, and took 23-34 s to build; exact search is 1.0. Larger segments get
# HNSW with a wide beam: ef 128 lost filtered recall (0.95), ef 512 gained little for up to 8x
# the latency. No int8: in-process it adds memory (originals stay for rescoring), no speed.
_INDEXING_THRESHOLD_KB = 100_000
_HNSW_EF = 256
_SCROLL_PAGE = 1000


def _edge() -> Any:
    try:
        import qdrant_edge
    except ImportError as exc:
        raise MissingDependencyError("qdrant-edge", "pip install qdrant-edge-py") from exc
    return qdrant_edge


@contextmanager
def _errors(action: str) -> Iterator[None]:
    """Turn the engine's bare Exceptions into StoreError naming what was being done."""
    try:
        yield
    except ResearchDeskError:
        raise
    except Exception as exc:  # qdrant_edge raises plain Exception for every failure
        if "WouldBlock" in str(exc):
            raise StoreError(
                f"another process holds the index ({action}); stop it and retry"
            ) from exc
        raise StoreError(f"Qdrant edge failed to {action}: {exc}") from exc


def native_filter(flt: SearchFilter | None) -> Any:
    """The qdrant_edge Filter equivalent to ``flt`` (None when it has no condition)."""
    if flt is None or flt.is_empty():
        return None
    q = _edge()
    must: list[Any] = []
    for key, values in (
        ("document_id", flt.document_ids),
        ("source", flt.sources),
        ("tags", flt.tags),
        ("statement", flt.statements),
    ):
        if values is not None:
            must.append(q.FieldCondition(key, match=q.MatchAny(list(values))))
    if flt.groups is not None:
        visible: list[Any] = [q.IsEmptyCondition("allowed_groups")]
        if flt.groups:
            visible.append(q.FieldCondition("allowed_groups", match=q.MatchAny(list(flt.groups))))
        must.append(q.Filter(should=visible))
    gte, lte, lt = flt.date_bounds()
    if gte is not None or lte is not None or lt is not None:
        must.append(q.FieldCondition("date", range=q.RangeDateTime(gte=gte, lte=lte, lt=lt)))
    must_not: list[Any] = []
    if flt.exclude_versions:
        versions = q.MatchAny(list(flt.exclude_versions))
        must_not.append(q.FieldCondition("version", match=versions))
    return q.Filter(must=must or None, must_not=must_not or None)


def _lock(root: Path) -> IO[str]:
    """Hold an exclusive advisory lock on the store directory for the store's lifetime."""
    handle = (root / _LOCK_FILE).open("a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as exc:
        handle.close()
        raise StoreError(
            f"another process holds the index at {root}; stop it (one process at a time "
            f"may open an embedded store) or use a Qdrant server for shared access"
        ) from exc
    return handle


class EdgeStore:
    """VectorStore over qdrant-edge shards kept under one directory."""

    def __init__(self, path: str | Path) -> None:
        self._q = _edge()
        self._root = Path(path)
        self._root.mkdir(parents=True, exist_ok=True)
        self._lock_handle: IO[str] | None = _lock(self._root)
        self._shards: dict[str, Any] = {}
        self._dirty: set[str] = set()
        self._mutex = threading.Lock()
        self._dense_params = self._q.SearchParams(hnsw_ef=_HNSW_EF)

    # -- shard bookkeeping -------------------------------------------------------------

    def _dir(self, collection: str) -> Path:
        if not _NAME.fullmatch(collection):
            raise StoreError(
                f"invalid collection name {collection!r}: use 1-64 letters, digits, _ or -"
            )
        return self._root / collection

    def _require_open(self) -> None:
        if self._lock_handle is None:
            raise StoreError("the store is closed; open it again")

    def _shard(self, collection: str) -> Any:
        """The open shard of ``collection``, loading it on first use."""
        self._require_open()
        with self._mutex:
            shard = self._shards.get(collection)
            if shard is None:
                folder = self._dir(collection)
                if not (folder / _CONFIG_FILE).exists():
                    raise StoreError(
                        f"collection {collection!r} does not exist; ingest documents first"
                    )
                with _errors(f"load collection {collection!r}"):
                    shard = self._q.EdgeShard.load(str(folder))
                self._shards[collection] = shard
            return shard

    def _stored_dim(self, collection: str) -> int | None:
        try:
            config = json.loads((self._dir(collection) / _CONFIG_FILE).read_text("utf-8"))
            return int(config["vectors"][DENSE]["size"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def ensure_collection(self, collection: str, dim: int) -> None:
        self._require_open()
        folder = self._dir(collection)
        q = self._q
        if (folder / _CONFIG_FILE).exists():
            stored = self._stored_dim(collection)
            if stored is None:
                raise StoreError(
                    f"collection {collection!r} at {folder} has no {DENSE!r} vector config; "
                    f"pick another index name or drop it"
                )
            if stored != dim:
                raise StoreError(
                    f"collection {collection!r} holds {stored}-d vectors but the embedder "
                    f"gives {dim}-d: use the original embedding model, or drop the "
                    f"collection and re-ingest"
                )
            shard = self._shard(collection)
        else:
            config = q.EdgeConfig(
                vectors={DENSE: q.EdgeVectorParams(size=dim, distance=q.Distance.Cosine)},
                sparse_vectors={SPARSE: q.EdgeSparseVectorParams(modifier=q.Modifier.Idf)},
                optimizers=q.EdgeOptimizersConfig(indexing_threshold=_INDEXING_THRESHOLD_KB),
            )
            with self._mutex, _errors(f"create collection {collection!r}"):
                shard = q.EdgeShard.create(str(folder), config)
                self._shards[collection] = shard
        # Created on every call so a store made by an older version gains new indexes.
        with _errors(f"index payload fields of {collection!r}"):
            present = set(shard.info().payload_schema)
            wanted = [(f, q.PayloadSchemaType.Keyword) for f in KEYWORD_FIELDS]
            wanted += [(f, q.PayloadSchemaType.Datetime) for f in DATETIME_FIELDS]
            for name, schema in wanted:
                if name not in present:
                    shard.update(q.UpdateOperation.create_field_index(name, schema))
            shard.flush()

    # -- writes ------------------------------------------------------------------------

    def upsert(self, collection: str, points: Sequence[Point]) -> None:
        shard, q = self._shard(collection), self._q
        for start in range(0, len(points), _UPSERT_BATCH):
            chunk = points[start : start + _UPSERT_BATCH]
            with _errors(f"upsert {len(chunk)} points into {collection!r}"):
                batch = [self._point(p) for p in chunk]  # bad ids fail here, as ValueError
                shard.update(q.UpdateOperation.upsert_points(batch))
        with _errors(f"flush {collection!r}"):
            shard.flush()
        self._dirty.add(collection)

    def _point(self, p: Point) -> Any:
        sparse = self._q.SparseVector(list(p.sparse.indices), list(p.sparse.values))
        return self._q.Point(p.id, {DENSE: list(p.dense), SPARSE: sparse}, p.payload)

    def delete(self, collection: str, flt: SearchFilter) -> None:
        if flt.is_empty():
            raise StoreError("refusing to delete with an empty filter (it would delete all)")
        if flt.matches_nothing():
            return
        shard = self._shard(collection)
        with _errors(f"delete from {collection!r}"):
            shard.update(self._q.UpdateOperation.delete_points_by_filter(native_filter(flt)))
            shard.flush()
        self._dirty.add(collection)

    # -- reads -------------------------------------------------------------------------

    def count(self, collection: str, flt: SearchFilter | None = None) -> int:
        if flt is not None and flt.matches_nothing():
            return 0
        shard = self._shard(collection)
        with _errors(f"count points in {collection!r}"):
            return int(shard.count(self._q.CountRequest(exact=True, filter=native_filter(flt))))

    def scroll(
        self, collection: str, flt: SearchFilter | None = None, fields: Sequence[str] = ()
    ) -> list[Hit]:
        if flt is not None and flt.matches_nothing():
            return []
        shard, q = self._shard(collection), self._q
        native = native_filter(flt)
        with_payload: Any = q.PayloadSelector.Include(list(fields)) if fields else False
        hits: list[Hit] = []
        offset: Any = None
        while True:
            request = q.ScrollRequest(
                offset=offset, limit=_SCROLL_PAGE, filter=native, with_payload=with_payload
            )
            with _errors(f"scroll {collection!r}"):
                records, offset = shard.scroll(request)
            hits.extend(Hit(str(r.id), 0.0, dict(r.payload or {})) for r in records)
            if offset is None:
                break
        hits.sort(key=lambda h: h.id)
        return hits

    def _query(self, collection: str, limit: int, flt: SearchFilter | None, **kw: Any) -> list[Hit]:
        if limit <= 0 or (flt is not None and flt.matches_nothing()):
            return []
        shard = self._shard(collection)
        request = self._q.QueryRequest(
            limit=limit, filter=native_filter(flt), with_payload=True, **kw
        )
        with _errors(f"search {collection!r}"):
            points = shard.query(request)
        return [Hit(str(p.id), float(p.score), dict(p.payload or {})) for p in points]

    def search_dense(
        self,
        collection: str,
        vector: Sequence[float],
        limit: int,
        flt: SearchFilter | None = None,
    ) -> list[Hit]:
        return self._query(
            collection, limit, flt, query=self._nearest_dense(vector), params=self._dense_params
        )

    def search_sparse(
        self,
        collection: str,
        vector: SparseVector,
        limit: int,
        flt: SearchFilter | None = None,
    ) -> list[Hit]:
        if not vector.indices:
            return []
        return self._query(collection, limit, flt, query=self._nearest_sparse(vector))

    def search_hybrid(
        self,
        collection: str,
        dense: Sequence[float],
        sparse: SparseVector,
        limit: int,
        prefetch: int,
        flt: SearchFilter | None = None,
        fusion: Fusion = "rrf",
    ) -> list[Hit]:
        if fusion == "rrf":  # fused here, ties ranked by id (see fuse_rrf)
            legs = [self.search_dense(collection, dense, prefetch, flt)]
            legs.append(self.search_sparse(collection, sparse, prefetch, flt))
            return fuse_rrf(legs, limit)
        q = self._q
        native = native_filter(flt)
        stages = [
            q.Prefetch(
                limit=prefetch,
                query=self._nearest_dense(dense),
                filter=native,
                params=self._dense_params,
            )
        ]
        if sparse.indices:
            stages.append(
                q.Prefetch(limit=prefetch, query=self._nearest_sparse(sparse), filter=native)
            )
        if fusion != "dbsf":
            raise ValueError(f"unknown fusion {fusion!r}; valid: 'rrf', 'dbsf'")
        fused = q.Fusion.Dbsf()
        # Every fused candidate, then ties ordered by id (see top_hits).
        hits = self._query(collection, prefetch * len(stages), flt, query=fused, prefetches=stages)
        return top_hits(hits, limit)

    def _nearest_dense(self, vector: Sequence[float]) -> Any:
        return self._q.Query.Nearest(list(vector), using=DENSE)

    def _nearest_sparse(self, vector: SparseVector) -> Any:
        sparse = self._q.SparseVector(list(vector.indices), list(vector.values))
        return self._q.Query.Nearest(sparse, using=SPARSE)

    # -- lifecycle ---------------------------------------------------------------------

    def collections(self) -> list[str]:
        self._require_open()
        return sorted(
            d.name
            for d in self._root.iterdir()
            if (d / _CONFIG_FILE).exists() and _NAME.fullmatch(d.name)
        )

    def drop_collection(self, collection: str) -> None:
        self._require_open()
        folder = self._dir(collection)
        with self._mutex:
            shard = self._shards.pop(collection, None)
            self._dirty.discard(collection)
            if shard is not None:
                with _errors(f"close collection {collection!r}"):
                    shard.close()
            if folder.exists():
                shutil.rmtree(folder)

    def optimize(self, collection: str) -> bool:
        """Build HNSW indexes and vacuum deleted points now (blocking); True if work was done."""
        shard = self._shard(collection)
        with _errors(f"optimise {collection!r}"):
            changed = bool(shard.optimize())
            shard.flush()
        self._dirty.discard(collection)
        return changed

    def close(self) -> None:
        if self._lock_handle is None:
            return
        failures: list[StoreError] = []
        with self._mutex:
            shards, self._shards = self._shards, {}
            for name, shard in shards.items():
                try:
                    with _errors(f"close collection {name!r}"):
                        if name in self._dirty:
                            shard.optimize()
                        shard.flush()
                        shard.close()
                except StoreError as exc:
                    failures.append(exc)
            self._dirty.clear()
            fcntl.flock(self._lock_handle, fcntl.LOCK_UN)
            self._lock_handle.close()
            self._lock_handle = None
        if failures:
            raise failures[0]


def open_edge(path: str | Path) -> EdgeStore:
    """An embedded store under ``path`` (created if missing); one process at a time."""
    return EdgeStore(path)
