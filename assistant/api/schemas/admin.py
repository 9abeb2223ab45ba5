"""/v1/traces and /v1/audit (admin)."""

from __future__ import annotations

from typing import Any

from assistant.api.schemas.base import Response


class Trace(Response):
    trace_id: str
    at: float
    kind: str
    principal: str
    principal_name: str
    groups: list[str]
    status: str
    conversation_id: str | None
    question: str | None
    standalone_question: str | None
    intent: str | None
    risk: str | None
    flagged: bool
    reason: str | None
    retrieved_chunk_ids: list[str]
    answer: str | None
    citations: list[dict[str, Any]]
    prompt_version: str | None
    model: str | None
    timings_ms: dict[str, float]
    usage: dict[str, Any] | None
    cost_usd: float | None
    guardrails: dict[str, Any]
    target: str | None


class AuditPage(Response):
    records: list[Trace]
    next_before: float | None
