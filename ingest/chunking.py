"""Split a loaded document into retrievable chunks; strategies are chosen by name.

Every strategy works on the document's elements joined into one text with a map from
character offsets back to pages and sections, so each chunk knows its page range, section
path and exact offsets whatever splitter produced it. Lengths are measured in the
embedder's own tokens, so a chunk never silently exceeds what the model reads.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from ingest.models import Chunk, Element, LoadedDocument, Place, TableRow, chunk_id_for

ELEMENT_SEPARATOR = "\n\n"
# What each chunk records besides its text; a change re-indexes every document on the next
# run (``ingest.pipeline.document_version``), its vectors coming from the embedding cache.
# 1: the page and section of each stretch of a chunk's text (``Chunk.places``).
CHUNK_VERSION = 1


@dataclass(frozen=True, slots=True)
class ChunkingConfig:
    strategy: str = "recursive"
    size: int = 256  # tokens of the embedder's tokenizer
    overlap: int = 32
    contextual_header: bool = True


@dataclass(frozen=True, slots=True)
class _Span:
    start: int
    end: int
    page: int | None
    section: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Piece:
    """A chunk before ids and headers: a character range of the joined text."""

    start: int
    end: int


class _Joined:
    """Elements joined with blank lines, plus the offset -> element lookup."""

    def __init__(self, elements: Sequence[Element]) -> None:
        parts: list[str] = []
        spans: list[_Span] = []
        pos = 0
        for element in elements:
            text = element.text.strip()
            if not text:
                continue
            if parts:
                parts.append(ELEMENT_SEPARATOR)
                pos += len(ELEMENT_SEPARATOR)
            spans.append(_Span(pos, pos + len(text), element.page, element.section))
            parts.append(text)
            pos += len(text)
        self.text = "".join(parts)
        self.spans = spans
        self._starts = [s.start for s in spans]

    def span_at(self, offset: int) -> _Span:
        index = bisect.bisect_right(self._starts, offset) - 1
        return self.spans[max(index, 0)]

    def spans_in(self, start: int, end: int) -> list[_Span]:
        first = bisect.bisect_right(self._starts, start) - 1
        last = bisect.bisect_left(self._starts, end)
        return [s for s in self.spans[max(first, 0) : last] if s.end > start and s.start < end]

    def groups(self, key: Callable[[_Span], object]) -> Iterator[tuple[int, int]]:
        """Character ranges of consecutive elements that share ``key``."""
        if not self.spans:
            return
        start = self.spans[0].start
        current = key(self.spans[0])
        end = self.spans[0].end
        for span in self.spans[1:]:
            if key(span) != current:
                yield start, end
                start, current = span.start, key(span)
            end = span.end
        yield start, end


TokenCounter = Callable[[str], int]


def _recursive(text: str, offset: int, config: ChunkingConfig, tokenizer: Any) -> list[_Piece]:
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter.from_huggingface_tokenizer(
        tokenizer,
        chunk_size=config.size,
        chunk_overlap=config.overlap,
        add_start_index=True,
        strip_whitespace=True,
    )
    pieces = []
    for doc in splitter.create_documents([text]):
        start = int(doc.metadata["start_index"])
        if start < 0:  # the splitter could not locate its own chunk; fall back to a search
            start = text.find(doc.page_content)
        pieces.append(_Piece(offset + start, offset + start + len(doc.page_content)))
    return pieces


def _token_windows(text: str, offset: int, config: ChunkingConfig, tokenizer: Any) -> list[_Piece]:
    """Fixed windows of ``size`` tokens with ``overlap``, cut at exact character offsets.

    langchain's token splitter decodes token ids back to text, which for an uncased
    tokenizer lowercases and re-spaces it; citations need the original characters.
    """
    encoded = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
    offsets: list[tuple[int, int]] = encoded["offset_mapping"]
    pieces: list[_Piece] = []
    step = config.size - config.overlap
    for first in range(0, len(offsets), step):
        window = offsets[first : first + config.size]
        pieces.append(_Piece(offset + window[0][0], offset + window[-1][1]))
        if first + config.size >= len(offsets):
            break
    return pieces


def _split_ranges(
    joined: _Joined, ranges: Sequence[tuple[int, int]], config: ChunkingConfig, tokenizer: Any
) -> list[_Piece]:
    """Keep each range whole when it fits, else split it recursively inside the range."""
    pieces: list[_Piece] = []
    for start, end in ranges:
        text = joined.text[start:end]
        if len(tokenizer.tokenize(text)) <= config.size:
            pieces.append(_Piece(start, end))
        else:
            pieces.extend(_recursive(text, start, config, tokenizer))
    return pieces


def _by_page(joined: _Joined, config: ChunkingConfig, tokenizer: Any) -> list[_Piece]:
    # One chunk per page; formats without pages fall back to one chunk per section.
    if all(s.page is None for s in joined.spans):
        return [_Piece(a, b) for a, b in joined.groups(lambda s: s.section)]
    return [_Piece(a, b) for a, b in joined.groups(lambda s: s.page)]


def _by_section(joined: _Joined, config: ChunkingConfig, tokenizer: Any) -> list[_Piece]:
    return _split_ranges(joined, list(joined.groups(lambda s: s.section)), config, tokenizer)


def _whole_recursive(joined: _Joined, config: ChunkingConfig, tokenizer: Any) -> list[_Piece]:
    return _recursive(joined.text, 0, config, tokenizer)


def _whole_tokens(joined: _Joined, config: ChunkingConfig, tokenizer: Any) -> list[_Piece]:
    return _token_windows(joined.text, 0, config, tokenizer)


STRATEGIES: dict[str, Callable[[_Joined, ChunkingConfig, Any], list[_Piece]]] = {
    "recursive": _whole_recursive,
    "token": _whole_tokens,
    "page": _by_page,
    "section": _by_section,
}


def contextual_header(title: str, section: Sequence[str], source: str = "") -> str:
    """The lines prefixed to a chunk's embedded text: title, file name, section path.

    The file name is added when it says something the title does not: PDF metadata titles
    are often placeholders ("Microsoft Word - draft3", an accession number) while research
    files are usually named after their issuer, period and type.
    """
    title = title.strip()
    stem = file_name_words(source) if source else ""
    if stem and set(_words(stem)) <= set(_words(title)):
        stem = ""
    parts = [title, stem, " > ".join(s.strip() for s in section if s.strip())]
    return "\n".join(p for p in parts if p)


def file_name_words(source: str) -> str:
    """A file's stem as words: '/lib/BESTBUY_2017_10K.pdf' -> 'BESTBUY 2017 10K'."""
    return re.sub(r"[_\-.]+", " ", PurePath(source).stem).strip()


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def chunk_document(document: LoadedDocument, config: ChunkingConfig, tokenizer: Any) -> list[Chunk]:
    """Chunks of ``document`` in reading order, with pages, sections, offsets and stable ids."""
    try:
        strategy = STRATEGIES[config.strategy]
    except KeyError:
        raise ValueError(
            f"unknown chunking strategy {config.strategy!r}; valid: {', '.join(STRATEGIES)}"
        ) from None
    if config.overlap >= config.size:
        raise ValueError("chunk overlap must be smaller than chunk size")
    # Tables with rows are cut by rows after the running text, which is chunked exactly as
    # if they were absent: turning table extraction on never changes the other chunks.
    tables = [e for e in document.elements if e.table is not None and e.table.rows]
    joined = _Joined([e for e in document.elements if e.table is None or not e.table.rows])
    chunks: list[Chunk] = []
    pieces = strategy(joined, config, tokenizer) if joined.text else []
    for piece in pieces:
        raw = joined.text[piece.start : piece.end]
        text = raw.strip()
        if not text:
            continue
        spans = joined.spans_in(piece.start, piece.end)
        pages = [s.page for s in spans if s.page is not None]
        section = joined.span_at(piece.start).section
        first = piece.start + len(raw) - len(raw.lstrip())  # where ``text`` starts
        places = _places((s.start - first, s.page, s.section) for s in spans)
        _append_chunk(
            chunks, document, config, text, section, pages, piece.start, piece.end, places=places
        )
    offset = len(joined.text)
    for element in tables:
        offset += len(ELEMENT_SEPARATOR)
        offset = _table_chunks(document, element, config, tokenizer, offset, chunks)
    return chunks


