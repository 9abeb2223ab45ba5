"""One chat turn: mask, check in parallel with answering, apply the risk tier, audit.

The order is the governance contract. Personal data is masked before anything else sees
the message (pipeline, model, conversation, audit). The input guardrails then run *while*
the pipeline retrieves and generates, in a worker thread; a failing guardrail cancels the
answer (the token callback raises so an LLM stream stops early) and the user gets the
guardrail's message instead. The answer itself is handled by its risk tier: low as is,
medium with the firm's disclaimer and flagged, high queued for approval, never executed.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from assistant.answer import Answer
from assistant.api.deps import user_of
from assistant.api.documents import gated_by
from assistant.api.errors import describe
from assistant.api.schemas.chat import ChatResponse, Classification, citations_out
from assistant.api.state import ServiceState
from assistant.approvals import Approval
from assistant.audit import AuditRecord
from assistant.governance import (
    Masked,
    Verdict,
    check_input,
    mask_personal_data,
    tier,
    with_disclaimer,
)
from assistant.keys import Principal

log = logging.getLogger("assistant.api")

BLOCKED_TEXT = "I cannot answer this message: {reason}."
STREAMING = "streaming"  # status of the audit record written before a streamed answer


class _Cancelled(Exception):
    """Raised inside the token callback to stop generation once a guardrail failed."""


@dataclass
class Turn:
    """A chat turn being processed."""

    principal: Principal
    masked: Masked
    conversation_id: str
    history: list[str]
    started: float = field(default_factory=time.perf_counter)
    cancel: threading.Event = field(default_factory=threading.Event)
    provisional: str | None = None  # trace id of the record written before streaming


def _blocked_response(turn: Turn, verdict: Verdict, trace_id: str) -> ChatResponse:
    return ChatResponse(
        conversation_id=turn.conversation_id,
        trace_id=trace_id,
        outcome="blocked",
        answer=BLOCKED_TEXT.format(reason=verdict.reason),
        citations=[],
        classification=Classification(intent="blocked", risk="low", confidence=None, reasons=[]),
        tier="low",
        flagged=True,
        refused=True,
        escalated=False,
        reason=f"guardrail {verdict.check} failed",
        approval_id=None,
        standalone_question=turn.masked.text,
        closest_documents=[],
        prompt_version=None,
        model="none",
        usage=None,
        timings_ms={"total": round((time.perf_counter() - turn.started) * 1000, 2)},
        masked=list(turn.masked.found),
    )


class ChatService:
    def __init__(self, state: ServiceState) -> None:
        self.state = state

    def open_turn(self, principal: Principal, message: str, conversation_id: str | None) -> Turn:
        """Mask the message and fetch the history; NotFoundError for another key's conversation."""
        masked = mask_personal_data(message)
        conversations = self.state.conversations
        limit = self.state.settings.api_history_turns
        if conversation_id is None:
            return Turn(principal, masked, conversations.start(principal.id), [])
        history = conversations.history(conversation_id, principal.id, limit)
        return Turn(principal, masked, conversation_id, history)

    def _ask(self, turn: Turn, on_token: Callable[[str], None] | None) -> Answer:
        def guarded(token: str) -> None:
            if turn.cancel.is_set():
                raise _Cancelled
            if on_token is not None:
                on_token(token)

        with self.state.holder.use() as pipeline:
            return pipeline.ask(
                turn.masked.text,
                user=user_of(turn.principal),
                history=turn.history,
                on_token=guarded,
            )

    def start(
        self, turn: Turn, on_token: Callable[[str], None] | None = None
    ) -> tuple[asyncio.Task[Verdict], asyncio.Task[Answer]]:
        """Start the guardrails and the pipeline side by side."""
        guard = asyncio.create_task(asyncio.to_thread(check_input, turn.masked.text))
        work = asyncio.create_task(asyncio.to_thread(self._ask, turn, on_token))
        return guard, work

    def cancel(self, turn: Turn, work: asyncio.Task[Answer]) -> None:
        """Stop the answer: generation aborts at its next token; its result is discarded."""
        turn.cancel.set()
        work.add_done_callback(_swallow)

    async def respond(self, turn: Turn) -> ChatResponse:
        guard, work = self.start(turn)
        verdict = await guard
        if not verdict.passed:
            self.cancel(turn, work)
            return await asyncio.to_thread(self.record_blocked, turn, verdict)
        answer = await work
        return await asyncio.to_thread(self.finish, turn, answer)

    def record_blocked(self, turn: Turn, verdict: Verdict) -> ChatResponse:
        trace_id = uuid.uuid4().hex
        self.state.metrics.guardrail_blocks.labels(verdict.check).inc()
        response = _blocked_response(turn, verdict, trace_id)
        self.state.audit.record(
            AuditRecord(
                trace_id=trace_id,
                kind="chat",
                principal=turn.principal.id,
                principal_name=turn.principal.name,
                status="blocked",
                groups=turn.principal.groups,
                gated_by=self._gated_by(turn.principal),
                conversation_id=turn.conversation_id,
                question=turn.masked.text,
                flagged=True,
                reason=response.reason,
                answer=response.answer,
                timings_ms=response.timings_ms,
                guardrails={"masked": list(turn.masked.found), "failed": verdict.check},
            )
        )
        return response

    def finish(self, turn: Turn, answer: Answer) -> ChatResponse:
        """Apply the risk tier, remember the turn, write the audit record."""
        settings, state = self.state.settings, self.state
        level = tier(answer.outcome, answer.risk)
        text = answer.text
        if level == "medium" and answer.outcome == "answered":
            text = with_disclaimer(text, settings.api_disclaimer)
        approval: Approval | None = None
        if level == "high" and answer.outcome == "escalated":
            approval = state.approvals.submit(
                answer.trace_id,
                turn.principal.id,
                turn.principal.name,
                turn.masked.text,
                answer.reason,
            )
            text = f"{text} Reference: approval {approval.id}."
        data = answer.to_json()
        timings = dict(answer.timings_ms)
        timings["service_total"] = round((time.perf_counter() - turn.started) * 1000, 2)
        response = ChatResponse(
            conversation_id=turn.conversation_id,
            trace_id=answer.trace_id,
            outcome=answer.outcome,
            answer=text,
            citations=citations_out(data["citations"], settings.api_ingest_root),
            classification=Classification(
                **{
                    k: data["classification"][k]
                    for k in ("intent", "risk", "confidence", "reasons")
                }
            ),
            tier=level,
            flagged=level != "low",
            refused=answer.refused,
            escalated=answer.escalated,
            reason=answer.reason,
            approval_id=approval.id if approval else None,
            standalone_question=answer.standalone_question,
            closest_documents=answer.closest_documents,
            prompt_version=answer.prompt_version,
            model=answer.model,
            usage=data["usage"],
            timings_ms=timings,
            masked=list(turn.masked.found),
        )
        state.conversations.add(turn.conversation_id, turn.masked.text, answer.trace_id)
        state.metrics.observe_answer(answer, level)
        state.audit.record(
            AuditRecord(
                trace_id=answer.trace_id,
                kind="chat",
                principal=turn.principal.id,
                principal_name=turn.principal.name,
                status=answer.outcome,
                groups=turn.principal.groups,
                gated_by=self._gated_by(turn.principal),
                conversation_id=turn.conversation_id,
                question=turn.masked.text,
                standalone_question=answer.standalone_question,
                intent=answer.intent,
                risk=answer.risk,
                flagged=response.flagged,
                reason=answer.reason,
                retrieved_chunk_ids=tuple(answer.retrieved_chunk_ids),
                answer=text,
                citations=tuple(c.model_dump() for c in response.citations),
                prompt_version=answer.prompt_version,
                model=answer.model,
                timings_ms=timings,
                usage=data["usage"],
                cost_usd=answer.usage.cost_usd if answer.usage else None,
                guardrails={"masked": list(turn.masked.found), "failed": None},
                target=approval.id if approval else None,
            ),
            replaces=turn.provisional,
        )
        return response

    def record_streaming(self, turn: Turn) -> str:
        """Audit a turn before its first token leaves: who asked what, answer on its way.

        ``finish`` replaces this record with the full one; if that fails the record stays,
        settled as ``error``, so nothing reaches a client without an audit row.
        """
        trace_id = uuid.uuid4().hex
        self.state.audit.record(
            AuditRecord(
                trace_id=trace_id,
                kind="chat",
                principal=turn.principal.id,
                principal_name=turn.principal.name,
                status=STREAMING,
                groups=turn.principal.groups,
                gated_by=self._gated_by(turn.principal),
                conversation_id=turn.conversation_id,
                question=turn.masked.text,
                reason="answer streamed; the final record replaces this one",
                guardrails={"masked": list(turn.masked.found), "failed": None},
            )
        )
        return trace_id

    def _settle(self, turn: Turn, detail: str) -> None:
        if turn.provisional is None:
            return
        try:
            self.state.audit.settle(turn.provisional, "error", f"stream failed: {detail}")
        except Exception:  # the database is what failed: the provisional row says enough
            log.exception("could not settle the audit record %s", turn.provisional)

    def _gated_by(self, principal: Principal) -> tuple[str, ...]:
        return gated_by(self.state.catalog, principal.groups)

    async def stream(self, turn: Turn) -> AsyncIterator[str]:
        """Server-Sent Events: ``token`` pieces of the draft, then ``answer`` (or ``error``).

        Tokens are held back until the guardrails pass, so a cancelled answer never shows a
        single word, and until a provisional audit record is written, so nothing reaches
        the client unaudited (a database that cannot write turns into an ``error`` event).
        The final ``answer`` event carries the verified text and citations, which replace
        the streamed draft (unsupported sentences are removed by then).
        """
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[str | None] = asyncio.Queue()

        def on_token(token: str) -> None:
            loop.call_soon_threadsafe(queue.put_nowait, token)

        guard, work = self.start(turn, on_token)
        work.add_done_callback(lambda _task: queue.put_nowait(None))
        try:
            yield _event("meta", {"conversation_id": turn.conversation_id})
            verdict = await guard
            if not verdict.passed:
                self.cancel(turn, work)
                blocked = await asyncio.to_thread(self.record_blocked, turn, verdict)
                yield _event("answer", blocked.model_dump())
                return
            try:
                turn.provisional = await asyncio.to_thread(self.record_streaming, turn)
            except Exception as exc:  # not audited: not a single token may leave
                self.cancel(turn, work)
                yield self._error_event(exc)
                return
            while (token := await queue.get()) is not None:
                yield _event("token", {"text": token})
            try:
                answer = await work
                response = await asyncio.to_thread(self.finish, turn, answer)
            except Exception as exc:  # headers are sent: the error must travel as an event
                event = self._error_event(exc)
                await asyncio.to_thread(self._settle, turn, type(exc).__name__)
                yield event
                return
            yield _event("answer", response.model_dump())
        finally:
            if not work.done():
                self.cancel(turn, work)

    def _error_event(self, exc: Exception) -> str:
        status, detail, retry = describe(exc, self.state.settings.api_retry_after_s)
        trace_id = uuid.uuid4().hex
        if status == 500:
            log.error("chat stream failed [%s]", trace_id, exc_info=exc)
        else:
            log.error("chat stream: %d [%s]: %s", status, trace_id, exc)
        error = {"status": status, "detail": detail, "retry_after": retry}
        return _event("error", {**error, "trace_id": trace_id})


def _swallow(task: asyncio.Task[Any]) -> None:
    """Retrieve a discarded task's outcome so asyncio does not report it as lost."""
    if not task.cancelled():
        task.exception()


def _event(name: str, data: dict[str, Any]) -> str:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
