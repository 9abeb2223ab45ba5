"""The pypdfium2 PDF loader: pages, titles, and every way a PDF can be unusable."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from reportlab.lib import pdfencrypt
from reportlab.pdfgen import canvas

from core.errors import LoaderError
from ingest.loaders import load_document
from ingest.loaders.pdf import load_pdf
from ingest.models import Element

FINANCEBENCH_PDF = Path("/work/shared/benchmarks/financebench/docs/3M_2018_10K.pdf")


def pdf_bytes(pages: list[list[str]], *, title: str | None = None, encrypt: object = None) -> bytes:
    """A PDF with one page per item, each line drawn 20 points below the previous one."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, encrypt=encrypt)
    pdf.setTitle(title or "")
    for lines in pages:
        for number, line in enumerate(lines):
            pdf.drawString(72, 720 - 20 * number, line)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def make_pdf(
    path: Path, pages: list[list[str]], *, title: str | None = None, encrypt: object = None
) -> Path:
    path.write_bytes(pdf_bytes(pages, title=title, encrypt=encrypt))
    return path


SCAN = "<scan>"  # a page item drawn as an image with no text layer, as a scanner makes it


def make_scanned_pdf(path: Path, pages: list[list[str] | str]) -> Path:
    """A PDF whose pages are lines of text, or ``SCAN``: a picture of a page, no text."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    picture = ImageReader(Image.new("RGB", (40, 40), "white"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for page in pages:
        if page == SCAN:
            pdf.drawImage(picture, 72, 300, width=400, height=400)
        else:
            for number, line in enumerate(page):
                pdf.drawString(72, 720 - 20 * number, line)
        pdf.showPage()
    pdf.save()
    path.write_bytes(buffer.getvalue())
    return path


def test_pages_with_an_image_and_no_text_are_unread_blank_pages_are_not(tmp_path: Path) -> None:
    path = make_scanned_pdf(tmp_path / "mixed.pdf", [["Outlook"], SCAN, [], ["More"], SCAN])
    result = load_pdf(path, path.read_bytes())
    assert [e.page for e in result.elements] == [1, 4]
    assert result.unread_pages == (2, 5) and result.pages == 5
    assert load_document(path).unread_pages == (2, 5)
    text_only = make_pdf(tmp_path / "text.pdf", [["a"], [], ["b"]])
    assert load_pdf(text_only, text_only.read_bytes()).unread_pages == ()


def test_one_element_per_page_with_one_based_pages(tmp_path: Path) -> None:
    path = make_pdf(
        tmp_path / "report.pdf",
        [["Quarterly report", "Revenue grew."], [], ["Outlook is stable."]],
        title="Q3 Report",
    )
    result = load_pdf(path, path.read_bytes())
    assert result.elements == (
        Element(text="Quarterly report\nRevenue grew.", kind="text", page=1),
        Element(text="Outlook is stable.", kind="text", page=3),
    )
    assert result.pages == 3  # the blank page still counts
    assert result.title == "Q3 Report"


def test_title_falls_back_to_first_line_of_page_one(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "x.pdf", [["  ", "Annual Review 2024", "Body text."]])
    assert load_pdf(path, path.read_bytes()).title == "Annual Review 2024"


def test_placeholder_metadata_title_is_ignored(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "x.pdf", [["Real Heading"]], title="untitled")
    assert load_pdf(path, path.read_bytes()).title == "Real Heading"


def test_title_falls_back_to_file_stem_when_page_one_is_blank(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "board-minutes.pdf", [[], ["Second page text."]])
    document = load_document(path)
    assert document.meta.title == "board-minutes"
    assert document.meta.pages == 2
    assert [e.page for e in document.elements] == [2]


def test_encrypted_pdf_is_reported(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "secret.pdf", [["Hidden"]], encrypt="pw")
    with pytest.raises(LoaderError, match=r"^encrypted PDF; decrypt it first$"):
        load_pdf(path, path.read_bytes())


def test_owner_password_only_pdf_still_loads(tmp_path: Path) -> None:
    restricted = pdfencrypt.StandardEncryption("", ownerPassword="owner", canPrint=0)
    path = make_pdf(tmp_path / "restricted.pdf", [["Readable text"]], encrypt=restricted)
    assert load_pdf(path, path.read_bytes()).elements[0].text == "Readable text"


def test_truncated_pdf_is_not_readable(tmp_path: Path) -> None:
    data = pdf_bytes([["Some text"], ["More text"]])
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(LoaderError, match=r"^not a readable PDF: "):
        load_pdf(path, path.read_bytes())


def test_junk_with_pdf_header_is_not_readable(tmp_path: Path) -> None:
    path = tmp_path / "junk.pdf"
    path.write_bytes(b"%PDF-1.4\n" + b"\x00garbage\xff" * 200)
    with pytest.raises(LoaderError, match=r"^not a readable PDF: Data format error$"):
        load_pdf(path, path.read_bytes())


def test_pdf_with_zero_pages(tmp_path: Path) -> None:
    empty = pdfium.PdfDocument.new()
    buffer = io.BytesIO()
    empty.save(buffer)
    empty.close()
    path = tmp_path / "zero.pdf"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(LoaderError, match=r"^PDF has zero pages$"):
        load_pdf(path, path.read_bytes())


def test_blank_pages_mean_no_text_layer(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "scan.pdf", [[], []])
    with pytest.raises(LoaderError, match=r"^no text layer; OCR is not configured$"):
        load_pdf(path, path.read_bytes())


def test_page_text_is_normalised(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """pdfium's \\r\\n, control characters and U+FFFE hyphens are cleaned up."""
    path = make_pdf(tmp_path / "x.pdf", [["placeholder"]])
    raw = "Year\ufffeon\ufffeyear  \r\nline\x00two\x07\tend\r\n\x0c"
    monkeypatch.setattr(pdfium.PdfTextPage, "get_text_range", lambda self, *a, **k: raw)
    result = load_pdf(path, path.read_bytes())
    assert result.elements[0].text == "Year-on-year\nlinetwo\tend"


def test_document_is_closed_even_on_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    closed: list[bool] = []
    original = pdfium.PdfDocument.close

    def spy(self: pdfium.PdfDocument) -> None:
        closed.append(True)
        original(self)

    monkeypatch.setattr(pdfium.PdfDocument, "close", spy)
    path = make_pdf(tmp_path / "blank.pdf", [[]])
    with pytest.raises(LoaderError):
        load_pdf(path, path.read_bytes())
    assert closed


@pytest.mark.skipif(not FINANCEBENCH_PDF.exists(), reason="FinanceBench sample not present")
def test_real_10k_loads_fast() -> None:
    started = time.perf_counter()
    document = load_document(FINANCEBENCH_PDF)
    elapsed = time.perf_counter() - started
    assert document.meta.pages == 160
    # Its cover prints no "(Exact name of registrant ...)" marker: the name is read from
    # the line after the commission file number, not the metadata title.
    assert document.meta.title == (
        "3M COMPANY Form 10-K for the fiscal year ended December 31, 2018"
    )
    assert all("\r" not in e.text and "\ufffe" not in e.text for e in document.elements)
    # ~70-120 pages/s measured on 2 cores; this only guards against a pathological path.
    assert document.meta.pages / elapsed > 2
