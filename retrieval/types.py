"""What retrieval returns: ranked passages with where they come from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ingest.profile import DocumentProfile
from ingest.store import Hit
from retrieval.places import Place, Where, locate, places_of, where


@dataclass(frozen=True, slots=True)
class Passage:
    """A retrieved chunk, with 1-based pages as a PDF viewer shows them."""

    chunk_id: str
    document_id: str
    title: str
    source: str
    page_start: int | None
    page_end: int | None
    section: str
    text: str
    score: float
    allowed_groups: tuple[str, ...] = ()
    # Kinds of primary financial statement on the passage's pages (``ingest.statements``).
    statements: tuple[str, ...] = ()
    # The column header line of the statement page the passage starts on, when the
    # passage's own text lacks it (``ingest.statements.with_column_headers``).
    column_header: str = ""
    # The scale the statement page states its amounts in ("millions"), when it does.
    scale: str = ""
    # Page and section of each stretch of ``text`` when it crosses either (``places``).
    places: tuple[Place, ...] = ()
    # What the passage's document reports (its catalogue profile, the fiscal year of a
    # quarter's report resolved through its issuer's annual report), when search knows it:
    # "Q2 FY2024" at a company whose year ends in January is the column dated July 2023.
    profile: DocumentProfile | None = None

    @classmethod
    def from_hit(cls, hit: Hit, score: float | None = None) -> Passage:
        p = hit.payload
        return cls(
            chunk_id=hit.id,
            document_id=str(p.get("document_id", "")),
            title=str(p.get("title", "")),
            source=str(p.get("source", "")),
            page_start=p.get("page_start"),
            page_end=p.get("page_end"),
            section=str(p.get("section", "")),
            text=str(p.get("text", "")),
            score=hit.score if score is None else score,
            allowed_groups=tuple(p.get("allowed_groups", ())),
            statements=tuple(p.get("statement", ())),
            column_header=str(p.get("column_header") or ""),
            scale=str(p.get("scale") or ""),
            places=places_of(p),
        )

    def where(self, quote: str) -> Where:
        """The pages and section of the passage's text that ``quote`` was taken from; the
        whole passage's when the quote is not found in it verbatim."""
        whole = Where(self.page_start, self.page_end, self.section)
        return where(self.places, locate(self.text, quote) if self.places else None, whole)

    def to_json(self, rank: int) -> dict[str, Any]:
        return {
            "rank": rank,
            "chunk_id": self.chunk_id,
            "document_id": self.document_id,
            "title": self.title,
            "source": self.source,
            "page_start": self.page_start,
            "page_end": self.page_end,
            "section": self.section,
            "score": round(self.score, 6),
            "text": self.text,
        }


@dataclass(frozen=True, slots=True)
class SearchResult:
    query: str
    passages: list[Passage]
    routed_documents: list[str] = field(default_factory=list)
    queries: list[str] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "results": [p.to_json(rank) for rank, p in enumerate(self.passages, start=1)],
            "routed_documents": self.routed_documents,
            "queries": self.queries,
            "timings_ms": self.timings_ms,
        }
