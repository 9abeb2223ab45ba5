"""The governed turn: the one path from a question to the answer a person is given.

The HTTP service (JSON and streamed chat, MCP), ``researchdesk ask`` and the experiment
runner all go through ``GovernedDesk``, so what is measured is what advisors get. The order
is the governance contract:

1. ``open``: personal data is masked before anything else sees the message (pipeline,
   model, conversation, audit); a follow-up fetches its conversation's history.
2. ``check``: the input guardrails (injection, size). A failed check ends the turn with
   ``blocked``: the pipeline's answer, if any, is discarded and never shown.
3. ``answer``: the pipeline answers the masked question (``cancel`` stops an LLM stream).
4. ``settle``: the risk tier decides what happens to the answer (low as is, medium with
   the firm's disclaimer and flagged, an escalation queued for approval, never executed),
   the turn joins its conversation and one audit record says what was decided.

``run`` does all four in order; the HTTP service runs ``check`` and ``answer`` side by side
(the guardrails cost a clean question no latency) and then calls ``blocked`` or ``settle``.
Where an entry point truly differs it says so in ``TurnOptions`` and the record shows it:
an offline experiment has no approval queue, so its escalations are recorded as not queued.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal, Protocol

from assistant.answer import Answer
from assistant.audit import AuditRecord, gated_by
from assistant.governance import (
    PASSED,
    Masked,
    Tier,
    Verdict,
    check_input,
    mask_personal_data,
    tier,
    with_disclaimer,
)
from assistant.keys import Principal
from assistant.pipeline import User
from core.errors import ConfigError
from retrieval.types import SearchResult

if TYPE_CHECKING:
    from assistant.approvals import Approval, ApprovalQueue
    from assistant.conversations import Conversations
    from core.settings import Settings
    from ingest.catalog import Catalog

BLOCKED_TEXT = "I cannot answer this message: {reason}."
STREAMING = "streaming"  # status of the audit record written before a streamed answer
NOT_QUEUED = "not queued: this path has no approval queue (an offline experiment)"

GovernedOutcome = Literal["answered", "not_found", "declined", "escalated", "blocked"]
TokenCallback = Callable[[str], None]


class Asker(Protocol):
    """What a turn needs of ``assistant.pipeline.Pipeline``."""

    def ask(
        self,
        question: str,
        *,
        user: User | None = None,
        history: Sequence[str] = (),
        on_token: TokenCallback | None = None,
    ) -> Answer: ...


class AnsweringPipeline(Asker, Protocol):
    """What the service and the experiment runner need of ``assistant.pipeline.Pipeline``."""

    def search(
        self, query: str, *, k: int | None = None, user: User | None = None
    ) -> SearchResult: ...

    def ready(self) -> bool: ...

    def close(self) -> None: ...


class AuditSink(Protocol):
    """Where a turn's record goes: ``assistant.audit.AuditLog``, or memory in experiments."""

    def record(self, rec: AuditRecord, *, replaces: str | None = None) -> None: ...

    def settle(self, trace_id: str, status: str, reason: str) -> None: ...


class Cancelled(Exception):
    """Raised inside the token callback to stop generation once a guardrail failed."""


@dataclass(frozen=True, slots=True)
class TurnOptions:
    """What differs between entry points; everything else is the same for all of them.

    ``kind`` labels the audit record (``chat`` for HTTP and MCP, ``cli.ask``,
    ``experiment``). ``queue_approvals`` False is for a path without a reviewer (an
    offline experiment): an escalation is then recorded as not queued, never dropped.
    """

    disclaimer: str
    kind: str = "chat"
    history_turns: int = 0
    queue_approvals: bool = True

    @classmethod
    def from_settings(cls, settings: Settings, **changes: Any) -> TurnOptions:
        return cls(
            disclaimer=settings.api_disclaimer,
            history_turns=settings.api_history_turns,
            **changes,
        )


@dataclass
class Turn:
    """A turn being processed: who asks, the masked message, its conversation."""

    principal: Principal
    masked: Masked
    conversation_id: str | None
    history: list[str]
    started: float = field(default_factory=time.perf_counter)
    cancel: threading.Event = field(default_factory=threading.Event)
    provisional: str | None = None  # trace id of the record written before streaming

    @property
    def user(self) -> User:
        """The pipeline's view of the caller; groups always a tuple, never None (no bypass)."""
        p = self.principal
        return User(id=p.id, groups=tuple(p.groups), roles=tuple(p.roles))


