"""Ruled PDF tables (pdfplumber): rows with headers, page and box; page text left as it was."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from core.errors import LoaderError, MissingDependencyError
from ingest.loaders import load_document
from ingest.loaders import pdf_tables as module
from ingest.loaders.pdf import load_pdf
from ingest.loaders.pdf_tables import is_caption, load_pdf_tables
from tests.conftest import SAMPLE_CORPUS

FACTSHEET = SAMPLE_CORPUS / "global_income_fund_factsheet.pdf"


def ruled_pdf(
    rows: list[list[str]], *, caption: str = "Fees and expenses", pages: int = 1
) -> bytes:
    """A PDF whose pages each draw ``rows`` as a ruled grid under ``caption``."""
    return ruled_pages([(caption, rows)] * pages)


def ruled_pages(pages: list[tuple[str, list[list[str]]]], rotation: int = 0) -> bytes:
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4)
    _, height = A4
    for caption, rows in pages:
        c.setPageRotation(rotation)
        c.drawString(72, height - 80, caption)
        top = height - 100
        xs = [72 + 150 * i for i in range(len(rows[0]) + 1)]
        ys = [top - 20 * i for i in range(len(rows) + 1)]
        for y in ys:
            c.line(xs[0], y, xs[-1], y)
        for x in xs:
            c.line(x, ys[0], x, ys[-1])
        for r, row in enumerate(rows):
            for i, cell in enumerate(row):
                c.drawString(xs[i] + 4, ys[r] - 14, cell)
        c.showPage()
    c.save()
    return buffer.getvalue()


FEES = [["Fee", "Class A", "Class I"], ["Total expense ratio", "0.85%", "0.55%"]]


def test_a_ruled_table_becomes_rows_with_headers_page_and_box(tmp_path: Path) -> None:
    (element,) = load_pdf_tables(tmp_path / "f.pdf", ruled_pdf(FEES))
    assert element.kind == "table" and element.page == 1
    assert element.table is not None
    assert element.table.caption == "Fees and expenses"
    assert element.table.header == "Fee | Class A | Class I"
    (row,) = element.table.rows
    assert row.text == "Total expense ratio | Class A: 0.85% | Class I: 0.55%"
    assert row.page == 1 and row.bbox is not None
    x0, top, x1, bottom = row.bbox
    assert x0 == pytest.approx(72, abs=1) and x1 == pytest.approx(522, abs=1)
    assert 0 < top < bottom < A4[1] and bottom - top == pytest.approx(20, abs=1)
    assert element.text == "Fees and expenses\n" + row.text


def test_a_table_split_over_pages_keeps_its_headers(tmp_path: Path) -> None:
    blob = ruled_pages(
        [
            ("P&L", [["Item", "2023", "2022"], ["Revenue", "100", "90"]]),
            ("continued.", [["Net income", "10", "9"], ["EPS", "1.1", "1.0"]]),
        ]
    )
    elements = load_pdf_tables(tmp_path / "x.pdf", blob)
    assert [(e.page, [r.text for r in e.table.rows]) for e in elements if e.table] == [
        (1, ["Revenue | 2023: 100 | 2022: 90"]),
        (2, ["Net income | 2023: 10 | 2022: 9", "EPS | 2023: 1.1 | 2022: 1.0"]),
    ]


def test_tables_are_added_beside_unchanged_page_text() -> None:
    plain = load_document(FACTSHEET)
    tables = load_document(FACTSHEET, pdf_tables=True)
    texts = [e for e in tables.elements if e.table is None]
    assert texts == list(plain.elements) and all(e.table is None for e in plain.elements)
    found = {e.table.caption: e for e in tables.elements if e.table is not None}
    assert "Total expense ratio | Class A: 0.85% | Class I: 0.55%" in [
        r.text
        for r in found["Fees and expenses"].table.rows  # type: ignore[union-attr]
    ]
    assert found["Calendar year returns (Class I)"].page == 2
    assert plain.meta == tables.meta


def test_a_pdf_without_rules_has_no_table_elements(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer)
    c.drawString(72, 700, "Revenue 100 90")
    c.drawString(72, 680, "Costs 50 40")
    c.save()
    assert load_pdf_tables(tmp_path / "p.pdf", buffer.getvalue()) == []
    loaded = load_pdf(tmp_path / "p.pdf", buffer.getvalue(), tables=True)
    assert [e.kind for e in loaded.elements] == ["text"]


def test_a_page_that_fails_is_skipped_and_logged(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    real = module._page_tables

    def flaky(page: Any, number: int, previous: Any) -> Any:
        if number == 1:
            raise ValueError("broken content stream")
        return real(page, number, previous)

    monkeypatch.setattr(module, "_page_tables", flaky)
    elements = load_pdf_tables(tmp_path / "f.pdf", ruled_pdf(FEES, pages=2))
    assert [e.page for e in elements] == [2]
    assert "no tables read on page 1: broken content stream" in caplog.text


def test_unreadable_bytes_and_a_missing_library_are_clear_errors(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with pytest.raises(LoaderError, match="pdfplumber cannot read the PDF"):
        load_pdf_tables(tmp_path / "x.pdf", b"%PDF-1.4 not really")
    monkeypatch.setitem(sys.modules, "pdfplumber", None)
    with pytest.raises(MissingDependencyError, match="pdfplumber"):
        load_pdf_tables(tmp_path / "f.pdf", ruled_pdf(FEES))


@pytest.mark.parametrize(
    ("line", "expected"),
    [("Fees and expenses", True), ("Harbor Point Wealth estimate.", False),
     ("$175.00. Meridian is the second-largest maker", False), ("x " * 20, False), ("", False)],
)  # fmt: skip
def test_captions_are_heading_like_lines(line: str, expected: bool) -> None:
    assert is_caption(line.strip()) is expected


def test_a_rotated_page_is_reported_not_misread(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # Read unrotated, its rows would come out as "0.85% | Fee: Class A".
    blob = ruled_pages([("Fees and expenses", FEES)], rotation=90)
    assert load_pdf_tables(tmp_path / "r.pdf", blob) == []
    assert "page 1 is rotated; tables not read" in caplog.text