def _append_chunk(
    chunks: list[Chunk],
    document: LoadedDocument,
    config: ChunkingConfig,
    text: str,
    section: tuple[str, ...],
    pages: list[int],
    char_start: int,
    char_end: int,
    table_rows: tuple[TableRow, ...] = (),
    table_caption: str | None = None,
    places: tuple[Place, ...] = (),
) -> None:
    """Append the next chunk of ``document``: its stable id, the text it embeds (with the
    contextual header when configured) and its page range."""
    embed_text = text
    if config.contextual_header:
        header = contextual_header(document.meta.title, section, document.meta.source)
        embed_text = f"{header}\n\n{text}" if header else text
    position = len(chunks)
    chunks.append(
        Chunk(
            id=chunk_id_for(document.meta.id, position, text),
            document_id=document.meta.id,
            position=position,
            text=text,
            embed_text=embed_text,
            page_start=min(pages) if pages else None,
            page_end=max(pages) if pages else None,
            section=section,
            char_start=char_start,
            char_end=char_end,
            table_rows=table_rows,
            table_caption=table_caption,
            places=places,
        )
    )


def _places(starts: Iterable[tuple[int, int | None, tuple[str, ...]]]) -> tuple[Place, ...]:
    """The places of a chunk from its elements' (offset in the chunk's text, page,
    section), merged where neither changes; none when the whole chunk has one place (its
    page range and section already say where it is)."""
    places: list[Place] = []
    for at, page, section in starts:
        if places and (places[-1].page, places[-1].section) == (page, section):
            continue
        places.append(Place(max(at, 0), page, section))
    return tuple(places) if len(places) > 1 else ()


