"""Job records: one row per ingestion run, one per file it looked at, with the outcome.

A job that is still marked ``running`` but whose process is gone was killed; the next
job (or listing) marks it ``interrupted`` so nobody waits on it.
"""

from __future__ import annotations

import os
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import Engine, insert, select, update

from core.errors import NotFoundError
from ingest import db
from ingest.reaper import alive

FileStatus = Literal["added", "updated", "unchanged", "deleted", "failed"]
JobStatus = Literal["running", "succeeded", "completed_with_errors", "failed", "interrupted"]
FILE_STATUSES: tuple[FileStatus, ...] = ("added", "updated", "unchanged", "deleted", "failed")


@dataclass(frozen=True, slots=True)
class FileOutcome:
    """One file's outcome in a job; ``reason`` says why it failed, or for a file indexed
    all the same, what the data team should know (pages that could not be read)."""

    path: str
    status: FileStatus
    document_id: str | None = None
    reason: str | None = None
    chunks: int | None = None
    seconds: float | None = None


@dataclass(slots=True)
class JobReport:
    """What a job did; ``to_json`` is the ``ingest --json`` contract."""

    job_id: str
    index: str
    status: JobStatus = "running"
    started_at: float = field(default_factory=time.time)
    ended_at: float | None = None
    files: list[FileOutcome] = field(default_factory=list)
    chunks: int = 0
    total: int = 0  # files the job looked at, known once planning is done
    recovered: list[str] = field(default_factory=list)
    error: str | None = None

    def count(self, status: FileStatus) -> int:
        return sum(1 for f in self.files if f.status == status)

    @property
    def failed(self) -> list[FileOutcome]:
        return [f for f in self.files if f.status == "failed"]

    @property
    def warned(self) -> list[FileOutcome]:
        """Files indexed with a warning in ``reason`` (pages that could not be read)."""
        return [f for f in self.files if f.status in ("added", "updated") and f.reason]

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {status: self.count(status) for status in FILE_STATUSES}
        counts["warned"] = len(self.warned)
        counts["chunks"] = self.chunks
        counts["total"] = self.total
        return counts

    def to_json(self) -> dict[str, Any]:
        return {
            "job_id": self.job_id,
            "index": self.index,
            "status": self.status,
            "added": self.count("added"),
            "updated": self.count("updated"),
            "unchanged": self.count("unchanged"),
            "deleted": self.count("deleted"),
            "chunks": self.chunks,
            "failed": [{"path": f.path, "reason": f.reason} for f in self.failed],
            "warnings": [{"path": f.path, "warning": f.reason} for f in self.warned],
            "recovered": self.recovered,
            "seconds": round((self.ended_at or time.time()) - self.started_at, 3),
            "error": self.error,
        }


@dataclass(frozen=True, slots=True)
class JobRecord:
    id: str
    index_name: str
    paths: list[str]
    settings: dict[str, Any]
    status: str
    started_at: float
    ended_at: float | None
    counts: dict[str, int]
    error: str | None


