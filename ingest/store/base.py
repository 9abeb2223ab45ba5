"""The vector store contract every back-end implements (embedded engine, local mode, server).

A collection holds one named dense vector (``dense``, cosine) and one named sparse vector
(``sparse``, BM25 term weights with Qdrant's IDF modifier) per chunk, plus the chunk's
payload. Filters are applied inside the store's query, never after it, so a restricted
chunk can never reach a caller through post-filtering mistakes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal, Protocol, runtime_checkable

DENSE = "dense"
SPARSE = "sparse"

# Payload fields that queries filter by; every back-end indexes them.
KEYWORD_FIELDS = (
    "document_id",
    "source",
    "allowed_groups",
    "tags",
    "version",
    "format",
    "statement",
)
DATETIME_FIELDS = ("date",)

_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")

Fusion = Literal["rrf", "dbsf"]

# Reciprocal rank fusion constant, the same on every back-end: score = sum 1 / (k + rank0).
RRF_K = 60


@dataclass(frozen=True, slots=True)
class SparseVector:
    """Term ids (hashed, see ``ingest.sparse``) and their BM25 document-side weights."""

    indices: tuple[int, ...]
    values: tuple[float, ...]

    def __post_init__(self) -> None:
        if len(self.indices) != len(self.values):
            raise ValueError("sparse vector indices and values differ in length")


@dataclass(frozen=True, slots=True)
class Point:
    id: str
    dense: Sequence[float]
    sparse: SparseVector
    payload: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Hit:
    id: str
    score: float
    payload: dict[str, Any]


def ranked(hits: Iterable[Hit]) -> list[Hit]:
    """Best score first; equal scores by document and position in it, then point id.

    Point ids are versioned (``ingest.models.point_id_for``): re-profiling or re-reading a
    document gives the same chunks new ids. Ranking ties by id reshuffled equal scores on
    every new index version (26 of 78 FinanceBench top-10 lists changed with nothing but
    the ids); a chunk's document and position stay.
    """
    return sorted(hits, key=lambda h: (-h.score, *_place(h)))


def _place(hit: Hit) -> tuple[str, int, str]:
    document, position = hit.payload.get("document_id"), hit.payload.get("position")
    return (
        document if isinstance(document, str) else "",
        position if isinstance(position, int) and not isinstance(position, bool) else -1,
        hit.id,
    )


def top_hits(hits: Sequence[Hit], limit: int) -> list[Hit]:
    """The ``limit`` best hits, equal scores in ``ranked`` order.

    Qdrant returns equal fused scores (the same rank in each list gives the same RRF score)
    in no fixed order, so a store asks for every fused candidate and cuts here: the same
    question then always gets the same passages.
    """
    return ranked(hits)[:limit]


def fuse_rrf(lists: Sequence[Sequence[Hit]], limit: int, k: int = RRF_K) -> list[Hit]:
    """Reciprocal rank fusion of a dense and a sparse list as Qdrant computes it (a hit at
    0-based rank r adds 1 / (k + r)), with each list's equal scores in ``ranked`` order.

    Fused inside the store, equal scores take their ranks in the order points were
    written (the same boilerplate in several filings scores the same), so two builds of
    one corpus ranked ties, and then whole results, differently; here they cannot.
    """
    scores: dict[str, float] = {}
    first: dict[str, Hit] = {}
    for hits in lists:
        for rank, hit in enumerate(ranked(hits)):
            scores[hit.id] = scores.get(hit.id, 0.0) + 1.0 / (k + rank)
            first.setdefault(hit.id, hit)
    return top_hits([Hit(i, score, first[i].payload) for i, score in scores.items()], limit)


@dataclass(frozen=True, slots=True)
class SearchFilter:
    """Conditions a hit must meet; all given conditions must hold (AND).

    ``groups`` is the caller's entitlement: a chunk is visible when its ``allowed_groups``
    is empty (public) or shares a group with ``groups``. ``groups=None`` means no
    entitlement check (ingestion and admin paths only).
    """

    document_ids: tuple[str, ...] | None = None
    sources: tuple[str, ...] | None = None
    tags: tuple[str, ...] | None = None
    # Kinds of primary financial statement on the chunk's pages (``ingest.statements``).
    statements: tuple[str, ...] | None = None
    groups: tuple[str, ...] | None = None
    date_from: str | None = None
    date_to: str | None = None
    exclude_versions: tuple[str, ...] = field(default=())

    def is_empty(self) -> bool:
        """True when no condition is set (such a filter matches every point)."""
        return (
            self.document_ids is None
            and self.sources is None
            and self.tags is None
            and self.statements is None
            and self.groups is None
            and self.date_from is None
            and self.date_to is None
            and not self.exclude_versions
        )

    def matches_nothing(self) -> bool:
        """True when an any-of list is given but empty, so no point can match."""
        return any(
            v is not None and not v
            for v in (self.document_ids, self.sources, self.tags, self.statements)
        )

    def date_bounds(self) -> tuple[str | None, str | None, str | None]:
        """(gte, lte, lt) for the ``date`` field; a date-only ``date_to`` covers its whole day."""
        if self.date_to is not None and _DATE_ONLY.fullmatch(self.date_to):
            next_day = date.fromisoformat(self.date_to) + timedelta(days=1)
            return self.date_from, None, next_day.isoformat()
        return self.date_from, self.date_to, None


@runtime_checkable
class VectorStore(Protocol):
    """What ingestion and retrieval need from a vector index."""

    def ensure_collection(self, collection: str, dim: int) -> None:
        """Create the collection (vectors and payload indexes) if it does not exist.

        Raises StoreError if it exists with a different dense dimension.
        """

    def upsert(self, collection: str, points: Sequence[Point]) -> None:
        """Insert or overwrite points by id; durable when it returns."""

    def delete(self, collection: str, flt: SearchFilter) -> None:
        """Delete every point matching the filter (an empty filter is refused)."""

    def count(self, collection: str, flt: SearchFilter | None = None) -> int:
        """Exact number of points matching the filter."""

    def scroll(
        self, collection: str, flt: SearchFilter | None = None, fields: Sequence[str] = ()
    ) -> list[Hit]:
        """Every matching point with the named payload fields (score 0.0), in id order."""

    def search_dense(
        self,
        collection: str,
        vector: Sequence[float],
        limit: int,
        flt: SearchFilter | None = None,
    ) -> list[Hit]:
        """Top ``limit`` points by cosine similarity."""

    def search_sparse(
        self,
        collection: str,
        vector: SparseVector,
        limit: int,
        flt: SearchFilter | None = None,
    ) -> list[Hit]:
        """Top ``limit`` points by sparse dot product (BM25 with the IDF modifier)."""

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
        """Dense and sparse prefetch of ``prefetch`` each, fused inside the store."""

    def collections(self) -> list[str]:
        """Names of existing collections."""

    def drop_collection(self, collection: str) -> None:
        """Remove a collection and its data; a missing one is not an error."""

    def close(self) -> None:
        """Flush and release files or connections."""
