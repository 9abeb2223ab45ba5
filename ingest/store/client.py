"""qdrant-client back-end: local mode on disk or in memory, or a Qdrant server or cluster.

Local mode is brute force in Python (fine for tests and small corpora); the server is the
production path behind ``QDRANT_URL``. Both speak the same ``query_points`` API, so one
class serves the three kinds.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
from ingest.store.layout import CollectionLayout

if TYPE_CHECKING:
    from qdrant_client import QdrantClient
    from qdrant_client.http import models

_UPSERT_BATCH = 512
_SCROLL_PAGE = 1000


def _qdrant() -> Any:
    try:
        import qdrant_client
    except ImportError as exc:
        raise MissingDependencyError("qdrant-client", "pip install qdrant-client") from exc
    return qdrant_client


@contextmanager
def _errors(action: str) -> Iterator[None]:
    """Turn library and network errors into StoreError naming what was being done."""
    try:
        yield
    except ResearchDeskError:
        raise
    except Exception as exc:  # the client raises many types (httpx, grpc, ValueError...)
        raise StoreError(f"Qdrant failed to {action}: {exc}") from exc


def _when(text: str | None) -> datetime | date | None:
    """Parse a filter bound (ISO 8601 date or datetime; naive means UTC, as in Qdrant)."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
    except ValueError as exc:
        raise StoreError(f"invalid date {text!r} in filter: use ISO 8601, e.g. 2024-03-31") from exc


def native_filter(flt: SearchFilter | None) -> models.Filter | None:
    """The qdrant-client filter equivalent to ``flt`` (None when it has no condition)."""
    if flt is None or flt.is_empty():
        return None
    from qdrant_client.http import models as m

    must: list[Any] = []
    for key, values in (
        ("document_id", flt.document_ids),
        ("source", flt.sources),
        ("tags", flt.tags),
        ("statement", flt.statements),
    ):
        if values is not None:
            must.append(m.FieldCondition(key=key, match=m.MatchAny(any=list(values))))
    if flt.groups is not None:
        public = m.IsEmptyCondition(is_empty=m.PayloadField(key="allowed_groups"))
        visible: list[Any] = [public]
        if flt.groups:
            groups = m.MatchAny(any=list(flt.groups))
            visible.append(m.FieldCondition(key="allowed_groups", match=groups))
        must.append(m.Filter(should=visible))
    gte, lte, lt = flt.date_bounds()
    if gte is not None or lte is not None or lt is not None:
        bounds = m.DatetimeRange(gte=_when(gte), lte=_when(lte), lt=_when(lt))
        must.append(m.FieldCondition(key="date", range=bounds))
    must_not: list[Any] = []
    if flt.exclude_versions:
        versions = m.MatchAny(any=list(flt.exclude_versions))
        must_not.append(m.FieldCondition(key="version", match=versions))
    return m.Filter(must=must or None, must_not=must_not or None)


