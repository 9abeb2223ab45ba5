"""``<file>.meta.json`` sidecars: validation, every malformed case, and the merge."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from core.errors import LoaderError
from ingest.loaders import load_document
from ingest.loaders.sidecar import (
    MAX_SIDECAR_BYTES,
    Sidecar,
    parse_iso_date,
    read_sidecar,
    sidecar_path,
)
from tests.ingest.loaders.test_pdf import pdf_bytes


def write(path: Path, sidecar: object) -> Path:
    """Write ``sidecar`` (JSON-encoded unless already bytes) next to ``path``."""
    raw = sidecar if isinstance(sidecar, bytes) else json.dumps(sidecar).encode()
    meta = sidecar_path(path)
    meta.write_bytes(raw)
    return meta


def test_sidecar_path_appends_suffix() -> None:
    assert sidecar_path(Path("/d/report.pdf")) == Path("/d/report.pdf.meta.json")


def test_no_sidecar_is_none(tmp_path: Path) -> None:
    assert read_sidecar(tmp_path / "doc.txt") is None


def test_full_sidecar(tmp_path: Path) -> None:
    doc = tmp_path / "doc.txt"
    meta = write(
        doc,
        {
            "title": " Board memo ",
            "tags": ["finance", "q3"],
            "date": "2024-03-31",
            "author": "CFO office",
            "allowed_groups": ["analysts", " partners "],
            "desk": "equities",
            "rating": {"score": 4, "scale": [1, 5]},
        },
    )
    assert read_sidecar(doc) == Sidecar(
        path=meta,
        sha256=hashlib.sha256(meta.read_bytes()).hexdigest(),
        title="Board memo",
        tags=("finance", "q3"),
        date="2024-03-31",
        author="CFO office",
        allowed_groups=("analysts", "partners"),
        extra={"desk": "equities", "rating": {"score": 4, "scale": [1, 5]}},
    )


def test_sha256_changes_with_the_sidecar_alone(tmp_path: Path) -> None:
    doc = tmp_path / "doc.txt"
    write(doc, {"tags": ["a"]})
    first = read_sidecar(doc)
    write(doc, {"tags": ["b"]})
    second = read_sidecar(doc)
    assert first is not None and second is not None
    assert first.sha256 != second.sha256


def test_nulls_mean_absent_and_bom_is_accepted(tmp_path: Path) -> None:
    doc = tmp_path / "doc.txt"
    write(doc, b'\xef\xbb\xbf{"title": null, "date": null}')
    sidecar = read_sidecar(doc)
    assert sidecar is not None
    assert (sidecar.title, sidecar.date, sidecar.tags, sidecar.extra) == (None, None, (), {})


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-02-29", "2024-02-29"),
        ("2024-02-29T13:45:00+01:00", "2024-02-29"),
        ("20240229", "2024-02-29"),
    ],
)
def test_iso_dates(value: str, expected: str) -> None:
    assert parse_iso_date(value) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"{not json", r"doc\.txt\.meta\.json is not valid JSON"),
        (b'{"title": NaN}', r"is not valid JSON: NaN is not allowed"),
        (b'["a", "b"]', r"must hold a JSON object, not list"),
        (b'"text"', r"must hold a JSON object, not str"),
        (b"\xff\xfe{}", r"is not UTF-8 text"),
        (b'{"title": 5}', r"invalid: title: Input should be a valid string"),
        (b'{"title": "  "}', r"invalid: title: must be a non-empty string"),
        (b'{"author": ["x"]}', r"invalid: author: Input should be a valid string"),
        (b'{"tags": "finance"}', r"invalid: tags: Input should be a valid list"),
        (b'{"tags": ["ok", 3]}', r"invalid: tags\.1: Input should be a valid string"),
        (b'{"allowed_groups": ["a", ""]}', r"allowed_groups: group names must be non-empty"),
        (b'{"allowed_groups": "a"}', r"invalid: allowed_groups: Input should be a valid list"),
        (b'{"date": "31/03/2024"}', r"date: not an ISO date \(expected YYYY-MM-DD\)"),
        (b'{"date": "2024-02-30"}', r"date: not an ISO date"),
        (b'{"date": 20240301}', r"invalid: date: Input should be a valid string"),
    ],
)
def test_malformed_sidecars(tmp_path: Path, raw: bytes, message: str) -> None:
    doc = tmp_path / "doc.txt"
    write(doc, raw)
    with pytest.raises(LoaderError, match=r"^sidecar doc\.txt\.meta\.json ") as caught:
        read_sidecar(doc)
    assert caught.match(message)


def test_huge_sidecar_is_refused_before_reading(tmp_path: Path) -> None:
    doc = tmp_path / "doc.txt"
    write(doc, b'{"extra": "' + b"x" * MAX_SIDECAR_BYTES + b'"}')
    with pytest.raises(LoaderError, match=r"^sidecar doc\.txt\.meta\.json is \d+ bytes, over"):
        read_sidecar(doc)


def test_sidecar_is_merged_into_the_document(tmp_path: Path) -> None:
    doc = tmp_path / "memo.pdf"
    doc.write_bytes(pdf_bytes([["MEMO TITLE", "The body of the memo."]]))
    write(
        doc,
        {
            "title": "Sidecar title",
            "tags": ["t1"],
            "date": "2023-12-01",
            "author": "Research",
            "allowed_groups": ["g1", "g2"],
            "source_system": "sharepoint",
        },
    )
    meta = load_document(doc).meta
    assert meta.title == "Sidecar title"  # the sidecar title wins over the extracted one
    assert (meta.tags, meta.allowed_groups) == (("t1",), ("g1", "g2"))
    assert (meta.date, meta.author) == ("2023-12-01", "Research")
    assert meta.extra == {"source_system": "sharepoint"}
    assert meta.payload()["meta"] == {"source_system": "sharepoint"}


def test_partial_sidecar_keeps_extracted_title(tmp_path: Path) -> None:
    doc = tmp_path / "memo.pdf"
    doc.write_bytes(pdf_bytes([["MEMO TITLE", "The body of the memo."]]))
    write(doc, {"tags": ["x"]})
    meta = load_document(doc).meta
    assert (meta.title, meta.tags, meta.allowed_groups, meta.extra) == (
        "MEMO TITLE",
        ("x",),
        (),
        {},
    )


def test_bad_sidecar_fails_the_document(tmp_path: Path) -> None:
    doc = tmp_path / "memo.pdf"
    doc.write_bytes(pdf_bytes([["Some text in a file."]]))
    write(doc, b"[1, 2]")
    with pytest.raises(LoaderError, match=r"^sidecar memo\.pdf\.meta\.json must hold a JSON"):
        load_document(doc)
