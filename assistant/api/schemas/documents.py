"""/v1/documents."""

from __future__ import annotations

from pydantic import Field

from assistant.api.schemas.base import Response


class DocumentOut(Response):
    id: str
    title: str
    source: str
    format: str
    pages: int | None = Field(description="None for page-less formats (served as page 1).")
    unread_pages: list[int] = Field(
        default_factory=list,
        description="Pages that could not be read as text (images without a text layer, as "
        "scanned): not searchable.",
    )
    chunks: int
    tags: list[str]
    date: str | None
    author: str | None
    restricted: bool = Field(description="Visible to some groups only (you hold one of them).")
    indexed_at: float


class DocumentList(Response):
    documents: list[DocumentOut]


class PageChunk(Response):
    chunk_id: str
    section: str
    page_start: int | None
    page_end: int | None
    start: int = Field(description="Where this chunk's text begins in the page's `text`.")
    end: int = Field(description="Where it ends (exclusive): `text[start:end]` is the chunk.")


class PageOut(Response):
    document_id: str
    title: str
    page: int
    pages: int | None
    text: str = Field(description="The page's text from its indexed chunks, overlaps removed.")
    chunks: list[PageChunk]


class Deleted(Response):
    id: str
    deleted: bool
    trace_id: str
