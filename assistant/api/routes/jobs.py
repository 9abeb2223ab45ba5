"""/v1/ingest/jobs: start an ingestion job (data role), list jobs, follow one's progress."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path as FilePath
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query
from starlette.concurrency import run_in_threadpool

from assistant.api.deps import DataTeam, State
from assistant.api.documents import visible
from assistant.api.jobs import JobConflictError, JobState, PathRejectedError
from assistant.api.paths import shown_source
from assistant.api.routes.chat import _ERRORS
from assistant.api.schemas.jobs import JobCreate, JobDetail, JobFile, JobList, JobOut, Progress
from ingest.catalog import CatalogEntry
from ingest.jobs import JobRecord


def _visible(entry: CatalogEntry | None, groups: Sequence[str]) -> bool:
    """A file of a restricted catalogued document is listed only to its groups."""
    return entry is None or visible(entry, groups)


router = APIRouter(prefix="/v1/ingest/jobs", tags=["ingestion"])

JobId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


def _out(record: JobRecord | None, state: JobState | None, root: FilePath | None) -> JobOut:
    """A job as callers see it: paths relative to the ingest root, never absolute."""
    progress = None
    if state is not None and state.progress is not None:
        p = state.progress
        shown = shown_source(p.path, root) if p.path else None
        progress = Progress(
            stage=p.stage,
            done=p.done,
            total=p.total,
            path=shown,
            chunks=p.chunks,
            chunks_per_s=p.chunks_per_s,
            eta_s=p.eta_s,
        )
    if record is not None:
        return JobOut(
            id=record.id,
            index=record.index_name,
            status=record.status,
            paths=[shown_source(p, root) for p in record.paths],
            started_at=record.started_at,
            ended_at=record.ended_at,
            counts=record.counts,
            error=record.error,
            progress=progress,
        )
    assert state is not None
    return JobOut(
        id=state.id,
        index="",
        status=state.status,
        paths=[shown_source(p, root) for p in state.paths],
        started_at=state.started_at,
        ended_at=state.ended_at,
        counts={},
        error=state.error,
        progress=progress,
    )


@router.post(
    "",
    status_code=202,
    response_model=JobOut,
    responses={
        **_ERRORS,
        403: {"description": "Not the data role, or HTTP ingestion is off."},
        409: {"description": "A job is already running on this index."},
    },
)
async def start_job(body: JobCreate, principal: DataTeam, state: State) -> JobOut:
    """Ingest files under the server's ingest root in the background; poll the job for progress."""
    try:
        job = await run_in_threadpool(
            state.jobs.submit, body.paths, body.include, body.exclude, body.prune
        )
    except PathRejectedError as exc:
        status = 403 if state.settings.api_ingest_root is None else 422
        raise HTTPException(status, str(exc)) from None
    except JobConflictError as exc:
        raise HTTPException(409, str(exc)) from None
    out = _out(None, job, state.settings.api_ingest_root)
    return out.model_copy(update={"index": state.settings.index})


@router.get("", response_model=JobList, responses=_ERRORS)
async def list_jobs(
    principal: DataTeam,
    state: State,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> JobList:
    """Jobs newest first (including those run from the command line)."""
    rows = await run_in_threadpool(state.jobs.recent, limit)
    root = state.settings.api_ingest_root
    return JobList(jobs=[_out(record, job, root) for record, job in rows])


@router.get("/{job_id}", response_model=JobDetail, responses=_ERRORS)
async def get_job(job_id: JobId, principal: DataTeam, state: State) -> JobDetail:
    """One job with its progress (while running) and every file's outcome."""
    record, job, files = await run_in_threadpool(state.jobs.get, job_id)
    entries = {e.id: e for e in await run_in_threadpool(state.catalog.all)}
    root = state.settings.api_ingest_root
    out = _out(record, job, root)
    if record is None:
        out = out.model_copy(update={"index": state.settings.index})
    return JobDetail(
        **out.model_dump(exclude={"progress"}),
        progress=out.progress,
        files=[
            JobFile(
                path=shown_source(f.path, root),
                status=f.status,
                document_id=f.document_id,
                reason=f.reason,
                chunks=f.chunks,
            )
            for f in files
            if _visible(entries.get(f.document_id or ""), principal.groups)
        ],
    )
