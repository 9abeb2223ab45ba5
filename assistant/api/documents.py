"""Documents as a caller may see them: the catalogue filtered by entitlements, page text
gathered from the index with the caller's groups inside the store query, and deletion.

A document outside the caller's groups is reported exactly like one that does not exist,
for every id, so ids cannot be probed.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.api.paths import shown_source
from assistant.api.schemas.documents import DocumentOut, PageChunk, PageOut
from assistant.audit import gated_by as gated_by  # re-exported: routes import it from here
from core.errors import NotFoundError
from ingest.catalog import Catalog, CatalogEntry
from ingest.store import SearchFilter, VectorStore

_PAGE_FIELDS = (
    *("chunk_id", "page_start", "page_end", "position"),
    *("char_start", "char_end", "text", "section"),
)


def visible(entry: CatalogEntry, groups: Sequence[str]) -> bool:
    """Public, or restricted to a group the caller holds."""
    allowed = entry.allowed_groups
    return not allowed or bool(set(allowed) & set(groups))


def visible_entry(catalog: Catalog, document_id: str, groups: Sequence[str]) -> CatalogEntry:
    entry = catalog.find(document_id)
    if entry is None or not visible(entry, groups):
        raise NotFoundError(f"no document {document_id!r}")
    return entry


def document_out(entry: CatalogEntry, ingest_root: Path | None) -> DocumentOut:
    meta = entry.meta
    return DocumentOut(
        id=entry.id,
        title=entry.title,
        source=shown_source(entry.source, ingest_root),
        format=entry.format,
        pages=entry.pages,
        unread_pages=list(entry.unread_pages),
        chunks=entry.chunks,
        tags=list(meta.get("tags", [])),
        date=meta.get("date"),
        author=meta.get("author"),
        restricted=bool(entry.allowed_groups),
        indexed_at=entry.indexed_at,
    )


def _on_page(payload: dict[str, Any], page: int) -> bool:
    start, end = payload.get("page_start"), payload.get("page_end")
    if start is None:
        return page == 1  # page-less formats are one page
    return int(start) <= page <= int(end if end is not None else start)


def merge_chunks(payloads: Sequence[dict[str, Any]]) -> str:
    """The text the chunks cover, in document order, each overlap written once."""
    return merge_with_spans(payloads)[0]


def merge_with_spans(
    payloads: Sequence[dict[str, Any]],
) -> tuple[str, dict[str, tuple[int, int]]]:
    """The merged text and, per chunk id, where that chunk lies in it ([start, end)).

    Chunk text is the exact slice ``[char_start, char_end)`` of the document's text, so
    overlaps are cut by offset; a gap between chunks (blank lines the splitter dropped)
    becomes a paragraph break. The spans let a reader show one section of a page-less
    document (the viewer shows the cited chunk's section).
    """
    parts: list[str] = []
    length = 0
    covered = -1
    runs: list[tuple[int, int]] = []  # (document offset, merged offset) of each unbroken run
    ordered = sorted(payloads, key=lambda p: (int(p["char_start"]), int(p["position"])))
    for p in ordered:
        start, end, text = int(p["char_start"]), int(p["char_end"]), str(p["text"])
        if end <= covered:
            continue
        if covered >= 0 and start > covered:
            parts.append("\n\n")
            length += 2
        if covered < 0 or start > covered:
            runs.append((start, length))
        piece = text[max(0, covered - start) :] if start < covered else text
        parts.append(piece)
        length += len(piece)
        covered = end
    spans: dict[str, tuple[int, int]] = {}
    for p in ordered:
        start, end = int(p["char_start"]), int(p["char_end"])
        run_start, merged_at = max(r for r in runs if r[0] <= start)
        first = merged_at + start - run_start
        spans[str(p.get("chunk_id", ""))] = (first, first + end - start)
    return "".join(parts), spans


def page(
    store: VectorStore,
    collection: str,
    entry: CatalogEntry,
    number: int,
    groups: Sequence[str],
) -> PageOut:
    """Page ``number`` (1-based) of a visible document; NotFoundError past its last page."""
    last = entry.pages or 1
    if number < 1 or number > last:
        raise NotFoundError(f"document {entry.id!r} has no page {number}")
    # The entitlement filter is in the store query as well as in the catalogue check:
    # a stale catalogue row can never widen what the index returns.
    flt = SearchFilter(document_ids=(entry.id,), groups=tuple(groups))
    hits = store.scroll(collection, flt, fields=_PAGE_FIELDS)
    payloads = [h.payload for h in hits if _on_page(h.payload, number)]
    if not payloads:
        raise NotFoundError(f"document {entry.id!r} has no indexed text on page {number}")
    payloads.sort(key=lambda p: int(p["position"]))
    text, spans = merge_with_spans(payloads)
    return PageOut(
        document_id=entry.id,
        title=entry.title,
        page=number,
        pages=entry.pages,
        text=text,
        chunks=[
            PageChunk(
                chunk_id=str(p["chunk_id"]),
                section=str(p.get("section", "")),
                page_start=p.get("page_start"),
                page_end=p.get("page_end"),
                start=spans[str(p["chunk_id"])][0],
                end=spans[str(p["chunk_id"])][1],
            )
            for p in payloads
        ],
    )


def delete(store: VectorStore, collection: str, catalog: Catalog, document_id: str) -> None:
    """Remove a document's points and row, bracketed by a write-ahead intent like ingestion."""
    operation = uuid.uuid4().hex
    catalog.begin(document_id, "delete", "", 0, {}, operation)
    if collection in store.collections():
        store.delete(collection, SearchFilter(document_ids=(document_id,)))
    catalog.commit_delete(document_id)
