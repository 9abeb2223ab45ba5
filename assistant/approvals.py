"""The approval queue: requests to act wait here for a person; deciding executes nothing.

ResearchDesk never trades, moves money or contacts clients. A high-risk request is
recorded as ``pending``; a reviewer approves or rejects it, and that decision is recorded
for the people and systems that do act. The queue is the hand-over, not an executor.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Engine, insert, select, update

from assistant.tables import approvals, database_errors
from ingest.errors import ConfigError, NotFoundError

Status = Literal["pending", "approved", "rejected"]
Decision = Literal["approve", "reject"]


@dataclass(frozen=True, slots=True)
class Approval:
    id: str
    trace_id: str
    principal: str
    principal_name: str
    question: str
    reason: str
    status: Status
    created_at: float
    decided_by: str | None = None
    decided_at: float | None = None
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "trace_id": self.trace_id,
            "principal": self.principal,
            "principal_name": self.principal_name,
            "question": self.question,
            "reason": self.reason,
            "status": self.status,
            "created_at": self.created_at,
            "decided_by": self.decided_by,
            "decided_at": self.decided_at,
            "note": self.note,
            "executed": False,
        }


class ApprovalQueue:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def submit(
        self, trace_id: str, principal: str, principal_name: str, question: str, reason: str
    ) -> Approval:
        """Queue a (masked) request to act for review."""
        item = Approval(
            id=uuid.uuid4().hex,
            trace_id=trace_id,
            principal=principal,
            principal_name=principal_name,
            question=question,
            reason=reason,
            status="pending",
            created_at=time.time(),
        )
        with database_errors(), self._engine.begin() as conn:
            conn.execute(
                insert(approvals).values(
                    id=item.id,
                    trace_id=item.trace_id,
                    principal=item.principal,
                    principal_name=item.principal_name,
                    question=item.question,
                    reason=item.reason,
                    status=item.status,
                    created_at=item.created_at,
                )
            )
        return item

    def list(self, status: Status | None = "pending", limit: int = 100) -> list[Approval]:
        query = select(approvals).order_by(approvals.c.created_at).limit(limit)
        if status is not None:
            query = query.where(approvals.c.status == status)
        with database_errors(), self._engine.connect() as conn:
            return [_approval(row) for row in conn.execute(query).mappings()]

    def get(self, approval_id: str) -> Approval:
        with database_errors(), self._engine.connect() as conn:
            row = (
                conn.execute(select(approvals).where(approvals.c.id == approval_id))
                .mappings()
                .first()
            )
        if row is None:
            raise NotFoundError(f"no approval {approval_id!r}")
        return _approval(row)

    def decide(
        self, approval_id: str, decision: Decision, reviewer: str, note: str | None
    ) -> Approval:
        """Record a reviewer's decision once; deciding a decided request is a ConfigError.

        A reviewer may not decide their own request (four eyes).
        """
        current = self.get(approval_id)
        if current.principal == reviewer:
            raise ConfigError("a request must be decided by someone other than its requester")
        status: Status = "approved" if decision == "approve" else "rejected"
        with database_errors(), self._engine.begin() as conn:
            done = conn.execute(
                update(approvals)
                .where(approvals.c.id == approval_id, approvals.c.status == "pending")
                .values(status=status, decided_by=reviewer, decided_at=time.time(), note=note)
            )
        if done.rowcount == 0:
            raise ConfigError(f"approval {approval_id!r} was already {current.status}")
        return self.get(approval_id)


def _approval(row: Any) -> Approval:
    return Approval(**{k: row[k] for k in Approval.__dataclass_fields__})
