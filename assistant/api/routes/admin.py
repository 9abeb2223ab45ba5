"""/v1/traces/{id} and /v1/audit (admin role), within the admin's own entitlements."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from starlette.concurrency import run_in_threadpool

from assistant.api.deps import Admin, State
from assistant.api.routes.chat import _ERRORS
from assistant.api.schemas.admin import AuditPage, Trace

router = APIRouter(prefix="/v1", tags=["admin"])

TraceId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
Kind = Literal["chat", "search", "document.page", "document.delete", "approval.decision"]


@router.get("/traces/{trace_id}", response_model=Trace, responses=_ERRORS)
async def trace(trace_id: TraceId, principal: Admin, state: State) -> Trace:
    """One audit record in full; 404 when it touched groups the admin does not hold."""
    record = await run_in_threadpool(state.audit.get, trace_id, principal.groups)
    return Trace(**record.to_json())


@router.get("/audit", response_model=AuditPage, responses=_ERRORS)
async def audit(
    principal: Admin,
    state: State,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    before: Annotated[
        float | None, Query(ge=0, description="Page: records older than this.")
    ] = None,
    key: Annotated[str | None, Query(max_length=64, description="Only this API key id.")] = None,
    kind: Kind | None = None,
) -> AuditPage:
    """Audit records newest first; content outside the admin's groups is withheld."""
    records = await run_in_threadpool(
        lambda: state.audit.recent(
            principal.groups, limit=limit, before=before, principal=key, kind=kind
        )
    )
    next_before = records[-1].at if len(records) == limit else None
    return AuditPage(records=[Trace(**r.to_json()) for r in records], next_before=next_before)
