"""What the query pipeline returns: an answer, a refusal or an escalation, with citations.

``Answer.to_json`` is the result object of ``researchdesk ask --json`` and the HTTP chat
endpoint: answer text, citations (document, 1-based pages, section, quoted span and
support scores), classification, why it was refused or escalated, the queries searched,
per-stage timings, token usage and cost when an LLM was used, prompt version, trace id.
"""

from __future__ import annotations

import dataclasses
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from retrieval.classify import Classification

if TYPE_CHECKING:
    from assistant.answerability import Answerability
    from assistant.citations import VerifiedCitation
    from core.usage import Usage
    from retrieval.types import Passage, SearchResult

Outcome = Literal["answered", "not_found", "declined", "escalated"]

# The reason of a plain answer; anything more (a compared company the library lacks, how
# the question was read) is worth showing.
ANSWERED = "answered from the cited passages"
NOT_FOUND = "I could not find this in the research library."
DECLINED = (
    "I can only help with questions about the firm's research library (markets, companies, "
    "funds, products and internal policies)."
)
ESCALATED = (
    "I cannot carry out requests to trade, move money or contact clients. I have flagged "
    "this request for review by a person; nothing has been executed."
)


@dataclass(frozen=True, slots=True)
class CitedPlace:
    """Where one more quote of a cited source stands: a source cited by two sentences
    (or a sentence and a computation's operand) may be quoted on two pages of its chunk."""

    page_start: int | None
    page_end: int | None
    section: str
    quote: str

    def to_json(self) -> dict[str, Any]:
        return {
            "page_start": self.page_start,
            "page_end": self.page_end,
            "section": self.section,
            "quote": self.quote,
        }


@dataclass(frozen=True, slots=True)
class Citation:
    """A numbered source of the answer and how well it supports the sentences citing it.

    ``page_start``/``page_end``/``section`` are where ``quote`` (the best-supported one)
    stands; ``also`` lists the other quotes of the same source the answer uses that stand
    elsewhere in it, so every page the answer rests on can be opened."""

    number: int
    chunk_id: str
    document_id: str
    title: str
    source: str
    page_start: int | None
    page_end: int | None
    section: str
    quote: str
    support: float
    lexical: float = 0.0
    semantic: float | None = None
    numbers_ok: bool = True
    retrieval_score: float = 0.0
    also: tuple[CitedPlace, ...] = ()

    @classmethod
    def of(cls, number: int, passage: Passage, checked: VerifiedCitation) -> Citation:
        """A claim's citation, with the verifier's evidence for it."""
        return cls.quoting(
            number,
            passage,
            checked.quote,
            support=checked.support,
            lexical=checked.lexical,
            semantic=checked.semantic,
            numbers_ok=checked.numbers_ok,
        )

    @classmethod
    def quoting(
        cls,
        number: int,
        passage: Passage,
        quote: str,
        *,
        support: float,
        lexical: float,
        semantic: float | None = None,
        numbers_ok: bool,
    ) -> Citation:
        """A citation of ``passage`` showing ``quote`` (a computation's operand uses this),
        at the page and section where the quote stands."""
        place = passage.where(quote)
        return cls(
            number=number,
            chunk_id=passage.chunk_id,
            document_id=passage.document_id,
            title=passage.title,
            source=passage.source,
            page_start=place.page_start,
            page_end=place.page_end,
            section=place.section,
            quote=quote,
            support=round(support, 4),
            lexical=round(lexical, 4),
            semantic=None if semantic is None else round(semantic, 4),
            numbers_ok=numbers_ok,
            retrieval_score=round(passage.score, 6),
        )

    def quoting_also(self, passage: Passage, quotes: Sequence[str]) -> Citation:
        """This citation with the places of ``quotes`` (more quotes of its source) that
        stand elsewhere than its own quote and each other."""
        seen = {(self.page_start, self.page_end, self.section)}
        seen |= {(p.page_start, p.page_end, p.section) for p in self.also}
        also = list(self.also)
        for quote in quotes:
            place = passage.where(quote)
            key = (place.page_start, place.page_end, place.section)
            if key not in seen:
                seen.add(key)
                also.append(CitedPlace(*key, quote))
        return dataclasses.replace(self, also=tuple(also))

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "chunk_id": self.chunk_id,
            "document_id": self.document_id,
            "title": self.title,
            "source": self.source,
            "page_start": self.page_start,
            "page_end": self.page_end,
            "section": self.section,
            "quote": self.quote,
            "scores": {
                "support": self.support,
                "lexical": self.lexical,
                "semantic": self.semantic,
                "numbers_ok": self.numbers_ok,
                "retrieval": self.retrieval_score,
            },
            "also": [place.to_json() for place in self.also],
        }


