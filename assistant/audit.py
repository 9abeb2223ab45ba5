"""The audit trail: one row per answer, search or change, and the feedback tied to them.

What is written here is already masked (``governance.mask_personal_data``); the service
never logs a question or an answer anywhere else, so the audit row is the one place to
look and the one place to protect.

Reading a record respects entitlements too: a record is visible to a reader only when the
reader holds every group that gated content the asker could see (``gated_by``). A
record outside the reader's groups reads as unknown (traces) or is listed with its content
withheld (audit listing), so the audit cannot become a way around ``allowed_groups``.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, delete, insert, select, update

from assistant.tables import audit, database_errors, feedback
from core.errors import NotFoundError

if TYPE_CHECKING:
    from ingest.catalog import Catalog

WITHHELD = "[withheld: needs groups you do not hold]"


def gated_by(catalog: Catalog, groups: Sequence[str]) -> tuple[str, ...]:
    """The caller's groups that gate any catalogued document.

    An audit record of this caller is shown in full only to readers holding all of them:
    coarser than the documents actually touched, but it also covers what the caller typed
    (which may quote a restricted document) and needs no per-chunk bookkeeping.
    """
    gating = {g for entry in catalog.all() for g in entry.allowed_groups}
    return tuple(g for g in groups if g in gating)


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """Everything the service decided for one request; ``to_json`` is the trace format."""

    trace_id: str
    kind: str
    principal: str
    principal_name: str
    status: str
    groups: tuple[str, ...] = ()
    gated_by: tuple[str, ...] = ()
    at: float = field(default_factory=time.time)
    conversation_id: str | None = None
    question: str | None = None
    standalone_question: str | None = None
    intent: str | None = None
    risk: str | None = None
    flagged: bool = False
    reason: str | None = None
    retrieved_chunk_ids: tuple[str, ...] = ()
    answer: str | None = None
    citations: tuple[dict[str, Any], ...] = ()
    prompt_version: str | None = None
    model: str | None = None
    timings_ms: dict[str, float] = field(default_factory=dict)
    usage: dict[str, Any] | None = None
    cost_usd: float | None = None
    guardrails: dict[str, Any] = field(default_factory=dict)
    target: str | None = None

    def visible_to(self, groups: Sequence[str]) -> bool:
        return set(self.gated_by) <= set(groups)

    def withheld(self) -> AuditRecord:
        """The record with every piece of content removed, keeping who, when and what kind."""
        return AuditRecord(
            trace_id=self.trace_id,
            kind=self.kind,
            principal=self.principal,
            principal_name=self.principal_name,
            status=self.status,
            groups=self.groups,
            gated_by=self.gated_by,
            at=self.at,
            conversation_id=self.conversation_id,
            question=WITHHELD,
            intent=self.intent,
            risk=self.risk,
            flagged=self.flagged,
            timings_ms=self.timings_ms,
            usage=self.usage,
            cost_usd=self.cost_usd,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "trace_id": self.trace_id,
            "at": self.at,
            "kind": self.kind,
            "principal": self.principal,
            "principal_name": self.principal_name,
            "groups": list(self.groups),
            "status": self.status,
            "conversation_id": self.conversation_id,
            "question": self.question,
            "standalone_question": self.standalone_question,
            "intent": self.intent,
            "risk": self.risk,
            "flagged": self.flagged,
            "reason": self.reason,
            "retrieved_chunk_ids": list(self.retrieved_chunk_ids),
            "answer": self.answer,
            "citations": list(self.citations),
            "prompt_version": self.prompt_version,
            "model": self.model,
            "timings_ms": self.timings_ms,
            "usage": self.usage,
            "cost_usd": self.cost_usd,
            "guardrails": self.guardrails,
            "target": self.target,
        }


class AuditLog:
    """Writes and reads audit records and feedback."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def record(self, rec: AuditRecord, *, replaces: str | None = None) -> None:
        """Write ``rec``; ``replaces`` names a provisional record it supersedes atomically."""
        values = rec.to_json()
        values["groups"] = {"caller": list(rec.groups), "gated_by": list(rec.gated_by)}
        with database_errors(), self._engine.begin() as conn:
            if replaces is not None:
                conn.execute(delete(audit).where(audit.c.trace_id == replaces))
            conn.execute(insert(audit).values(**values))

    def settle(self, trace_id: str, status: str, reason: str) -> None:
        """Close a provisional record whose final one could not be written."""
        with database_errors(), self._engine.begin() as conn:
            conn.execute(
                update(audit)
                .where(audit.c.trace_id == trace_id)
                .values(status=status, reason=reason)
            )

    def get(self, trace_id: str, reader_groups: Sequence[str]) -> AuditRecord:
        """The record of ``trace_id``; NotFoundError if unknown or not visible to the reader."""
        with database_errors(), self._engine.connect() as conn:
            row = conn.execute(select(audit).where(audit.c.trace_id == trace_id)).mappings().first()
        if row is None or not _record(row).visible_to(reader_groups):
            raise NotFoundError(f"no trace {trace_id!r}")
        return _record(row)

    def find_own(self, trace_id: str, principal: str) -> AuditRecord:
        """A record the principal itself created (feedback is only accepted on those)."""
        with database_errors(), self._engine.connect() as conn:
            row = (
                conn.execute(
                    select(audit).where(
                        audit.c.trace_id == trace_id, audit.c.principal == principal
                    )
                )
                .mappings()
                .first()
            )
        if row is None:
            raise NotFoundError(f"no trace {trace_id!r}")
        return _record(row)

    def recent(
        self,
        reader_groups: Sequence[str],
        *,
        limit: int = 50,
        before: float | None = None,
        principal: str | None = None,
        kind: str | None = None,
    ) -> list[AuditRecord]:
        """Newest first; records the reader may not see keep their metadata only."""
        query = select(audit).order_by(audit.c.at.desc()).limit(limit)
        if before is not None:
            query = query.where(audit.c.at < before)
        if principal is not None:
            query = query.where(audit.c.principal == principal)
        if kind is not None:
            query = query.where(audit.c.kind == kind)
        with database_errors(), self._engine.connect() as conn:
            records = [_record(row) for row in conn.execute(query).mappings()]
        return [r if r.visible_to(reader_groups) else r.withheld() for r in records]

    def add_feedback(self, trace_id: str, principal: str, rating: str, comment: str | None) -> int:
        with database_errors(), self._engine.begin() as conn:
            result = conn.execute(
                insert(feedback).values(
                    trace_id=trace_id,
                    principal=principal,
                    rating=rating,
                    comment=comment,
                    created_at=time.time(),
                )
            )
        return int(result.inserted_primary_key[0])  # type: ignore[index]


def _record(row: Any) -> AuditRecord:
    groups = row["groups"] or {}
    return AuditRecord(
        trace_id=row["trace_id"],
        kind=row["kind"],
        principal=row["principal"],
        principal_name=row["principal_name"],
        status=row["status"],
        groups=tuple(groups.get("caller", ())),
        gated_by=tuple(groups.get("gated_by", ())),
        at=row["at"],
        conversation_id=row["conversation_id"],
        question=row["question"],
        standalone_question=row["standalone_question"],
        intent=row["intent"],
        risk=row["risk"],
        flagged=bool(row["flagged"]),
        reason=row["reason"],
        retrieved_chunk_ids=tuple(row["retrieved_chunk_ids"] or ()),
        answer=row["answer"],
        citations=tuple(row["citations"] or ()),
        prompt_version=row["prompt_version"],
        model=row["model"],
        timings_ms=dict(row["timings_ms"] or {}),
        usage=row["usage"],
        cost_usd=row["cost_usd"],
        guardrails=dict(row["guardrails"] or {}),
        target=row["target"],
    )