class QdrantClientStore:
    """VectorStore over a ``QdrantClient``; payload indexes are made only on a server."""

    def __init__(
        self,
        client: QdrantClient,
        *,
        kind: str,
        payload_indexes: bool,
        layout: CollectionLayout | None = None,
    ) -> None:
        self._client = client
        self.kind = kind
        self._payload_indexes = payload_indexes
        self.layout = layout or CollectionLayout()
        # Only a server has HNSW; local mode warns when given search params.
        self._dense_params = self.layout.search_params() if kind == "remote" else None

    def ensure_collection(self, collection: str, dim: int) -> None:
        m = _qdrant().models
        with _errors(f"open collection {collection!r}"):
            exists = self._client.collection_exists(collection)
            info = self._client.get_collection(collection) if exists else None
        if info is not None:
            self._check_existing(collection, dim, info.config.params)
        else:
            with _errors(f"create collection {collection!r}"):
                self._client.create_collection(collection, **self.layout.create_kwargs(dim))
        if not self._payload_indexes:
            return
        # Checked on every call so a collection made by an older version gains new indexes.
        present = set(info.payload_schema) if info is not None else set()
        wanted = [(f, m.PayloadSchemaType.KEYWORD) for f in KEYWORD_FIELDS]
        wanted += [(f, m.PayloadSchemaType.DATETIME) for f in DATETIME_FIELDS]
        with _errors(f"index payload fields of {collection!r}"):
            for name, schema in wanted:
                if name not in present:
                    self._client.create_payload_index(collection, name, schema, wait=True)

    @staticmethod
    def _check_existing(collection: str, dim: int, params: Any) -> None:
        vectors = params.vectors if isinstance(params.vectors, dict) else {}
        sparse = params.sparse_vectors or {}
        if DENSE not in vectors or SPARSE not in sparse:
            raise StoreError(
                f"collection {collection!r} exists but was not made by ResearchDesk (no "
                f"{DENSE!r} and {SPARSE!r} vectors); pick another index name or drop it"
            )
        if vectors[DENSE].size != dim:
            raise StoreError(
                f"collection {collection!r} holds {vectors[DENSE].size}-d vectors but the "
                f"embedder gives {dim}-d: use the original embedding model, or drop the "
                f"collection and re-ingest"
            )

    def upsert(self, collection: str, points: Sequence[Point]) -> None:
        m = _qdrant().models
        for start in range(0, len(points), _UPSERT_BATCH):
            chunk = points[start : start + _UPSERT_BATCH]
            with _errors(f"upsert {len(chunk)} points into {collection!r}"):
                batch = [
                    m.PointStruct(
                        id=p.id,
                        vector={DENSE: list(p.dense), SPARSE: _sparse(p.sparse)},
                        payload=p.payload,
                    )
                    for p in chunk
                ]
                self._client.upsert(collection, batch, wait=True)

    def delete(self, collection: str, flt: SearchFilter) -> None:
        if flt.is_empty():
            raise StoreError("refusing to delete with an empty filter (it would delete all)")
        if flt.matches_nothing():
            return
        m = _qdrant().models
        with _errors(f"delete from {collection!r}"):
            self._client.delete(collection, m.FilterSelector(filter=native_filter(flt)), wait=True)

    def count(self, collection: str, flt: SearchFilter | None = None) -> int:
        if flt is not None and flt.matches_nothing():
            return 0
        with _errors(f"count points in {collection!r}"):
            result = self._client.count(collection, count_filter=native_filter(flt), exact=True)
        return int(result.count)

    def scroll(
        self, collection: str, flt: SearchFilter | None = None, fields: Sequence[str] = ()
    ) -> list[Hit]:
        if flt is not None and flt.matches_nothing():
            return []
        native = native_filter(flt)
        with_payload: bool | list[str] = list(fields) if fields else False
        hits: list[Hit] = []
        offset: Any = None
        while True:
            with _errors(f"scroll {collection!r}"):
                records, offset = self._client.scroll(
                    collection,
                    scroll_filter=native,
                    limit=_SCROLL_PAGE,
                    offset=offset,
                    with_payload=with_payload,
                    with_vectors=False,
                )
            hits.extend(Hit(str(r.id), 0.0, dict(r.payload or {})) for r in records)
            if offset is None:
                break
        hits.sort(key=lambda h: h.id)
        return hits

    def _query(self, collection: str, limit: int, flt: SearchFilter | None, **kw: Any) -> list[Hit]:
        if limit <= 0 or (flt is not None and flt.matches_nothing()):
            return []
        with _errors(f"search {collection!r}"):
            response = self._client.query_points(
                collection, limit=limit, query_filter=native_filter(flt), with_payload=True, **kw
            )
        return [Hit(str(p.id), float(p.score), dict(p.payload or {})) for p in response.points]

    def search_dense(
        self,
        collection: str,
        vector: Sequence[float],
        limit: int,
        flt: SearchFilter | None = None,
    ) -> list[Hit]:
        return self._query(
            collection,
            limit,
            flt,
            query=list(vector),
            using=DENSE,
            search_params=self._dense_params,
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
        return self._query(collection, limit, flt, query=_sparse(vector), using=SPARSE)

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
        m = _qdrant().models
        native = native_filter(flt)
        stages = [
            m.Prefetch(
                query=list(dense),
                using=DENSE,
                limit=prefetch,
                filter=native,
                params=self._dense_params,
            )
        ]
        if sparse.indices:
            stages.append(
                m.Prefetch(query=_sparse(sparse), using=SPARSE, limit=prefetch, filter=native)
            )
        if fusion != "dbsf":
            raise ValueError(f"unknown fusion {fusion!r}; valid: 'rrf', 'dbsf'")
        query = m.FusionQuery(fusion=m.Fusion.DBSF)
        # Every fused candidate, then ties ordered by id (see top_hits).
        hits = self._query(collection, prefetch * len(stages), flt, prefetch=stages, query=query)
        return top_hits(hits, limit)

    def collections(self) -> list[str]:
        with _errors("list collections"):
            return sorted(c.name for c in self._client.get_collections().collections)

    def drop_collection(self, collection: str) -> None:
        with _errors(f"drop collection {collection!r}"):
            if self._client.collection_exists(collection):
                self._client.delete_collection(collection)

    def close(self) -> None:
        with _errors("close the client"):
            self._client.close()


def _sparse(vector: SparseVector) -> models.SparseVector:
    from qdrant_client.http import models as m

    return m.SparseVector(indices=list(vector.indices), values=list(vector.values))


def open_local(path: str | Path) -> QdrantClientStore:
    """Local mode persisted under ``path`` (one process at a time)."""
    qc = _qdrant()
    Path(path).mkdir(parents=True, exist_ok=True)
    try:
        client = qc.QdrantClient(path=str(path))
    except RuntimeError as exc:
        if "already accessed" in str(exc):
            raise StoreError(
                f"another process holds the index at {path}; stop it (or use a Qdrant "
                f"server for shared access)"
            ) from exc
        raise StoreError(f"cannot open the local Qdrant store at {path}: {exc}") from exc
    return QdrantClientStore(client, kind="local", payload_indexes=False)


def open_memory() -> QdrantClientStore:
    """Local mode in memory: nothing persists; for tests and throwaway runs."""
    return QdrantClientStore(
        _qdrant().QdrantClient(":memory:"), kind="memory", payload_indexes=False
    )


def open_remote(
    url: str, api_key: str | None = None, layout: CollectionLayout | None = None
) -> QdrantClientStore:
    """A Qdrant server or cluster; nothing is sent until the first call. ``layout``
    shapes collections this store creates (shards, replicas, quantization...)."""
    with _errors(f"set up a client for {url}"):
        client = _qdrant().QdrantClient(url=url, api_key=api_key, check_compatibility=False)
    return QdrantClientStore(client, kind="remote", payload_indexes=True, layout=layout)
