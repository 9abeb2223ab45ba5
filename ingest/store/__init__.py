"""Vector stores: the contract, and ``open_store`` to pick a back-end by name.

Kinds: ``edge`` (Qdrant's engine in-process, under a directory), ``local`` (qdrant-client
local mode under a directory), ``memory`` (local mode, nothing persisted) and ``remote``
(a Qdrant server or cluster at ``url``). Back-end modules are imported only when chosen.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from core.errors import ConfigError
from ingest.store.base import (
    DATETIME_FIELDS,
    DENSE,
    KEYWORD_FIELDS,
    RRF_K,
    SPARSE,
    Fusion,
    Hit,
    Point,
    SearchFilter,
    SparseVector,
    VectorStore,
)

__all__ = [
    "DATETIME_FIELDS",
    "DENSE",
    "KEYWORD_FIELDS",
    "RRF_K",
    "SPARSE",
    "STORE_KINDS",
    "Fusion",
    "Hit",
    "Point",
    "SearchFilter",
    "SparseVector",
    "VectorStore",
    "open_store",
]

Opener = Callable[[Path | None, str | None, str | None], VectorStore]


def _needs_path(kind: str, path: Path | None) -> Path:
    if path is None:
        raise ConfigError(f"store kind {kind!r} needs a directory (path=...)")
    return path


def _edge(path: Path | None, url: str | None, api_key: str | None) -> VectorStore:
    from ingest.store.edge import open_edge

    return open_edge(_needs_path("edge", path))


def _local(path: Path | None, url: str | None, api_key: str | None) -> VectorStore:
    from ingest.store.client import open_local

    return open_local(_needs_path("local", path))


def _memory(path: Path | None, url: str | None, api_key: str | None) -> VectorStore:
    from ingest.store.client import open_memory

    return open_memory()


def _remote(path: Path | None, url: str | None, api_key: str | None) -> VectorStore:
    from ingest.store.client import open_remote

    if not url:
        raise ConfigError("store kind 'remote' needs QDRANT_URL (e.g. http://localhost:6333)")
    return open_remote(url, api_key)


_OPENERS: dict[str, Opener] = {
    "edge": _edge,
    "local": _local,
    "memory": _memory,
    "remote": _remote,
}
STORE_KINDS = tuple(_OPENERS)


def open_store(
    kind: str,
    *,
    path: str | Path | None = None,
    url: str | None = None,
    api_key: str | None = None,
) -> VectorStore:
    """Open the back-end ``kind``; ValueError lists the valid kinds for an unknown one."""
    opener = _OPENERS.get(kind)
    if opener is None:
        raise ValueError(f"unknown store kind {kind!r}; valid: {', '.join(STORE_KINDS)}")
    return opener(Path(path) if path is not None else None, url, api_key)
