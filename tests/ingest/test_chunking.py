from __future__ import annotations

from typing import Any

import pytest

from ingest.chunking import ChunkingConfig, chunk_document, contextual_header
from ingest.embedding import load_tokenizer
from ingest.models import DocumentMeta, Element, LoadedDocument, Table, TableRow, chunk_id_for

MODEL = "bundled:all-MiniLM-L6-v2"


@pytest.fixture(scope="module")
def tokenizer() -> Any:
    return load_tokenizer(MODEL)


def _doc(*elements: Element, title: str = "Outlook 2026") -> LoadedDocument:
    meta = DocumentMeta(
        id="doc-1",
        source="/x/outlook.pdf",
        title=title,
        format="pdf",
        sha256="0" * 64,
        size=1,
        modified=0.0,
        pages=3,
    )
    return LoadedDocument(meta, elements)


def _pages(n: int, words: int) -> list[Element]:
    return [
        Element(" ".join(f"p{page}w{i}" for i in range(words)), page=page)
        for page in range(1, n + 1)
    ]


def test_page_strategy_gives_one_chunk_per_page_with_offsets(tokenizer: Any) -> None:
    doc = _doc(Element("alpha beta", page=1), Element("gamma", page=2), Element("  ", page=3))
    chunks = chunk_document(doc, ChunkingConfig("page", 64, 8, contextual_header=False), tokenizer)
    assert [(c.text, c.page_start, c.page_end) for c in chunks] == [
        ("alpha beta", 1, 1),
        ("gamma", 2, 2),
    ]
    # Elements are joined with a blank line: "alpha beta\n\ngamma".
    assert [(c.char_start, c.char_end) for c in chunks] == [(0, 10), (12, 17)]
    assert [c.position for c in chunks] == [0, 1]
    assert chunks[0].id == chunk_id_for("doc-1", 0, "alpha beta")


def test_recursive_chunks_respect_token_size_and_track_page_ranges(tokenizer: Any) -> None:
    doc = _doc(*_pages(3, 120))
    config = ChunkingConfig("recursive", 64, 8, contextual_header=False)
    chunks = chunk_document(doc, config, tokenizer)
    assert len(chunks) > 3
    assert all(len(tokenizer.tokenize(c.text)) <= 64 for c in chunks)
    joined = "\n\n".join(e.text for e in doc.elements)
    for chunk in chunks:
        assert joined[chunk.char_start : chunk.char_end] == chunk.text
        first_page = int(chunk.text.split()[0][1 : chunk.text.split()[0].index("w")])
        assert chunk.page_start == first_page
        assert chunk.page_start is not None and chunk.page_end is not None
        assert chunk.page_start <= chunk.page_end <= 3
    assert {c.page_start for c in chunks} == {1, 2, 3}


def test_token_strategy_windows_overlap_exactly(tokenizer: Any) -> None:
    doc = _doc(Element(" ".join(f"word{i}" for i in range(100)), page=1))
    chunks = chunk_document(doc, ChunkingConfig("token", 40, 10, False), tokenizer)
    counts = [len(tokenizer.tokenize(c.text)) for c in chunks]
    assert all(n <= 40 for n in counts)
    # Windows keep the original characters (an uncased tokenizer must not lowercase them).
    doc2 = _doc(Element("Revenue ROSE to $4.5bn in FY2025.", page=1))
    (only,) = chunk_document(doc2, ChunkingConfig("token", 40, 10, False), tokenizer)
    assert only.text == "Revenue ROSE to $4.5bn in FY2025."
    overlap = set(chunks[0].text.split()) & set(chunks[1].text.split())
    assert overlap


def test_section_strategy_keeps_sections_apart(tokenizer: Any) -> None:
    doc = _doc(
        Element("Rates", kind="title", section=("Rates",)),
        Element("We expect two cuts.", section=("Rates",)),
        Element("Equities", kind="title", section=("Equities",)),
        Element("We prefer quality.", section=("Equities",)),
    )
    chunks = chunk_document(doc, ChunkingConfig("section", 64, 8, True), tokenizer)
    assert [c.text for c in chunks] == [
        "Rates\n\nWe expect two cuts.",
        "Equities\n\nWe prefer quality.",
    ]
    assert [c.section for c in chunks] == [("Rates",), ("Equities",)]
    assert chunks[1].embed_text == "Outlook 2026\nEquities\n\nEquities\n\nWe prefer quality."
    assert chunks[0].page_start is None