@dataclass(frozen=True, slots=True)
class Answer:
    question: str
    outcome: Outcome
    text: str
    citations: list[Citation]
    intent: str
    risk: str
    reason: str
    standalone_question: str
    classification: Classification | None = None
    closest_documents: list[str] = field(default_factory=list)
    queries: list[str] = field(default_factory=list)
    routed_documents: list[str] = field(default_factory=list)
    retrieved_chunk_ids: list[str] = field(default_factory=list)
    evidence: float | None = None
    answerability: Answerability | None = None
    unsupported_claims: list[str] = field(default_factory=list)
    model: str = "none"
    prompt_version: str | None = None
    usage: Usage | None = None
    timings_ms: dict[str, float] = field(default_factory=dict)
    trace_id: str = ""

    @property
    def refused(self) -> bool:
        return self.outcome in ("declined", "not_found")

    @property
    def escalated(self) -> bool:
        return self.outcome == "escalated"

    def to_json(self) -> dict[str, Any]:
        label = self.classification
        return {
            "question": self.question,
            "standalone_question": self.standalone_question,
            "outcome": self.outcome,
            "answer": self.text,
            "citations": [c.to_json() for c in self.citations],
            "classification": {
                "intent": self.intent,
                "risk": self.risk,
                "confidence": label.confidence if label else None,
                "reasons": list(label.reasons) if label else [],
                "entities": list(label.entities) if label else [],
                "years": list(label.years) if label else [],
            },
            "refused": self.refused,
            "escalated": self.escalated,
            "reason": self.reason,
            "closest_documents": self.closest_documents,
            "queries": self.queries,
            "routed_documents": self.routed_documents,
            "retrieved_chunk_ids": self.retrieved_chunk_ids,
            "evidence_score": self.evidence,
            "answerability": self.answerability.to_json() if self.answerability else None,
            "unsupported_claims": self.unsupported_claims,
            "model": self.model,
            "prompt_version": self.prompt_version,
            "usage": self.usage.to_json() if self.usage else None,
            "timings_ms": self.timings_ms,
            "trace_id": self.trace_id,
        }


class Run:
    """What one ``Pipeline.ask`` has gathered so far; ``finish`` turns it into an Answer."""

    def __init__(self, question: str, standalone: str) -> None:
        self.question = question
        self.standalone = standalone
        self.started = time.perf_counter()
        self.timings: dict[str, float] = {}
        self.label = Classification("research", "low", 0.0, ())
        self.result: SearchResult | None = None
        self.evidence: float | None = None
        self.model = "none"
        self.prompt_version: str | None = None
        self.usage: Usage | None = None
        self.unsupported: list[str] = []
        self.check: Answerability | None = None
        self.notes: list[str] = []  # how the question was read, added to every reason

    def finish(
        self, outcome: Outcome, text: str, reason: str, citations: Sequence[Citation] = ()
    ) -> Answer:
        self.timings["total"] = round((time.perf_counter() - self.started) * 1000, 2)
        reason = "; ".join([reason, *self.notes])
        passages = self.result.passages if self.result else []
        return Answer(
            question=self.question,
            outcome=outcome,
            text=text,
            citations=list(citations),
            intent=self.label.intent,
            risk=self.label.risk,
            reason=reason,
            standalone_question=self.standalone,
            classification=self.label,
            closest_documents=list(dict.fromkeys(p.title for p in passages))[:3]
            if outcome == "not_found"
            else [],
            queries=list(self.result.queries) if self.result else [],
            routed_documents=list(self.result.routed_documents) if self.result else [],
            retrieved_chunk_ids=[p.chunk_id for p in passages],
            evidence=self.evidence,
            answerability=self.check,
            unsupported_claims=list(self.unsupported),
            model=self.model,
            prompt_version=self.prompt_version,
            usage=self.usage,
            timings_ms=self.timings,
            trace_id=uuid.uuid4().hex,
        )
