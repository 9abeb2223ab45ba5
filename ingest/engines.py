"""Execution engines for an ingestion job: where files are read and chunks embedded.

Both engines give the job the same two things: a stream of prepared files and an
embedder; the job itself (plan, write-ahead intents, writes, report) is the same code.
``local`` uses worker processes on this machine; ``ray`` uses a Ray cluster (see
``ingest.ray_engine``), started on this machine when no address is given.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol

from core.settings import Settings
from ingest.chunking import ChunkingConfig
from ingest.embedding import CachedEmbedder, Embedder, EmbeddingCache, SentenceTransformerEmbedder
from ingest.extract import Failed, Prepared, prepared_stream

Stream = Iterator[tuple[str, Prepared | Failed]]


class Engine(Protocol):
    def stream(self, paths: Sequence[str], config: ChunkingConfig) -> Stream: ...

    def embedder(self) -> CachedEmbedder: ...

    def close(self) -> None: ...


def cached(settings: Settings, inner: Embedder) -> CachedEmbedder:
    cache = EmbeddingCache(settings.data_dir / "cache" / "embeddings.sqlite3")
    return CachedEmbedder(inner, cache)


def sentence_embedder(settings: Settings) -> SentenceTransformerEmbedder:
    """The embedder the ``embedding_*`` settings name (device and precision resolved lazily)."""
    return SentenceTransformerEmbedder(
        settings.embedding_model,
        batch_size=settings.embedding_batch_size,
        precision=settings.embedding_precision,
        device=settings.embedding_device,
    )


def make_embedder(settings: Settings) -> CachedEmbedder:
    return cached(settings, sentence_embedder(settings))


def max_bytes(settings: Settings) -> int:
    return int(settings.max_file_mb * 1024 * 1024)


class LocalEngine:
    def __init__(
        self, settings: Settings, embedder_factory: Callable[[Settings], CachedEmbedder]
    ) -> None:
        self.settings = settings
        self._factory = embedder_factory

    def stream(self, paths: Sequence[str], config: ChunkingConfig) -> Stream:
        s = self.settings
        return prepared_stream(
            paths, max_bytes(s), config, s.embedding_model, s.workers, s.pdf_tables
        )

    def embedder(self) -> CachedEmbedder:
        return self._factory(self.settings)

    def close(self) -> None:
        pass


class RayEngine:
    """Ray is imported and the address checked at once (clear errors before any work);
    the cluster is joined, or a local one started, only when there is work to do."""

    def __init__(self, settings: Settings) -> None:
        from ingest.ray_engine import check_reachable, import_ray

        self.settings = settings
        self._ray = import_ray()
        if settings.ray_address:
            check_reachable(settings.ray_address)
        self._started = False
        self._actors: Any = None
        self._reaper: Any = None

    def _session(self) -> Any:
        ray = self._ray
        if not ray.is_initialized():
            address = self.settings.ray_address
            options: dict[str, Any] = {
                "include_dashboard": False,
                "log_to_driver": False,
                "configure_logging": False,
            }
            from ingest.ray_engine import RayEngineError

            try:
                if address:
                    ray.init(address=address, **options)
                else:  # a new local instance sized to this machine, never a stray cluster
                    from ingest import reaper
                    from ingest.extract import descendants

                    ray.init(address="local", num_cpus=os.cpu_count() or 1, **options)
                    self._reaper = reaper.start(os.getpid(), descendants(os.getpid()))
            except Exception as exc:  # Ray raises bare Exception/RuntimeError/ConnectionError
                where = address or "a local Ray instance"
                raise RayEngineError(
                    f"could not start or join {where}: {type(exc).__name__}: {exc}"
                ) from exc
            self._started = True
        return ray

    def stream(self, paths: Sequence[str], config: ChunkingConfig) -> Stream:
        from ingest.ray_engine import ray_prepared_stream

        s = self.settings
        return ray_prepared_stream(
            self._session(), paths, max_bytes(s), config, s.embedding_model, pdf_tables=s.pdf_tables
        )

    def embedder(self) -> CachedEmbedder:
        from ingest.ray_engine import start_actors

        s = self.settings
        self._actors = start_actors(
            self._session(),
            s.embedding_model,
            s.embedding_batch_size,
            s.embedding_precision,
            s.ray_embed_actors,
            device=s.embedding_device,
            threads=s.ray_actor_threads,
        )
        return cached(s, self._actors)

    def close(self) -> None:
        if self._actors is not None:
            for actor in self._actors.actors:
                self._ray.kill(actor)
            self._actors = None
        if self._started:
            self._ray.shutdown()
            self._started = False
        if self._reaper is not None:
            self._reaper.kill()
            self._reaper.wait()
            self._reaper = None


def open_engine(
    settings: Settings, embedder_factory: Callable[[Settings], CachedEmbedder]
) -> Engine:
    """The engine named by ``settings.engine``; ValueError lists the valid names."""
    if settings.engine == "local":
        return LocalEngine(settings, embedder_factory)
    if settings.engine == "ray":
        return RayEngine(settings)
    raise ValueError(f"unknown engine {settings.engine!r}; valid: local, ray")
