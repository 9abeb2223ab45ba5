"""The approval queue: requests to act wait here for a person; deciding executes nothing.

ResearchDesk never trades, moves money or contacts clients. A high-risk request is
recorded as ``pending``; a reviewer approves or rejects it, and that decision is recorded
for the people and systems that do act. The queue is the hand-over, not an executor.

Reading the queue respects entitlements like the audit trail does: a request is shown in
full only to a reviewer holding every group that gated what its requester could see (the
``gated_by`` of the request's audit record); to others its text is withheld, and deciding
it answers as if it did not exist.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from sqlalchemy import Engine, insert, select, update

from assistant.audit import WITHHELD
from assistant.tables import approvals, audit, database_errors
from core.errors import ConfigError, NotFoundError

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
    gated_by: tuple[str, ...] | None = None  # None: no audit record says (shown to nobody)

    def visible_to(self, groups: Sequence[str]) -> bool:
        return self.gated_by is not None and set(self.gated_by) <= set(groups)

    def withheld(self) -> Approval:
        return replace(self, question=WITHHELD, reason=WITHHELD, note=None)

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

    def list(
        self, reader_groups: Sequence[str], status: Status | None = "pending", limit: int = 100
    ) -> list[Approval]:
        """Oldest first; requests outside the reader's groups keep their metadata only."""
        query = _with_gating().order_by(approvals.c.created_at).limit(limit)
        if status is not None:
            query = query.where(approvals.c.status == status)
        with database_errors(), self._engine.connect() as conn:
            items = [_approval(row) for row in conn.execute(query).mappings()]
        return [a if a.visible_to(reader_groups) else a.withheld() for a in items]

    def get(self, approval_id: str, reader_groups: Sequence[str]) -> Approval:
        """One request; NotFoundError if unknown or outside the reader's groups."""
        with database_errors(), self._engine.connect() as conn:
            row = (
                conn.execute(_with_gating().where(approvals.c.id == approval_id)).mappings().first()
            )
        if row is None or not _approval(row).visible_to(reader_groups):
            raise NotFoundError(f"no approval {approval_id!r}")
        return _approval(row)

    def decide(
        self,
        approval_id: str,
        decision: Decision,
        reviewer: str,
        note: str | None,
        reader_groups: Sequence[str],
    ) -> Approval:
        """Record a reviewer's decision once; deciding a decided request is a ConfigError.

        A reviewer may not decide their own request (four eyes), nor one outside their
        groups (NotFoundError, as for an unknown id).
        """
        current = self.get(approval_id, reader_groups)
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
        return self.get(approval_id, reader_groups)


def _with_gating() -> Any:
    """Approvals joined to their audit record's groups (outer: the record may be missing)."""
    return select(approvals, audit.c.groups.label("audit_groups")).outerjoin(
        audit, audit.c.trace_id == approvals.c.trace_id
    )


def _approval(row: Any) -> Approval:
    fields = {k: row[k] for k in Approval.__dataclass_fields__ if k != "gated_by"}
    groups = row["audit_groups"]
    gated = None if groups is None else tuple(groups.get("gated_by", ()))
    return Approval(**fields, gated_by=gated)
