"""Ingestion jobs started over HTTP: one at a time per index, in a background thread.

The job writes through the service's own store when the pipeline is loaded (an embedded
store admits one opener per process) and the pipeline is reloaded when the job changed
the index. Paths must lie inside the configured ingest root, so an HTTP caller cannot
make the server index arbitrary files.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.api.holder import IndexUnavailableError, PipelineHolder
from core.errors import ConfigError, NotFoundError, ResearchDeskError
from core.settings import Settings
from ingest.index import index_lock
from ingest.jobs import FileOutcome, JobLog, JobRecord, JobReport
from ingest.pipeline import Progress, run_ingest

log = logging.getLogger(__name__)

IngestFn = Callable[..., JobReport]
MAX_REMEMBERED = 200  # jobs kept in memory for progress; their records stay in the database


class JobConflictError(ResearchDeskError):
    """A job is already running on this index."""

    def __init__(self, job_id: str) -> None:
        super().__init__(f"job {job_id} is still running on this index; wait for it to finish")
        self.job_id = job_id


class PathRejectedError(ResearchDeskError):
    """A requested path is outside the ingest root or does not exist."""


@dataclass
class JobState:
    """What this process knows of a job beyond its database record."""

    id: str
    paths: list[str]
    status: str = "queued"
    started_at: float = field(default_factory=time.time)
    ended_at: float | None = None
    error: str | None = None
    progress: Progress | None = None


class JobRunner:
    def __init__(
        self,
        settings: Settings,
        holder: PipelineHolder,
        log_: JobLog,
        ingest: IngestFn = run_ingest,
    ) -> None:
        self.settings = settings
        self.holder = holder
        self.log = log_
        self._ingest = ingest
        self._busy = threading.Lock()
        self._current: str | None = None
        self._states: dict[str, JobState] = {}
        self._threads: dict[str, threading.Thread] = {}

    # -- paths -----------------------------------------------------------------------------

    def resolve(self, paths: Sequence[str]) -> list[Path]:
        """Absolute paths inside the ingest root; PathRejectedError names the first bad one."""
        root = self.settings.api_ingest_root
        if root is None:
            raise PathRejectedError(
                "ingestion over HTTP is off: set RESEARCHDESK_API_INGEST_ROOT to the folder "
                "the service may read"
            )
        base = root.resolve()
        resolved = []
        for raw in paths:
            # Kept under the name given (a linked file keeps its own sidecar), but both the
            # name and whatever it points to must lie inside the root.
            named = Path(os.path.normpath(base / raw))
            target = named.resolve()
            if not all(p == base or base in p.parents for p in (named, target)):
                raise PathRejectedError(f"{raw!r} is outside the ingest root")
            if not named.exists():
                raise PathRejectedError(f"{raw!r} does not exist under the ingest root")
            resolved.append(named)
        return resolved

    # -- running ---------------------------------------------------------------------------

    def submit(
        self,
        paths: Sequence[str],
        include: Sequence[str] = (),
        exclude: Sequence[str] = (),
        prune: bool = False,
    ) -> JobState:
        """Start a job in the background; JobConflictError if one is running."""
        resolved = self.resolve(paths)
        if not self._busy.acquire(blocking=False):
            raise JobConflictError(self._current or "unknown")
        try:
            state = JobState(uuid.uuid4().hex, [str(p) for p in resolved])
            self._remember(state)
            self._current = state.id
            thread = threading.Thread(
                target=self._run,
                args=(state, resolved, tuple(include), tuple(exclude), prune),
                name=f"ingest-{state.id[:8]}",
                daemon=True,
            )
            self._threads[state.id] = thread
            thread.start()
        except BaseException:
            self._current = None
            self._busy.release()
            raise
        return state

    def exclusive(self) -> AbstractContextManager[None]:
        """Hold the index against jobs (e.g. while deleting a document); 409 if one runs."""
        if not self._busy.acquire(blocking=False):
            raise JobConflictError(self._current or "unknown")
        return _Release(self._busy, index_lock(self.settings))

    def wait(self, job_id: str, timeout: float | None = None) -> None:
        """Block until the job's thread ends (tests and shutdown)."""
        thread = self._threads.get(job_id)
        if thread is not None:
            thread.join(timeout)

    def _remember(self, state: JobState) -> None:
        self._states[state.id] = state
        while len(self._states) > MAX_REMEMBERED:
            oldest = next(iter(self._states))
            self._states.pop(oldest)
            self._threads.pop(oldest, None)

    def _run(
        self,
        state: JobState,
        paths: list[Path],
        include: tuple[str, ...],
        exclude: tuple[str, ...],
        prune: bool,
    ) -> None:
        try:
            state.status = "running"
            report, changed = self._through_service_store(state, paths, include, exclude, prune)
            state.status = report.status
            if changed:
                self.holder.reload()
        except ResearchDeskError as exc:
            state.status, state.error = "failed", str(exc)
        except Exception as exc:  # a thread has no caller to raise to: record and log it
            log.exception("ingestion job %s crashed", state.id)
            state.status, state.error = "failed", f"internal error ({type(exc).__name__})"
        finally:
            state.ended_at = time.time()
            self._current = None
            self._busy.release()

    def _through_service_store(
        self,
        state: JobState,
        paths: list[Path],
        include: tuple[str, ...],
        exclude: tuple[str, ...],
        prune: bool,
    ) -> tuple[JobReport, bool]:
        def on_progress(event: Progress) -> None:
            state.progress = event

        options: dict[str, Any] = {
            "include": include,
            "exclude": exclude,
            "prune": prune,
            "progress": on_progress,
            "job_id": state.id,
        }
        try:
            with self.holder.use() as pipeline:
                report = self._ingest(
                    paths, self.settings, store=pipeline.searcher.store, **options
                )
                changed = any(report.count(s) for s in ("added", "updated", "deleted"))
                return report, changed
        except IndexUnavailableError:
            # No pipeline yet (empty index): the job opens the store itself, and the
            # pipeline is loaded once it is done.
            return self._ingest(paths, self.settings, **options), True

    # -- reading ---------------------------------------------------------------------------

    def recent(self, limit: int) -> list[tuple[JobRecord | None, JobState | None]]:
        """Database records newest first, plus jobs of this process not recorded yet."""
        records = self.log.recent(limit)
        known = {r.id for r in records}
        pending = [s for s in self._states.values() if s.id not in known]
        rows: list[tuple[JobRecord | None, JobState | None]] = [
            (None, s) for s in sorted(pending, key=lambda s: -s.started_at)
        ]
        rows += [(r, self._states.get(r.id)) for r in records]
        return rows[:limit]

    def get(self, job_id: str) -> tuple[JobRecord | None, JobState | None, list[FileOutcome]]:
        """A job's record, live state and files; NotFoundError if neither exists."""
        state = self._states.get(job_id)
        try:
            record, files = self.log.get(job_id)
        except NotFoundError:
            if state is None:
                raise
            return None, state, []
        return record, state, files


class _Release(AbstractContextManager[None]):
    """Holds the runner's lock and the cross-process index lock; releases both."""

    def __init__(self, busy: threading.Lock, lock: AbstractContextManager[None]) -> None:
        self._busy = busy
        self._lock = lock

    def __enter__(self) -> None:
        try:
            self._lock.__enter__()
        except ConfigError as exc:  # another process (e.g. the CLI) is ingesting this index
            self._busy.release()
            raise JobConflictError("in another process") from exc
        except BaseException:
            self._busy.release()
            raise

    def __exit__(self, *exc: object) -> None:
        try:
            self._lock.__exit__(None, None, None)
        finally:
            self._busy.release()