def test_ids_are_stable_and_change_with_content(tokenizer: Any) -> None:
    config = ChunkingConfig("recursive", 64, 8, True)
    first = chunk_document(_doc(*_pages(2, 50)), config, tokenizer)
    again = chunk_document(_doc(*_pages(2, 50)), config, tokenizer)
    assert [c.id for c in first] == [c.id for c in again]
    changed = chunk_document(_doc(Element("different text", page=1)), config, tokenizer)
    assert changed[0].id != first[0].id


def test_empty_document_and_bad_config(tokenizer: Any) -> None:
    assert chunk_document(_doc(Element("   ")), ChunkingConfig(), tokenizer) == []
    with pytest.raises(ValueError, match="valid: recursive, token, page, section"):
        chunk_document(_doc(Element("x")), ChunkingConfig("semantic"), tokenizer)
    with pytest.raises(ValueError, match="overlap"):
        chunk_document(_doc(Element("x")), ChunkingConfig("token", 10, 10), tokenizer)


def test_contextual_header() -> None:
    assert contextual_header("Title", ("A", " B ")) == "Title\nA > B"
    assert contextual_header("Title", ()) == "Title"
    assert contextual_header("", ()) == ""
    # The file name joins the header only when it adds words the title lacks.
    assert contextual_header("0000764478-17-000008", (), "/lib/BESTBUY_2017_10K.pdf") == (
        "0000764478-17-000008\nBESTBUY 2017 10K"
    )
    assert contextual_header("Global Outlook 2026", (), "/lib/global_outlook_2026.pdf") == (
        "Global Outlook 2026"
    )


def test_huge_single_element_is_split(tokenizer: Any) -> None:
    text = "Sentence about margins and rates. " * 3000  # ~100k characters
    chunks = chunk_document(
        _doc(Element(text, page=1)), ChunkingConfig("recursive", 256, 32, False), tokenizer
    )
    assert len(chunks) > 50
    assert all(len(tokenizer.tokenize(c.text)) <= 256 for c in chunks)


def _table(rows: int, caption: str = "Fees", page: int | None = 2) -> Element:
    body = tuple(
        TableRow(
            f"Row {i} | Class A: {i}.5% | Class I: {i}.25%",
            page,
            (1.0, 10.0 * i, 2.0, 10.0 * i + 9),
        )
        for i in range(rows)
    )
    table = Table(caption, "Fee | Class A | Class I", body)
    return Element("\n".join([caption, *(r.text for r in body)]), "table", page, (), table)


def test_tables_are_cut_by_whole_rows_after_the_running_text(tokenizer: Any) -> None:
    text = [Element("Intro paragraph about the fund.", page=1), Element("Closing words.", page=3)]
    config = ChunkingConfig("recursive", 64, 8)
    plain = chunk_document(_doc(*text), config, tokenizer)
    mixed = chunk_document(_doc(text[0], _table(12), text[1]), config, tokenizer)
    # The running text is chunked exactly as without the table: same ids, texts, offsets.
    assert mixed[: len(plain)] == plain
    tables = mixed[len(plain) :]
    assert len(tables) > 1
    seen = []
    for chunk in tables:
        lines = chunk.text.split("\n")
        assert lines[0] == "Fees"  # every chunk starts with the caption
        assert all(line.startswith("Row ") and line.count(" | ") == 2 for line in lines[1:])
        assert len(tokenizer.tokenize(chunk.text)) <= 64
        assert [r.text for r in chunk.table_rows] == lines[1:]
        assert chunk.page_start == chunk.page_end == 2 and chunk.section == ("Fees",)
        assert chunk.char_start > plain[-1].char_end
        seen.extend(lines[1:])
    assert seen == [r.text for r in _table(12).table.rows]  # type: ignore[union-attr]
    payload = tables[0].payload(_doc().meta, "v1")
    assert payload["table"]["caption"] == "Fees"
    assert payload["table"]["rows"][0] == {"page": 2, "bbox": [1.0, 0.0, 2.0, 9.0]}
    assert "table" not in plain[0].payload(_doc().meta, "v1")


