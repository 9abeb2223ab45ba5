"""A chat turn over HTTP: the governed turn (``assistant.turn``) with the service's edges.

The governance itself (masking, guardrails, risk tier, approval, conversation, audit) is
``assistant.turn.GovernedDesk``, the same path ``researchdesk ask`` and the experiment
runner take. What is HTTP's own lives here: the guardrails run *while* the pipeline
retrieves and generates, in worker threads, and a failing guardrail cancels the answer
(the token callback raises so an LLM stream stops early); the response schema with its
citation links; the metrics; and Server-Sent Events for a streamed answer.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

from assistant.answer import Answer
from assistant.api.errors import describe
from assistant.api.schemas.chat import ChatResponse, CitationOut, Classification, citations_out
from assistant.api.state import ServiceState
from assistant.governance import Verdict
from assistant.keys import Principal
from assistant.turn import STREAMING as STREAMING  # re-exported for the service's tests
from assistant.turn import Governed, GovernedDesk, Turn, TurnOptions

log = logging.getLogger("assistant.api")


def desk_of(state: ServiceState) -> GovernedDesk:
    """The service's governed desk: its audit, approvals and conversations, kind ``chat``."""
    return GovernedDesk(
        TurnOptions.from_settings(state.settings, kind="chat"),
        state.audit,
        catalog=state.catalog,
        approvals=state.approvals,
        conversations=state.conversations,
    )


class ChatService:
    def __init__(self, state: ServiceState) -> None:
        self.state = state
        self.desk = desk_of(state)

    def open_turn(self, principal: Principal, message: str, conversation_id: str | None) -> Turn:
        """Mask the message and fetch the history; NotFoundError for another key's conversation."""
        return self.desk.open(principal, message, conversation_id)

    def _ask(self, turn: Turn, on_token: Callable[[str], None] | None) -> Answer:
        with self.state.holder.use() as pipeline:
            return self.desk.answer(turn, pipeline, on_token)

    def start(
        self, turn: Turn, on_token: Callable[[str], None] | None = None
    ) -> tuple[asyncio.Task[Verdict], asyncio.Task[Answer]]:
        """Start the guardrails and the pipeline side by side."""
        guard = asyncio.create_task(asyncio.to_thread(self.desk.check, turn))
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
        self.state.metrics.guardrail_blocks.labels(verdict.check).inc()
        return _response(self.desk.blocked(turn, verdict))

    def finish(self, turn: Turn, answer: Answer) -> ChatResponse:
        """Settle the turn (tier, approval, conversation, audit) and shape the response."""
        raw = [c.to_json() for c in answer.citations]
        shown = citations_out(raw, self.state.settings.api_ingest_root)
        governed = self.desk.settle(turn, answer, [c.model_dump() for c in shown])
        self.state.metrics.observe_answer(answer, governed.tier)
        return _response(governed, shown)

    def _settle(self, turn: Turn, detail: str) -> None:
        try:
            self.desk.fail(turn, detail)
        except Exception:  # the database is what failed: the provisional row says enough
            log.exception("could not settle the audit record %s", turn.provisional)

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
                await asyncio.to_thread(self.desk.provisional, turn)
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


def _response(governed: Governed, citations: list[CitationOut] | None = None) -> ChatResponse:
    """The HTTP view of a governed turn (``ChatResponse``) with the citations it shows."""
    turn, record, answer = governed.turn, governed.record, governed.answer
    assert turn.conversation_id is not None  # the service always keeps conversations
    if answer is None:  # blocked by a guardrail
        return ChatResponse(
            conversation_id=turn.conversation_id,
            trace_id=record.trace_id,
            outcome="blocked",
            answer=governed.text,
            citations=[],
            classification=Classification(
                intent="blocked", risk="low", confidence=None, reasons=[]
            ),
            tier="low",
            flagged=True,
            refused=True,
            escalated=False,
            reason=record.reason or "",
            approval_id=None,
            standalone_question=turn.masked.text,
            closest_documents=[],
            prompt_version=None,
            model="none",
            usage=None,
            timings_ms=record.timings_ms,
            masked=list(turn.masked.found),
        )
    data = answer.to_json()
    label = data["classification"]
    return ChatResponse(
        conversation_id=turn.conversation_id,
        trace_id=answer.trace_id,
        outcome=answer.outcome,
        answer=governed.text,
        citations=citations or [],
        classification=Classification(
            **{k: label[k] for k in ("intent", "risk", "confidence", "reasons")}
        ),
        tier=governed.tier,
        flagged=governed.flagged,
        refused=answer.refused,
        escalated=answer.escalated,
        reason=answer.reason,
        approval_id=governed.approval.id if governed.approval else None,
        standalone_question=answer.standalone_question,
        closest_documents=answer.closest_documents,
        prompt_version=answer.prompt_version,
        model=answer.model,
        usage=data["usage"],
        timings_ms=record.timings_ms,
        masked=list(turn.masked.found),
    )


def _swallow(task: asyncio.Task[Any]) -> None:
    """Retrieve a discarded task's outcome so asyncio does not report it as lost."""
    if not task.cancelled():
        task.exception()


def _event(name: str, data: dict[str, Any]) -> str:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
