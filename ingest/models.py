"""Typed records that flow through ingestion: a loaded document, its elements, its chunks.

Ids are stable: a document id is derived from its resolved source path, a chunk id from
document id + position + content hash, so re-ingesting an unchanged file yields the same
ids (and therefore no duplicates in the index).
"""

from __future__ import annotations

import hashlib
import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

# A fixed namespace so ids are identical on every machine and every run.
_NAMESPACE = uuid.UUID("5b0c3f1e-6a43-4c7e-9d0a-2f4b8e1c7a55")

ElementKind = Literal["title", "text", "table", "list"]


def document_id_for(path: Path) -> str:
    """Stable id of the document at ``path`` (a UUID string, as Qdrant expects).

    The path is made absolute but a symbolic link is not followed: two links to one file
    are two documents, each with its own sidecar (``discover`` passes root-resolved paths).
    """
    return str(uuid.uuid5(_NAMESPACE, "doc:" + Path(os.path.abspath(path)).as_posix()))


def chunk_id_for(document_id: str, position: int, text: str) -> str:
    """Stable id of a chunk: same document, position and text give the same id."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return str(uuid.uuid5(_NAMESPACE, f"chunk:{document_id}:{position}:{digest}"))


def point_id_for(chunk_id: str, version: str) -> str:
    """The vector-store id of a chunk in one indexed version of its document.

    Including the version means an update never overwrites the old version's points in
    place, so a job killed half-way through an update can always be rolled back exactly.
    """
    return str(uuid.uuid5(_NAMESPACE, f"point:{chunk_id}:{version}"))


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file, read in 1 MiB blocks so large files are never held whole."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class TableRow:
    """One table row as self-contained text: its label, then each cell with its column header.

    ``bbox`` is (x0, top, x1, bottom) in PDF points from the page's top-left corner, so a
    viewer can highlight the row; None where the format has no geometry (HTML, DOCX).
    """

    text: str
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None


@dataclass(frozen=True, slots=True)
class Table:
    """A table kept as rows: ``caption`` (its heading) and ``header`` (column names line)."""

    caption: str
    header: str
    rows: tuple[TableRow, ...]


@dataclass(frozen=True, slots=True)
class Element:
    """A piece of a document's text in reading order.

    ``page`` is 1-based as a PDF viewer shows it, or None where the format has no pages.
    ``section`` is the heading path above the element (outermost first). ``table`` holds
    the rows of a table element; the chunker then cuts it by rows, never inside one.
    """

    text: str
    kind: ElementKind = "text"
    page: int | None = None
    section: tuple[str, ...] = ()
    table: Table | None = None


@dataclass(frozen=True, slots=True)
class DocumentMeta:
    """What the catalogue and every chunk's payload know about a source file."""

    id: str
    source: str
    title: str
    format: str
    sha256: str
    size: int
    modified: float
    pages: int | None
    allowed_groups: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    date: str | None = None
    author: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def payload(self) -> dict[str, Any]:
        """The document fields copied onto every chunk stored in the vector index."""
        data: dict[str, Any] = {
            "document_id": self.id,
            "source": self.source,
            "title": self.title,
            "format": self.format,
            "allowed_groups": list(self.allowed_groups),
            "tags": list(self.tags),
        }
        if self.date is not None:
            data["date"] = self.date
        if self.author is not None:
            data["author"] = self.author
        if self.extra:
            data["meta"] = self.extra
        return data


@dataclass(frozen=True, slots=True)
class LoadedDocument:
    """A document after its loader ran: metadata plus elements in reading order."""

    meta: DocumentMeta
    elements: tuple[Element, ...]
    # Pages (1-based) with content the loader could not read as text: images without a text
    # layer (scans), or pages the parser failed on. Blank pages are not among them.
    unread_pages: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Place:
    """Where a stretch of a chunk's text lies in its document: from character ``at`` of the
    chunk's text up to the next place, on ``page`` (1-based, None without pages) under
    ``section`` (the heading path)."""

    at: int
    page: int | None
    section: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Chunk:
    """A retrievable passage.

    ``text`` is what is shown and cited; ``embed_text`` is what is embedded (it may carry a
    contextual header with the document title and section). ``char_start``/``char_end``
    are offsets into the document's full text as the chunker joined it.
    """

    id: str
    document_id: str
    position: int
    text: str
    embed_text: str
    page_start: int | None
    page_end: int | None
    section: tuple[str, ...]
    char_start: int
    char_end: int
    # For table chunks: the caption and each row's page and bounding box, in chunk order.
    table_rows: tuple[TableRow, ...] = ()
    table_caption: str | None = None
    # On a statement page below its column header: that header line ("2020 2019 2018").
    column_header: str | None = None
    # On a statement page: the scale its amounts are stated in ("millions").
    scale: str | None = None
    # Where each stretch of ``text`` lies, when the chunk crosses a page or a section: a
    # citation then names the page and section of the sentence it quotes, not the chunk's.
    places: tuple[Place, ...] = ()

    def payload(self, document: DocumentMeta, version: str) -> dict[str, Any]:
        """Everything stored next to the chunk's vectors; ``version`` tags the index build."""
        data = document.payload()
        data.update(
            {
                "chunk_id": point_id_for(self.id, version),
                "position": self.position,
                "text": self.text,
                "page_start": self.page_start,
                "page_end": self.page_end,
                "section": " > ".join(self.section),
                "char_start": self.char_start,
                "char_end": self.char_end,
                "version": version,
            }
        )
        if self.column_header:
            data["column_header"] = self.column_header
        if self.scale:
            data["scale"] = self.scale
        if self.places:
            data["places"] = [
                {"at": p.at, "page": p.page, "section": " > ".join(p.section)} for p in self.places
            ]
        if self.table_rows:
            data["table"] = {
                "caption": self.table_caption or "",
                "rows": [
                    {"page": r.page, "bbox": list(r.bbox) if r.bbox else None}
                    for r in self.table_rows
                ],
            }
        return data