def test_a_row_longer_than_a_chunk_is_kept_whole(tokenizer: Any) -> None:
    long_row = TableRow("Label | " + " | ".join(f"c{i}: {i}" for i in range(60)))
    element = Element(long_row.text, "table", None, ("S",), Table("", "", (long_row,)))
    (chunk,) = chunk_document(_doc(element), ChunkingConfig("recursive", 32, 4), tokenizer)
    assert chunk.text == long_row.text and chunk.section == ("S",)


def test_a_document_of_only_tables_still_chunks(tokenizer: Any) -> None:
    chunks = chunk_document(_doc(_table(2, caption="")), ChunkingConfig(), tokenizer)
    assert [c.position for c in chunks] == [0]
    assert chunks[0].text.startswith("Row 0 |") and chunks[0].char_start == 2


def test_a_chunk_over_a_section_and_a_page_break_records_where_each_stretch_lies(
    tokenizer: Any,
) -> None:
    doc = _doc(
        Element("Information Security Policy", page=1, section=("Policy",)),
        Element("1. Passwords", page=1, section=("Policy", "1. Passwords")),
        Element(
            "Passwords must be at least 14 characters long.",
            page=2,
            section=("Policy", "1. Passwords"),
        ),
    )
    (chunk,) = chunk_document(doc, ChunkingConfig("recursive", 128, 8), tokenizer)
    assert chunk.section == ("Policy",) and (chunk.page_start, chunk.page_end) == (1, 2)
    passwords = chunk.text.index("1. Passwords")
    must = chunk.text.index("Passwords must")
    assert [(p.at, p.page, p.section) for p in chunk.places] == [
        (0, 1, ("Policy",)),
        (passwords, 1, ("Policy", "1. Passwords")),
        (must, 2, ("Policy", "1. Passwords")),
    ]
    payload = chunk.payload(doc.meta, "v1")
    assert payload["places"][1] == {"at": passwords, "page": 1, "section": "Policy > 1. Passwords"}


def test_a_chunk_in_one_place_records_none(tokenizer: Any) -> None:
    doc = _doc(Element("one", page=1, section=("A",)), Element("two", page=1, section=("A",)))
    (chunk,) = chunk_document(doc, ChunkingConfig("recursive", 64, 8), tokenizer)
    assert chunk.places == ()
    assert "places" not in chunk.payload(doc.meta, "v1")


def test_places_count_from_the_chunk_text_after_leading_whitespace_is_cut(tokenizer: Any) -> None:
    # A later chunk of a recursive split may start on the separator's whitespace.
    doc = _doc(*(Element(f"para{i} " * 10, page=i + 1, section=(f"S{i}",)) for i in range(4)))
    chunks = chunk_document(doc, ChunkingConfig("recursive", 48, 0), tokenizer)
    assert sum(len(c.places) for c in chunks) >= 4
    for chunk in chunks:
        for place in chunk.places:
            assert chunk.text[place.at :].startswith(f"para{place.section[0][1:]}")
            assert place.page == int(place.section[0][1:]) + 1


def test_a_table_over_a_page_break_places_each_row_on_its_page(tokenizer: Any) -> None:
    rows = tuple(TableRow(f"Row {i} | Fee: {i}%", page=2 if i < 2 else 3) for i in range(4))
    element = Element("", "table", 2, ("Fees",), Table("Fees", "Row | Fee", rows))
    (chunk,) = chunk_document(_doc(element), ChunkingConfig("recursive", 128, 8), tokenizer)
    assert (chunk.page_start, chunk.page_end) == (2, 3)
    assert [(p.at, p.page) for p in chunk.places] == [
        (len("Fees\n"), 2),
        (chunk.text.index("Row 2"), 3),
    ]
