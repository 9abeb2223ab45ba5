"""An index as the readers and the job runner both see it: its collection, store and repair.

``search``, ``ask`` and the HTTP service open an index with these; ``ingest.pipeline``
(the job runner) writes through the same ones. ``index_lock`` is one ingestion job at a
time per index, which ``recover_pending`` also takes before repairing a killed job's work.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from core.errors import ConfigError
from core.settings import Settings
from ingest.catalog import Catalog
from ingest.db import connect
from ingest.locks import IndexBusyError, database_lock, file_lock
from ingest.store import VectorStore, open_store
from ingest.store.layout import CollectionLayout

log = logging.getLogger(__name__)


def collection_name(settings: Settings) -> str:
    return f"researchdesk_{settings.index}"


def sparse_params(settings: Settings) -> dict[str, float]:
    """BM25 parameters fixed per index build (document weights depend on them)."""
    # avgdl: the typical chunk length in BM25 terms (stemmed, stopwords removed). Measured
    # on two FinanceBench 10-Ks: ~0.41 terms per embedder token for size-bounded chunks and
    # ~350 terms per page. A fixed value keeps document weights reproducible per build.
    if settings.chunk_strategy in ("recursive", "token"):
        avgdl = round(0.4 * settings.chunk_size, 1)
    else:
        avgdl = 350.0
    return {"k1": 1.2, "b": 0.75, "avgdl": avgdl}


def open_index_store(settings: Settings) -> VectorStore:
    kind = settings.resolved_store
    if kind == "remote":
        from ingest.store.client import open_remote

        if not settings.qdrant_url:
            raise ConfigError("store 'remote' needs QDRANT_URL (e.g. http://localhost:6333)")
        key = settings.qdrant_api_key.get_secret_value() if settings.qdrant_api_key else None
        return open_remote(settings.qdrant_url, key, collection_layout(settings))
    if kind == "memory":
        return open_store("memory")
    return open_store(kind, path=settings.data_dir / "qdrant" / kind)


def collection_layout(settings: Settings) -> CollectionLayout:
    """The server collection layout named by the ``qdrant_*`` settings."""
    return CollectionLayout(
        shard_number=settings.qdrant_shard_number,
        replication_factor=settings.qdrant_replication_factor,
        write_consistency_factor=settings.qdrant_write_consistency_factor,
        on_disk=settings.qdrant_on_disk,
        quantization=settings.qdrant_quantization,
        hnsw_m=settings.qdrant_hnsw_m,
        hnsw_ef_construct=settings.qdrant_hnsw_ef_construct,
    )


@contextmanager
def index_lock(settings: Settings) -> Iterator[None]:
    """One ingestion job at a time per index: this host (file lock) and, with a PostgreSQL
    catalogue, every host sharing it (advisory lock; see ``ingest.locks``)."""
    with file_lock(settings.data_dir / "locks", settings.index):
        if not settings.resolved_database_url.startswith("postgresql"):
            yield
            return
        engine = connect(settings.resolved_database_url)
        try:
            with database_lock(engine, settings.index):
                yield
        finally:
            engine.dispose()


def recover_pending(settings: Settings, catalog: Catalog, store: VectorStore) -> list[str]:
    """Repair what a killed job left half-done, unless a job holds the index right now.

    Readers (``search``, ``ask``, the service at start-up) call this before opening an
    index, so a crash's orphan points are not searchable until the next job. A running
    job's intents are its own work in progress, not orphans: then nothing is touched.
    """
    if not catalog.pending():
        return []
    try:
        with index_lock(settings):
            collection = collection_name(settings)
            if collection not in store.collections():
                return []
            repaired = catalog.recover(store, collection)
    except IndexBusyError:
        log.info(
            "index %r is being ingested; its pending changes are left to that job", settings.index
        )
        return []
    log.warning("repaired %d document(s) left half-done by a killed job", len(repaired))
    return repaired
