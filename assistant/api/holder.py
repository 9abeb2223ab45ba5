"""Owns the query pipeline for the service: loads it, reloads it after ingestion, closes it.

The pipeline opens the index's store, and an embedded store admits one opener per
process, so the service holds exactly one pipeline and lets ingestion write through its
store. After a job changes the index the pipeline is rebuilt (fresh catalogue and routing);
requests arriving meanwhile wait on the lock rather than fail.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Protocol

from assistant.turn import AnsweringPipeline
from core.errors import ResearchDeskError

if TYPE_CHECKING:
    from ingest.catalog import Catalog
    from retrieval.pipeline import Searcher

log = logging.getLogger(__name__)


class QueryPipeline(AnsweringPipeline, Protocol):
    """What the service needs of ``assistant.pipeline.Pipeline`` (tests may wrap one)."""

    searcher: Searcher
    catalog: Catalog | None


PipelineFactory = Callable[[], QueryPipeline]


class IndexUnavailableError(ResearchDeskError):
    """The pipeline could not be loaded (empty index, store down); the edge answers 503."""


class PipelineHolder:
    """Hands out the pipeline to requests and swaps it only when no request is using it."""

    def __init__(self, factory: PipelineFactory) -> None:
        self._factory = factory
        self._pipeline: QueryPipeline | None = None
        self._error: str | None = None
        self._users = 0
        self._swapping = False
        self._cond = threading.Condition()

    @contextmanager
    def use(self) -> Iterator[QueryPipeline]:
        """The pipeline, loaded on first use, kept open until the block ends.

        Raises IndexUnavailableError when it cannot be loaded (empty index, store held by
        another process, store down).
        """
        with self._cond:
            while self._swapping:
                self._cond.wait()
            pipeline = self._load()
            self._users += 1
        try:
            yield pipeline
        finally:
            with self._cond:
                self._users -= 1
                self._cond.notify_all()

    def _load(self) -> QueryPipeline:
        if self._pipeline is None:
            try:
                self._pipeline = self._factory()
            except ResearchDeskError as exc:
                self._error = str(exc)
                raise IndexUnavailableError(str(exc)) from exc
            self._error = None
        return self._pipeline

    @property
    def loaded(self) -> QueryPipeline | None:
        return self._pipeline

    @property
    def error(self) -> str | None:
        """Why the last load failed, for the readiness probe."""
        return self._error

    def reload(self) -> None:
        """Wait for in-flight requests, close the pipeline and load a fresh one."""
        with self._cond:
            self._swapping = True
            try:
                while self._users:
                    self._cond.wait()
                self._close()
                try:
                    self._load()
                except IndexUnavailableError as exc:
                    log.warning("pipeline not reloaded: %s", exc)
            finally:
                self._swapping = False
                self._cond.notify_all()

    def close(self) -> None:
        with self._cond:
            self._close()

    def _close(self) -> None:
        pipeline, self._pipeline = self._pipeline, None
        if pipeline is not None:
            pipeline.close()
