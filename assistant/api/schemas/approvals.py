"""/v1/approvals."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from assistant.api.schemas.base import Request, Response


class ApprovalOut(Response):
    id: str
    trace_id: str
    principal: str
    principal_name: str
    question: str
    reason: str
    status: Literal["pending", "approved", "rejected"]
    created_at: float
    decided_by: str | None
    decided_at: float | None
    note: str | None
    executed: bool = Field(description="Always false: ResearchDesk executes nothing.")


class ApprovalList(Response):
    approvals: list[ApprovalOut]


class DecisionIn(Request):
    decision: Literal["approve", "reject"]
    note: Annotated[str, StringConstraints(max_length=2000)] | None = None
