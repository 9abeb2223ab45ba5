"""Ruled tables of a PDF with pdfplumber: one ``table`` element per table, rows with headers.

pdfplumber's "lines" strategy finds tables drawn with rules (fund factsheets, research
notes, some filings). It reads each page's layout in pure Python, about 60x slower than
pypdfium2's text layer (see docs/benchmarks.md), so it runs only when
``RESEARCHDESK_PDF_TABLES`` is on. The page text stays as pypdfium2 extracts it: table
elements are added beside it, so turning tables on never changes the other chunks.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import Any

from core.errors import LoaderError, MissingDependencyError
from ingest.models import Element, Table
from ingest.tables import table_from_grid, table_text

logger = logging.getLogger(__name__)

_HINT = "pip install 'pdfplumber>=0.11,<0.12' (or researchdesk[tables])"
_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
CAPTION_GAP = 90.0  # points: a caption is a heading line at most this far above the table
MAX_CAPTION_WORDS = 12
_SENTENCE_END = (".", "!", "?", ";", ",", ":")
MAX_TABLES_PER_PAGE = 50  # more "tables" on one page are a drawing's grid, not data


def _pdfplumber() -> Any:
    try:
        import pdfplumber
    except ImportError as exc:
        raise MissingDependencyError("pdfplumber", _HINT) from exc
    return pdfplumber


def load_pdf_tables(path: Path, data: bytes) -> list[Element]:
    """Table elements of every page, in page order; a page that fails is logged and skipped."""
    pdfplumber = _pdfplumber()
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:
        raise LoaderError(f"pdfplumber cannot read the PDF: {type(exc).__name__}: {exc}") from exc
    elements: list[Element] = []
    previous: Table | None = None
    try:
        for number, page in enumerate(pdf.pages, start=1):
            rotation = int(getattr(page, "rotation", 0) or 0) % 360
            try:
                # pdfplumber reads a rotated page's cells unrotated: rows come out as
                # columns under the wrong headers, so such pages are reported, not read.
                if rotation:
                    logger.warning("%s: page %d is rotated; tables not read", path.name, number)
                    found = []
                else:
                    found = _page_tables(page, number, previous)
            except Exception as exc:  # one bad page must not lose the document
                logger.warning("%s: no tables read on page %d: %s", path.name, number, exc)
                found = []
            finally:
                page.close()
            elements.extend(
                Element(text=table_text(t), kind="table", page=number, table=t) for t in found
            )
            previous = found[-1] if found else None
    finally:
        pdf.close()
    return elements


def _page_tables(page: Any, number: int, previous: Table | None) -> list[Table]:
    tables = page.find_tables(_SETTINGS)
    if len(tables) > MAX_TABLES_PER_PAGE:
        logger.info("page %d: %d ruled cells look like a drawing; skipped", number, len(tables))
        return []
    out: list[Table] = []
    for index, found in enumerate(tables):
        grid = found.extract()
        boxes = [_box(row.bbox) for row in found.rows]
        if len(boxes) != len(grid):
            boxes = [None] * len(grid)
        # Only the page's first table can continue the previous page's last one.
        table = table_from_grid(
            grid,
            caption=_caption(page, found.bbox),
            page=number,
            boxes=boxes,
            continues=previous if index == 0 else None,
        )
        if table is not None:
            out.append(table)
    return out


def _box(bbox: Any) -> tuple[float, float, float, float] | None:
    if not bbox or len(bbox) != 4:
        return None
    x0, top, x1, bottom = (round(float(v), 1) for v in bbox)
    return (x0, top, x1, bottom)


def _caption(page: Any, bbox: Any) -> str:
    """The nearest heading-like line above the table (within CAPTION_GAP points), if any."""
    top = float(bbox[1])
    if top <= 1:
        return ""
    above = page.crop((0, max(0.0, top - CAPTION_GAP), page.width, top), strict=False)
    lines = [" ".join(line.split()) for line in (above.extract_text() or "").splitlines()]
    return next((line for line in reversed(lines) if is_caption(line)), "")


def is_caption(line: str) -> bool:
    """A heading-like line: short, starting with a letter, not ending like a sentence."""
    words = line.split()
    return (
        0 < len(words) <= MAX_CAPTION_WORDS
        and line[0].isalpha()
        and not line.endswith(_SENTENCE_END)
    )