@dataclass(frozen=True, slots=True)
class Governed:
    """What the caller is shown (``text``) and what was decided and recorded."""

    turn: Turn
    outcome: GovernedOutcome
    text: str
    tier: Tier
    flagged: bool
    verdict: Verdict
    record: AuditRecord
    answer: Answer | None = None  # None when a guardrail blocked the message
    approval: Approval | None = None

    @property
    def trace_id(self) -> str:
        return self.record.trace_id

    def to_json(self) -> dict[str, Any]:
        """The governance decisions, for ``ask --json`` and experiment records."""
        return {
            "outcome": self.outcome,
            "tier": self.tier,
            "flagged": self.flagged,
            "masked": list(self.turn.masked.found),
            "guardrail": self.verdict.check or None,
            "approval_id": self.approval.id if self.approval else None,
            "approval": self.record.guardrails.get("approval"),
            "trace_id": self.trace_id,
        }


class GovernedDesk:
    """The stores a turn writes to, and the steps of a turn (see the module docstring).

    ``approvals`` and ``conversations`` may be None only where the options say the path
    has none: no approval queue needs ``queue_approvals=False``, and a turn without a
    conversation store cannot continue a conversation. ``catalog`` decides who may read
    the audit record (``gated_by``); without one the caller's groups all gate it.
    """

    def __init__(
        self,
        options: TurnOptions,
        audit: AuditSink,
        *,
        catalog: Catalog | None = None,
        approvals: ApprovalQueue | None = None,
        conversations: Conversations | None = None,
    ) -> None:
        if options.queue_approvals and approvals is None:
            raise ConfigError("a desk that queues approvals needs an approval queue")
        self.options = options
        self.audit = audit
        self.catalog = catalog
        self.approvals = approvals
        self.conversations = conversations

    # -- the steps -------------------------------------------------------------------------

    def open(self, principal: Principal, message: str, conversation_id: str | None = None) -> Turn:
        """Mask the message and fetch the history; NotFoundError for another key's conversation."""
        masked = mask_personal_data(message)
        store = self.conversations
        if store is None:
            if conversation_id is not None:
                raise ConfigError("this path keeps no conversations to continue")
            return Turn(principal, masked, None, [])
        if conversation_id is None:
            return Turn(principal, masked, store.start(principal.id), [])
        history = store.history(conversation_id, principal.id, self.options.history_turns)
        return Turn(principal, masked, conversation_id, history)

    def check(self, turn: Turn) -> Verdict:
        """The input guardrails on the masked message."""
        return check_input(turn.masked.text)

    def answer(self, turn: Turn, pipeline: Asker, on_token: TokenCallback | None = None) -> Answer:
        """The pipeline's answer to the masked question; ``cancel`` stops it at its next token."""

        def guarded(token: str) -> None:
            if turn.cancel.is_set():
                raise Cancelled
            if on_token is not None:
                on_token(token)

        return pipeline.ask(
            turn.masked.text, user=turn.user, history=turn.history, on_token=guarded
        )

    def run(
        self,
        principal: Principal,
        message: str,
        pipeline: Asker,
        conversation_id: str | None = None,
    ) -> Governed:
        """One whole turn, in order: open, check, answer (unless blocked), settle."""
        turn = self.open(principal, message, conversation_id)
        return self.run_turn(turn, pipeline)

    def run_turn(self, turn: Turn, pipeline: Asker) -> Governed:
        """Check, then answer and settle, or record the block (for an already opened turn)."""
        verdict = self.check(turn)
        if not verdict.passed:
            return self.blocked(turn, verdict)
        return self.settle(turn, self.answer(turn, pipeline))

    # -- what is decided and recorded ---------------------------------------------------------

    def blocked(self, turn: Turn, verdict: Verdict) -> Governed:
        """A failed guardrail: the user gets its reason, the audit the whole story."""
        text = BLOCKED_TEXT.format(reason=verdict.reason)
        timings = {"total": _ms(turn.started)}
        record = self._record(
            turn,
            trace_id=uuid.uuid4().hex,
            status="blocked",
            flagged=True,
            reason=f"guardrail {verdict.check} failed",
            answer=text,
            timings_ms=timings,
            guardrails={"masked": list(turn.masked.found), "failed": verdict.check},
        )
        self.audit.record(record)
        return Governed(turn, "blocked", text, "low", True, verdict, record)

    def settle(
        self,
        turn: Turn,
        answer: Answer,
        shown_citations: Sequence[dict[str, Any]] | None = None,
    ) -> Governed:
        """Apply the risk tier, remember the turn, write the audit record.

        ``shown_citations`` are the citations as the caller sees them (the HTTP service
        shortens source paths); the audit records those. By default, the answer's own.
        """
        level = tier(answer.outcome, answer.risk)
        text = answer.text
        if level == "medium" and answer.outcome == "answered":
            text = with_disclaimer(text, self.options.disclaimer)
        guardrails: dict[str, Any] = {"masked": list(turn.masked.found), "failed": None}
        approval: Approval | None = None
        if level == "high" and answer.outcome == "escalated":
            if self.approvals is not None and self.options.queue_approvals:
                approval = self.approvals.submit(
                    answer.trace_id,
                    turn.principal.id,
                    turn.principal.name,
                    turn.masked.text,
                    answer.reason,
                )
                text = f"{text} Reference: approval {approval.id}."
            else:
                guardrails["approval"] = NOT_QUEUED
        timings = dict(answer.timings_ms)
        timings["service_total"] = _ms(turn.started)
        citations = (
            [c.to_json() for c in answer.citations]
            if shown_citations is None
            else list(shown_citations)
        )
        if self.conversations is not None and turn.conversation_id is not None:
            self.conversations.add(turn.conversation_id, turn.masked.text, answer.trace_id)
        usage = answer.usage.to_json() if answer.usage else None
        record = self._record(
            turn,
            trace_id=answer.trace_id,
            status=answer.outcome,
            standalone_question=answer.standalone_question,
            intent=answer.intent,
            risk=answer.risk,
            flagged=level != "low",
            reason=answer.reason,
            retrieved_chunk_ids=tuple(answer.retrieved_chunk_ids),
            answer=text,
            citations=tuple(citations),
            prompt_version=answer.prompt_version,
            model=answer.model,
            timings_ms=timings,
            usage=usage,
            cost_usd=answer.usage.cost_usd if answer.usage else None,
            guardrails=guardrails,
            target=approval.id if approval else None,
        )
        self.audit.record(record, replaces=turn.provisional)
        return Governed(
            turn, answer.outcome, text, level, level != "low", PASSED, record, answer, approval
        )

    def provisional(self, turn: Turn) -> str:
        """Audit a turn before its first streamed token: who asked what, answer on its way.

        ``settle`` replaces this record with the full one; if that fails, ``fail`` settles
        it as ``error``, so nothing reaches a client without an audit row.
        """
        trace_id = uuid.uuid4().hex
        self.audit.record(
            self._record(
                turn,
                trace_id=trace_id,
                status=STREAMING,
                reason="answer streamed; the final record replaces this one",
                guardrails={"masked": list(turn.masked.found), "failed": None},
            )
        )
        turn.provisional = trace_id
        return trace_id

    def fail(self, turn: Turn, detail: str) -> None:
        """Settle a provisional record as ``error`` when the final one could not be written."""
        if turn.provisional is not None:
            self.audit.settle(turn.provisional, "error", f"stream failed: {detail}")

    def _record(self, turn: Turn, *, trace_id: str, status: str, **content: Any) -> AuditRecord:
        """The one shape of a turn's audit record: who asked, under which groups, what."""
        groups = turn.principal.groups
        return AuditRecord(
            trace_id=trace_id,
            kind=self.options.kind,
            principal=turn.principal.id,
            principal_name=turn.principal.name,
            status=status,
            groups=groups,
            gated_by=gated_by(self.catalog, groups) if self.catalog is not None else groups,
            conversation_id=turn.conversation_id,
            question=turn.masked.text,
            **content,
        )


class MemoryAudit:
    """An audit sink that keeps records in memory, for paths without a database."""

    def __init__(self) -> None:
        self.records: dict[str, AuditRecord] = {}

    def record(self, rec: AuditRecord, *, replaces: str | None = None) -> None:
        if replaces is not None:
            self.records.pop(replaces, None)
        self.records[rec.trace_id] = rec

    def settle(self, trace_id: str, status: str, reason: str) -> None:
        self.records[trace_id] = replace(self.records[trace_id], status=status, reason=reason)


def _ms(since: float) -> float:
    return round((time.perf_counter() - since) * 1000, 2)