class JobLog:
    """Creates, updates and lists job records."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def start(
        self,
        index_name: str,
        paths: list[str],
        settings: dict[str, Any],
        job_id: str | None = None,
    ) -> JobReport:
        report = JobReport(job_id=job_id or uuid.uuid4().hex, index=index_name)
        with self._engine.begin() as conn:
            conn.execute(
                insert(db.jobs).values(
                    id=report.job_id,
                    index_name=index_name,
                    paths=paths,
                    settings=settings,
                    status="running",
                    started_at=report.started_at,
                    counts={},
                    pid=os.getpid(),
                )
            )
        return report

    def record(self, report: JobReport, outcome: FileOutcome) -> None:
        report.files.append(outcome)
        with self._engine.begin() as conn:
            conn.execute(
                insert(db.job_files).values(
                    job_id=report.job_id,
                    path=outcome.path,
                    document_id=outcome.document_id,
                    status=outcome.status,
                    reason=outcome.reason,
                    chunks=outcome.chunks,
                    seconds=outcome.seconds,
                )
            )
            conn.execute(
                update(db.jobs).where(db.jobs.c.id == report.job_id).values(counts=report.counts())
            )

    def finish(self, report: JobReport, status: JobStatus, error: str | None = None) -> None:
        report.status = status
        report.error = error
        report.ended_at = time.time()
        with self._engine.begin() as conn:
            conn.execute(
                update(db.jobs)
                .where(db.jobs.c.id == report.job_id)
                .values(
                    status=status, ended_at=report.ended_at, counts=report.counts(), error=error
                )
            )

    def mark_interrupted(self) -> list[str]:
        """Jobs left ``running`` by a process that no longer exists become ``interrupted``."""
        with self._engine.begin() as conn:
            rows = conn.execute(
                select(db.jobs.c.id, db.jobs.c.pid).where(db.jobs.c.status == "running")
            ).all()
            dead = [job_id for job_id, pid in rows if pid is None or not _alive(pid)]
            for job_id in dead:
                conn.execute(
                    update(db.jobs)
                    .where(db.jobs.c.id == job_id)
                    .values(status="interrupted", error="the job's process ended before it did")
                )
        return dead

    def recent(self, limit: int = 50) -> list[JobRecord]:
        self.mark_interrupted()
        query = select(db.jobs).order_by(db.jobs.c.started_at.desc()).limit(limit)
        with self._engine.connect() as conn:
            return [_record(row) for row in conn.execute(query).mappings()]

    def get(self, job_id: str) -> tuple[JobRecord, list[FileOutcome]]:
        self.mark_interrupted()
        with self._engine.connect() as conn:
            row = conn.execute(select(db.jobs).where(db.jobs.c.id == job_id)).mappings().first()
            if row is None:
                raise NotFoundError(f"no job {job_id!r}; `researchdesk jobs` lists them")
            files = (
                conn.execute(
                    select(db.job_files)
                    .where(db.job_files.c.job_id == job_id)
                    .order_by(db.job_files.c.id)
                )
                .mappings()
                .all()
            )
        outcomes = [
            FileOutcome(
                path=f["path"],
                status=f["status"],
                document_id=f["document_id"],
                reason=f["reason"],
                chunks=f["chunks"],
                seconds=f["seconds"],
            )
            for f in files
        ]
        return _record(row), outcomes


@dataclass(frozen=True, slots=True)
class JobProgress:
    """How far a job is, from its recorded counts: what ``jobs show`` and HTTP report."""

    done: int
    total: int
    chunks: int
    chunks_per_s: float | None
    eta_s: float | None


def job_progress(counts: dict[str, int], started_at: float, now: float) -> JobProgress:
    """Files done/total, chunks/s and ETA; unchanged files are excluded from the pace."""
    done = sum(counts.get(s, 0) for s in FILE_STATUSES if s != "deleted")
    total = max(counts.get("total", 0), done)
    chunks = counts.get("chunks", 0)
    elapsed = now - started_at
    rate = round(chunks / elapsed, 2) if elapsed > 0 and chunks else None
    worked = done - counts.get("unchanged", 0)
    eta = None
    if elapsed > 0 and worked > 0 and total:
        eta = round(elapsed / worked * (total - done), 1)
    return JobProgress(done, total, chunks, rate, eta)


def _alive(pid: int) -> bool:
    """The job's process is still running (a zombie is not)."""
    return pid == os.getpid() or alive(pid)


def _record(row: Any) -> JobRecord:
    return JobRecord(
        id=row["id"],
        index_name=row["index_name"],
        paths=list(row["paths"]),
        settings=dict(row["settings"]),
        status=row["status"],
        started_at=row["started_at"],
        ended_at=row["ended_at"],
        counts=dict(row["counts"] or {}),
        error=row["error"],
    )