def _table_chunks(
    document: LoadedDocument,
    element: Element,
    config: ChunkingConfig,
    tokenizer: Any,
    offset: int,
    chunks: list[Chunk],
) -> int:
    """Append ``element``'s table as chunks of whole rows, each starting with the caption.

    Rows already name their columns, so every chunk reads on its own; a row longer than the
    chunk size becomes a chunk by itself rather than being cut. Offsets continue after the
    running text (as if tables followed it); the new offset is returned.
    """
    table = element.table
    assert table is not None
    lead = [table.caption] if table.caption else []
    budget = config.size - sum(len(tokenizer.tokenize(line)) for line in lead)
    groups: list[list[TableRow]] = [[]]
    used = 0
    for row in table.rows:
        cost = len(tokenizer.tokenize(row.text)) + 1  # + the line break
        if groups[-1] and used + cost > budget:
            groups.append([])
            used = 0
        groups[-1].append(row)
        used += cost
    section = element.section or ((table.caption,) if table.caption else ())
    for rows in groups:
        text = "\n".join([*lead, *(row.text for row in rows)])
        pages = [r.page for r in rows if r.page is not None] or (
            [element.page] if element.page is not None else []
        )
        # A table continued over a page break: each row is cited on its own page.
        at = len(lead[0]) + 1 if lead else 0
        starts = []
        for row in rows:
            starts.append((at, row.page if row.page is not None else element.page, section))
            at += len(row.text) + 1
        _append_chunk(
            chunks,
            document,
            config,
            text,
            section,
            pages,
            offset,
            offset + len(text),
            table_rows=tuple(rows),
            table_caption=table.caption,
            places=_places(starts),
        )
        offset += len(text) + 1
    return offset
