"""/v1/ingest/jobs."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from assistant.api.schemas.base import Request, Response

PathText = Annotated[str, StringConstraints(min_length=1, max_length=1024, pattern=r"^[^\x00]+$")]
Glob = Annotated[str, StringConstraints(min_length=1, max_length=256, pattern=r"^[^\x00]+$")]


class JobCreate(Request):
    paths: list[PathText] = Field(
        min_length=1,
        max_length=100,
        description="Files or folders, relative to the server's ingest root (or inside it).",
    )
    include: list[Glob] = Field(default_factory=list, max_length=50)
    exclude: list[Glob] = Field(default_factory=list, max_length=50)
    prune: bool = Field(default=False, description="Remove documents whose file is gone.")


class Progress(Response):
    stage: str
    done: int = Field(description="Files done (unchanged ones included).")
    total: int = Field(description="Files the job looks at.")
    path: str | None
    chunks: int = 0
    chunks_per_s: float | None = None
    eta_s: float | None = Field(default=None, description="Seconds left at the pace so far.")


class JobFile(Response):
    path: str
    status: str
    document_id: str | None
    reason: str | None = Field(
        description="Why the file failed; for a file indexed all the same, what was left "
        "out (pages that could not be read as text)."
    )
    chunks: int | None


class JobOut(Response):
    id: str
    index: str
    status: str = Field(
        description="queued, running, succeeded, completed_with_errors, failed or interrupted."
    )
    paths: list[str]
    started_at: float | None
    ended_at: float | None
    counts: dict[str, int]
    error: str | None
    progress: Progress | None


class JobDetail(JobOut):
    files: list[JobFile]


class JobList(Response):
    jobs: list[JobOut]
