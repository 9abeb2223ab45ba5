"""POST /v1/chat."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from assistant.api.paths import shown_source
from assistant.api.schemas.base import Id, Request, Response
from assistant.governance import MAX_QUESTION_CHARS

Message = Annotated[
    str, StringConstraints(min_length=1, max_length=MAX_QUESTION_CHARS, pattern=r"\S")
]


class ChatRequest(Request):
    message: Message = Field(description="The question, in plain language.")
    conversation_id: Id | None = Field(
        default=None, description="Continue a conversation you started; omit to start one."
    )
    stream: bool = Field(
        default=False, description="Stream Server-Sent Events: tokens, then the final answer."
    )


class CitationScores(Response):
    support: float
    lexical: float
    semantic: float | None
    numbers_ok: bool
    retrieval: float


class CitedPlaceOut(Response):
    page_start: int | None
    page_end: int | None
    section: str
    quote: str
    link: str = Field(description="Opens the page of this quote.")


class CitationOut(Response):
    number: int
    chunk_id: str
    document_id: str
    title: str
    source: str
    page_start: int | None
    page_end: int | None
    section: str
    quote: str
    scores: CitationScores
    link: str = Field(description="Opens the cited page: GET /v1/documents/{id}/pages/{n}.")
    also: list[CitedPlaceOut] = Field(
        default_factory=list,
        description="Other quotes of this source the answer uses, where they stand "
        "elsewhere in it (another page or section).",
    )


class Classification(Response):
    intent: str
    risk: str
    confidence: float | None
    reasons: list[str]


class Usage(Response):
    model: str
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int
    cost_usd: float


Outcome = Literal["answered", "not_found", "declined", "escalated", "blocked"]


class ChatResponse(Response):
    conversation_id: str
    trace_id: str
    outcome: Outcome
    answer: str
    citations: list[CitationOut]
    classification: Classification
    tier: Literal["low", "medium", "high"]
    flagged: bool = Field(description="Medium or high risk: disclaimer added or escalated.")
    refused: bool
    escalated: bool
    reason: str
    approval_id: str | None = Field(description="The queued approval of an escalated request.")
    standalone_question: str
    closest_documents: list[str]
    prompt_version: str | None
    model: str
    usage: Usage | None
    timings_ms: dict[str, float]
    masked: list[str] = Field(description="Kinds of personal data masked in the message.")


class TokenEvent(Response):
    """``event: token``: a piece of the draft answer as it is written."""

    text: str


class ErrorEvent(Response):
    """``event: error``: the stream ended without an answer."""

    status: int
    detail: str
    retry_after: int | None = None
    trace_id: str | None = None


def citation_link(document_id: str, page: int | None) -> str:
    """Page-less documents (HTML, Word, text...) are served as one page, page 1."""
    return f"/v1/documents/{document_id}/pages/{page or 1}"


def citations_out(raw: list[dict[str, Any]], ingest_root: Path | None) -> list[CitationOut]:
    """Citations as callers see them: a link to the page, the source path shortened."""
    return [
        CitationOut(
            **{k: v for k, v in c.items() if k not in ("also", "source")},
            source=shown_source(c["source"], ingest_root),
            link=citation_link(c["document_id"], c["page_start"]),
            also=[
                CitedPlaceOut(**place, link=citation_link(c["document_id"], place["page_start"]))
                for place in c.get("also", ())
            ],
        )
        for c in raw
    ]
