"""/v1/approvals (reviewer role): escalated requests waiting for a person."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Path, Query
from starlette.concurrency import run_in_threadpool

from assistant.api.deps import Reviewer, State
from assistant.api.routes.chat import _ERRORS
from assistant.api.schemas.approvals import ApprovalList, ApprovalOut, DecisionIn
from assistant.approvals import Approval
from assistant.audit import AuditRecord
from assistant.governance import mask_personal_data
from assistant.keys import Principal
from core.errors import ConfigError

router = APIRouter(prefix="/v1/approvals", tags=["approvals"])

ApprovalId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


@router.get("", response_model=ApprovalList, responses=_ERRORS)
async def list_approvals(
    principal: Reviewer,
    state: State,
    status: Annotated[Literal["pending", "approved", "rejected", "all"], Query()] = "pending",
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> ApprovalList:
    """Requests to act, oldest first; by default those still pending.

    A request by someone whose groups gate documents you cannot see is listed with its
    text withheld, and deciding it answers 404.
    """
    items = await run_in_threadpool(
        state.approvals.list, principal.groups, None if status == "all" else status, limit
    )
    return ApprovalList(approvals=[ApprovalOut(**a.to_json()) for a in items])


def _decide(state: State, principal: Principal, approval_id: str, body: DecisionIn) -> Approval:
    note = mask_personal_data(body.note).text if body.note else None
    item = state.approvals.decide(approval_id, body.decision, principal.id, note, principal.groups)
    state.audit.record(
        AuditRecord(
            trace_id=uuid.uuid4().hex,
            kind="approval.decision",
            principal=principal.id,
            principal_name=principal.name,
            status=item.status,
            groups=principal.groups,
            reason=note,
            target=approval_id,
        )
    )
    return item


@router.post(
    "/{approval_id}",
    response_model=ApprovalOut,
    responses={**_ERRORS, 409: {"description": "Already decided, or your own request."}},
)
async def decide(
    approval_id: ApprovalId, body: DecisionIn, principal: Reviewer, state: State
) -> ApprovalOut:
    """Approve or reject: the decision is recorded; nothing is executed."""
    try:
        item = await run_in_threadpool(_decide, state, principal, approval_id, body)
    except ConfigError as exc:
        raise HTTPException(409, str(exc)) from None
    return ApprovalOut(**item.to_json())
