"""POST /v1/search: the same fields as ``researchdesk search --json``."""

from __future__ import annotations

from pydantic import Field

from assistant.api.schemas.base import Request, Response
from assistant.api.schemas.chat import Message


class SearchRequest(Request):
    query: Message = Field(description="The question or keywords.")
    k: int = Field(default=10, ge=1, le=50, description="How many passages.")


class SearchHit(Response):
    rank: int
    chunk_id: str
    document_id: str
    title: str
    source: str
    page_start: int | None
    page_end: int | None
    section: str
    score: float
    text: str
    link: str


class SearchResponse(Response):
    trace_id: str
    query: str
    results: list[SearchHit]
    routed_documents: list[str]
    queries: list[str]
    timings_ms: dict[str, float]
    masked: list[str]
