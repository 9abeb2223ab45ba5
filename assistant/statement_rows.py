"""Statement rows read from source passages as cells of known line items.

Rows come as the table extractors write them (``label | column: value``) or as a PDF's
text layer prints them: one row a line under a header line of years, a label broken a
word a line, rows glued into one line, dot leaders between label and amounts, a
section's unlabelled total. Each cell carries its line item (``assistant.definitions``),
its column's year and the row as printed, which an answer quotes. ``assistant.formulas``
computes and looks figures up from them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.arithmetic import ComputationError
from assistant.compute import quantity, stated_scale
from assistant.definitions import ITEMS
from ingest.statements import (
    DATE_RE,
    SPAN_RE,
    YEAR_RE,
    date_of,
    glued_header,
    header_blocks,
    header_years,
)
from retrieval.types import Passage

_CELL_RE = re.compile(r"^(?P<name>[^|:]{1,120}): (?P<value>.+)$")
LABEL_NOISE_RE = re.compile(r"\((loss|losses|deficit)\)|\btotal\b|[^a-z0-9 ]", re.I)
# An acronym in brackets restates the words before it ("property, plant and equipment (PP&E)"),
# and a bracketed qualifier says what the item includes ("Capital expenditures (including
# capitalized software)"); neither names another item.
_LABEL_ACRONYM_RE = re.compile(
    r"\(\s*[A-Z][A-Z&./ ]*\)|\(\s*(?i:including|includes|excluding|excludes|net of)\b[^()]*\)"
)
# So does one closing the label unbracketed: "Purchases of property and equipment,
# including internal-use software", "Total revenues net of interest expense". Minority
# interests are no such qualifier: "Net income including noncontrolling interest" is
# not the company's own net income.
_LABEL_QUALIFIER_RE = re.compile(
    r"(?:,\s*(?:including|excluding|net of)|\s+net of)\s"
    r"(?![^()]*\b(?:non-?\s?controlling|minority)\b)[^()]*$",
    re.I,
)
# A cash flow total named for either sign: "provided/(used) by", "provided (used) by",
# "(used in) provided by", "provided by/(used for)" all mean "provided by".
_EITHER_SIGN_RE = re.compile(
    r"\b(?:provided|used)(?: by| in| for)? (?:provided|used)(?: by| in| for)?\b"
)
# A plain-text statement row: a label, then two or more amounts ("$ 5,121.3", "(123)").
# Atomic amounts separated by whitespace: a digit run can never be re-split between two
# amounts, so matching stays linear however long the row. A label's word may start with
# digits ("Net income attributable to 3M"); the shortest label wins, so amounts stay
# amounts.
_AMOUNT = r"(?>\$?[ ]?\(?\$?[ ]?\d[\d,]*(?:\.\d+)?\)?)"
_SPACED_BRACKET_RE = re.compile(r"(?<=\d) +\)")
_TEXT_ROW_RE = re.compile(
    r"^(?P<label>[A-Za-z](?:[A-Za-z ,'’&/()-]|(?>\d+)[A-Za-z])*?)"
    rf"\s+(?P<values>{_AMOUNT}(?:\s+{_AMOUNT})+)\s*$"
)
_VALUE_RE = re.compile(_AMOUNT)
# Amounts a label quotes for each column before the row's own: "Trade receivables, net of
# allowances for doubtful accounts of $23 and of $16, respectively 2,065 1,878".
# At most one amount per column of a wide statement, each whole: matching stays linear.
_QUOTED_AMOUNT = r"(?:of\s+)?\$?\s?(?<![\d,.])(?>\d[\d,.]*)(?:\s+(?:million|billion|thousand))?"
_RESPECTIVELY_RE = re.compile(
    rf"\s+{_QUOTED_AMOUNT}(?:,?\s+(?:and\s+)?{_QUOTED_AMOUNT}){{0,5}},?\s+respectively\b,?",
    re.I,
)
# A line of amounts alone, and a line of words alone (a section heading, or a label whose
# amounts wrapped to the next line).
_AMOUNTS_ONLY_RE = re.compile(rf"^{_AMOUNT}(?:\s+{_AMOUNT})+\s*$")
_WORDS_ONLY_RE = re.compile(r"^[A-Za-z][A-Za-z ,'’&/()-]{0,80}:?$")
# Dot leaders between a row's label and its amounts ("Net income ........ $ 629,551").
_LEADER_RE = re.compile(r"\s*\.{3,}\s*")
_MIN_SECTION_ROWS = 2
_BROKEN_WORDS = 2
# A line of words ending mid-phrase continues on the next ("NET INCOME ATTRIBUTABLE TO
# SHAREOWNERS OF / THE COCA-COLA COMPANY $ 1,248 ...").
_DANGLING_RE = re.compile(r"\b(?:of|to|and|for|in|from|by|on|the|attributable)$", re.I)


@dataclass(frozen=True, slots=True)
class Cell:
    source: int  # 1-based
    item: str  # ITEMS key
    label: str
    column: str
    year: str | None
    text: str
    row: str
    scale: str = ""  # the scale the source's statement page states ("millions")


# Net income "attributable to" the company itself is its net income; what is attributable
# to noncontrolling interests is another line.
OWN_SHARE_RE = re.compile(
    r"\s+attributable\s+to\s+(?!.*\b(?:non-?\s?controlling|minority)\b).*$", re.I
)


def label_words(label: str) -> str:
    """A row label as ``ITEMS`` names line items: "Total revenues" -> "revenues",
    "Net income attributable to Costco" -> "net income"."""
    plain = _LABEL_QUALIFIER_RE.sub("", _LABEL_ACRONYM_RE.sub(" ", OWN_SHARE_RE.sub("", label)))
    words = " ".join(LABEL_NOISE_RE.sub(" ", plain.lower()).split())
    return _EITHER_SIGN_RE.sub("provided by", words)


def part_of(item: str, qualifier: str) -> str:
    """The key of one part of a line item ("revenue" printed as "Subscription", asked as
    "subscription revenue"): an operand name, never an ``ITEMS`` key."""
    return f"{item}__{key_words(qualifier)}"


def key_words(words: str) -> str:
    """Lower-case words as one key an expression may name: "net bookings" -> "net_bookings"."""
    return "_".join(re.findall(r"[a-z0-9]+", words))


def _part_named(label: str, parent: str | None) -> str | None:
    """The part of a line item a row label names: the item's name qualified ("Deferred
    revenue", "Subscription revenue"), or the label alone under a section heading that
    names the item ("Revenue:" then "Subscription")."""
    words = label_words(label)
    found = [
        (len(n), item, words[: -len(n)])
        for item, names in ITEMS.items()
        for n in names
        if words.endswith(f" {n}")
    ]
    if found:
        _, item, qualifier = max(found)
        return part_of(item, qualifier)
    if parent is not None and words in _WHOLE_LABELS:
        return parent  # "Consolidated" under "Operating income:" is the item itself
    return part_of(parent, words) if parent is not None else None


# A row under an item's heading that sums its parts rather than naming one.
_WHOLE_LABELS = frozenset({"", "consolidated", "total consolidated", "company", "total company"})


def _item_of(label: str) -> str | None:
    """The line item a row label names; a closing ", net" says the item is shown net of
    something ("Research and development expense, net" of customer funding)."""
    words = label_words(label)
    plain = words.removesuffix(" net")
    return next((item for item, names in ITEMS.items() if words in names or plain in names), None)


# A statement row printed as one line, whatever its figures: a label of words (brackets,
# commas and a label's own digits as ``_TEXT_ROW_RE`` allows), then a figure
# ("Net income $ 340,751 10.6% $ 289,366 10.6%", with a share of sales beside each amount).
_LINE_LABEL_RE = re.compile(
    r"^(?P<label>[A-Za-z](?:[A-Za-z ,'’&/()-]|(?>\d+)[A-Za-z]){0,119}?)"
    r"\s+(?=\(?\$?\s?\d[\d,.]*(?:[%)\s]|$))"
)


def row_item(line: str) -> str | None:
    """The line item a statement row printed as one line names (``ITEMS`` key), or None
    for a line that is no such row or names no known item."""
    match = _LINE_LABEL_RE.match(line)
    return _item_of(match["label"]) if match is not None else None


# The line item a row label names beyond ``ITEMS`` (``table_cells``'s ``named``), or None.
LabelNamer = Callable[[str], str | None]


def _label_item(label: str, named: LabelNamer | None) -> str | None:
    """The line item ``label`` names: a known one, else the one ``named`` gives it."""
    return _item_of(label) or (named(label) if named is not None else None)


def _text_cells(number: int, passage: Passage, named: LabelNamer | None = None) -> list[Cell]:
    """Cells of statement rows extracted as plain text ("Total current assets 5,121.3 4,186.5"),
    their years taken from the column header line above them in the same passage (or, for a
    chunk further down a statement page, the page's header line it carries). A row is
    used only when it has exactly one number per header year (else its columns are unknown).
    """
    out: list[Cell] = []

    scale = stated_scale(passage)
    # A statement page's header line, kept with chunks that start below it (ingest).
    header = _columns(passage.column_header) if passage.column_header else None
    # PDF text layers often space words with no-break spaces ("Total\xa0net\xa0revenue").
    # Some layouts set a space inside a bracketed amount ("(19,800 )").
    printed = [
        _SPACED_BRACKET_RE.sub(")", line.replace("\xa0", " ")).strip()
        for line in passage.text.splitlines()
    ]
    rows_as_printed = _unglued(printed, len(header) if header else 0)
    lines = [_LEADER_RE.sub(" ", line) for line in rows_as_printed]
    lines = [
        _RESPECTIVELY_RE.sub("", line) if "respectively" in line.lower() else line for line in lines
    ]
    # A header on one line or stacked over several ("Years Ended / December 2, / 2016 ...").
    # A column of changes after the years ("2019 2018 Increase (Decrease)", "% Change"):
    # the header is read without it, and rows give their first values to the years.
    plain = [_CHANGE_COLUMN_RE.sub("", line) if _CHANGE_RE.search(line) else line for line in lines]
    blocks = header_blocks(plain)
    headers = {last: text for _, last, text in blocks}
    changes = {
        last
        for first, last, _ in blocks
        if any(plain[i] != lines[i] for i in range(first, last + 1))
    }
    extra = 0  # the change columns after the current header's years
    skip = {i for first, last, _ in blocks for i in range(first, last + 1)}
    # The last line of words alone, and the rows under it since: an unlabelled line of
    # amounts closing a section is the section's total ("Revenues" ... "13,127,485 ..."),
    # and one right under it holds that label's amounts.
    section: tuple[int, str] | None = None
    rows = 0
    # The line item a section heading names ("Revenue:"): the rows under it that are no
    # line item of their own are its parts ("Subscription"), until its total closes it.
    parent: str | None = None
    broken: list[int] = []  # the lines of one or two words right above this one
    for index, line in enumerate(lines):
        first = index  # the row's first line
        if index in headers:
            header, broken = _columns(headers[index]), []
            extra = _MAX_CHANGE_COLUMNS if index in changes else 0
            continue
        if " | " in line or index in skip:
            broken = []
            continue
        if _WORDS_ONLY_RE.match(line):
            section, rows = (index, line.rstrip(":").strip()), 0
            parent = _label_item(section[1], named)
            unfinished = len(line.split()) <= _BROKEN_WORDS or _DANGLING_RE.search(line)
            broken = [*broken, index] if unfinished else []
            continue
        match = _TEXT_ROW_RE.match(line)
        lead, broken = broken, []
        if match is not None:
            label, values = match["label"], _VALUE_RE.findall(match["values"])
            rows += 1
            # A label the text layer breaks a word or two a line ("Net / income /
            # attributable / to / MGM / Resorts / International $ 466,772 ..."): the lines
            # above the amounts are its start when together they name a line item.
            joined = " ".join([*(lines[i] for i in lead), label])
            if (
                lead
                and _label_item(label, named) is None
                and _label_item(joined, named) is not None
            ):
                label, first = joined, lead[0]
        elif section is not None and _AMOUNTS_ONLY_RE.match(line):
            below = section[0] == index - 1
            if not below and rows < _MIN_SECTION_ROWS:
                continue
            label, values = section[1], _VALUE_RE.findall(line)
            section = None
        else:
            continue
        item = _label_item(label, named)
        if item is not None and item == parent:
            parent = None
        elif item is None:
            item = _part_named(label, parent)
        if header is None or item is None:
            continue
        if len(values) != len(header):
            if not len(header) < len(values) <= len(header) + extra:
                continue
            values = values[: len(header)]
        row = " ".join(rows_as_printed[first : index + 1])
        years = [YEAR_RE.findall(column)[-1] for column in header]
        for column, year, value in zip(header, _one_per_year(years), values, strict=True):
            text = value.strip()
            out.append(Cell(number, item, label.strip(), column, year, text, row, scale))
    return out


# The words heading a column of changes: "Increase (Decrease)", "$ Change", "% Change",
# "Variance". Only lines holding one are rewritten: the pattern's leading spaces would
# rescan a long run of them at each start on every other line.
_CHANGE_WORDS = r"\b(?:increase|decrease|change|variance)\b"
_CHANGE_RE = re.compile(_CHANGE_WORDS, re.IGNORECASE)
_CHANGE_COLUMN_RE = re.compile(rf"\s*(?:[$%]\s*)?\(?{_CHANGE_WORDS}\)?", re.IGNORECASE)
_MAX_CHANGE_COLUMNS = 2  # "$ Change" and "% Change"


# Some text layers glue a statement's rows into one line, the header's years first: "2022
# 2021 2020 Net sales $ 18,992.8 $ 18,127.0 $ 17,626.6 Cost of sales 12,590.6 ...". A zero
# may print as a dash there.
_GLUED_AMOUNT = rf"(?:{_AMOUNT}|[-–—])"
_MAX_GLUED_LINE = 2000


def _unglued(lines: Sequence[str], columns: int) -> list[str]:
    """``lines`` with each line of glued rows split into its rows, each as printed (a
    substring of the line), where the line splits exactly into labels each followed by one
    amount per column; the column count is the latest header's (``columns`` before any)."""
    out: list[str] = []
    for line in lines:
        if glued := glued_header(line):
            years, line = glued
            out.append(" ".join(years))
            columns = len(years)
        elif years := header_years(line) or []:
            columns = len(years)
        out.extend(_rows_of(line, columns))
    return out


_GLUED_TOKEN_RE = re.compile(rf"{_AMOUNT}|[-–—](?!\S)|\S+")
_DASH = frozenset("-–—")


def _rows_of(line: str, columns: int) -> list[str]:
    """``line`` split into the rows glued in it: word runs (labels) each followed by one
    amount per column, a dash counting as a zero, and perhaps a heading closing the line;
    ``[line]`` unless it tiles exactly so. Linear in the line's length."""
    if columns < 2 or len(line) > _MAX_GLUED_LINE or _TEXT_ROW_RE.match(line):
        return [line]
    tokens = list(_GLUED_TOKEN_RE.finditer(line))
    figure = [_VALUE_RE.fullmatch(t.group()) is not None or t.group() in _DASH for t in tokens]
    # A dash among words ("Cash Flows - Investing") is a word: an amount run holds a number.
    runs: list[tuple[int, int]] = []  # token index ranges of amount runs
    at = 0
    while at < len(tokens):
        if not figure[at]:
            at += 1
            continue
        end = at
        while end < len(tokens) and figure[end]:
            end += 1
        if any(tokens[k].group() not in _DASH for k in range(at, end)):
            runs.append((at, end))
        at = end
    rows, start = [], 0
    for first, end in runs:
        if end - first != columns or first == start:
            return [line]  # a run of another length, or amounts with no label
        rows.append(line[tokens[start].start() : tokens[end - 1].end()])
        start = end
    rest = line[tokens[start].start() :].strip() if start < len(tokens) else ""
    if rest and not _WORDS_ONLY_RE.match(rest):
        return [line]
    if len(rows) + bool(rest) < 2:
        return [line]
    return [*rows, rest] if rest else rows


def table_cells(sources: Sequence[Passage], named: LabelNamer | None = None) -> list[Cell]:
    """Cells of known line items in the sources' table rows, with their column's year:
    rows written as ``label | column: value`` by the table extractors, then plain-text
    statement rows under a header line of years. ``named`` names the line item of a label
    ``ITEMS`` does not know, or None."""
    out: list[Cell] = []
    for number, passage in enumerate(sources, start=1):
        out += _text_cells(number, passage, named)
        for row in passage.text.splitlines():
            cells = row.split(" | ")
            item = None
            if len(cells) >= 2:
                item = _label_item(cells[0], named)
            if item is None:
                continue
            found = []
            for cell in cells[1:]:
                match = _CELL_RE.match(cell)
                name, value = (match["name"], match["value"]) if match else ("", cell)
                try:
                    quantity(value)
                except ComputationError:
                    continue  # not one plain number ("n/a", two figures, words)
                years = YEAR_RE.findall(name)
                found.append(
                    Cell(number, item, cells[0].strip(), name.strip(),
                          years[0] if len(years) == 1 else None, value.strip(), row.strip(),
                          stated_scale(passage))
                )  # fmt: skip
            periods = _one_per_year([c.year for c in found])
            out += [dataclasses.replace(c, year=y) for c, y in zip(found, periods, strict=True)]
    return out


def _columns(line: str) -> list[str] | None:
    """A statement header line's columns: each column's year; where columns share a year,
    its span ("three months 2023", under "Three Months Ended ... Six Months Ended") or its
    full date where the dates tell them apart (a 10-Q's balance sheet: "July 29, 2023
    January 28, 2023 July 30, 2022"); None when the line is no header."""
    years = header_years(line)
    if years is None:
        return None
    spans = [span.lower() for span in SPAN_RE.findall(line)]
    if len(set(spans)) > 1 and len(years) % len(spans) == 0:
        # "Three Months Ended ... Six Months Ended ... 2023 2022 2023 2022": each span
        # heads an equal share of the columns, in order.
        share = len(years) // len(spans)
        return [f"{spans[i // share]} months {year}" for i, year in enumerate(years)]
    dates = list(DATE_RE.finditer(line))
    if [date[3] for date in dates] != years:
        return years
    named = [" ".join(date[0].split()) for date in dates]
    shared = [name for name, year in zip(named, years, strict=True) if years.count(year) > 1]
    if len(set(shared)) < len(shared):
        return years  # a quarter and the year to date ending on one day: no date tells
    pairs = zip(named, years, strict=True)
    return [name if years.count(year) > 1 else year for name, year in pairs]


# The span a column reports, where a quarter's and the year to date's columns share a
# year ("Three Months Ended", "Six months 2023": ``SPAN_RE``), as ``period`` names it.
SPAN_COLUMN_RE = re.compile(r"^(three|six|nine|twelve) months ((?:19|20)\d{2})$")
_SPANS = ("three", "six", "nine", "twelve")


def period(cell: Cell) -> str | None:
    """The period a cell's column reports: its year, the full date of a column whose year
    another column shares, or its span and year ("six months 2023", ``_columns``); None
    when none of these tells it apart."""
    if cell.year is not None:
        return cell.year
    if _column_date(cell.column):
        return cell.column
    spans, years = SPAN_RE.findall(cell.column), YEAR_RE.findall(cell.column)
    if len(spans) == 1 and len(years) == 1:
        return f"{spans[0].lower()} months {years[0]}"
    return None


def period_order(name: str) -> tuple[int, int, int]:
    """Sorts periods by time: a year as its last day, a date as itself, a span ending
    with the year after it as later the shorter it is (the quarter is the latest news)."""
    if span := SPAN_COLUMN_RE.match(name):
        return (int(span[2]), 12, 31 - _SPANS.index(span[1]))
    date = _column_date(name)
    return (date.year, date.month, date.day) if date else (int(name), 12, 31)


# How a question asks for a span: "Q2", "the second quarter", "six months", "first half".
_ASKED_SPANS = (
    (
        "three",
        re.compile(r"\bquarter(?:ly)?\b|\bQ[1-4]\b|\b[1-4]Q\b|\b(?:three|3)\s+months\b", re.I),
    ),
    (
        "six",
        re.compile(
            r"\b(?:six|6)\s+months\b|\bH[12]\b|\b(?:first|second)\s+half\b|\bhalf[-\s]year\b", re.I
        ),
    ),
    ("nine", re.compile(r"\b(?:nine|9)\s+months\b", re.I)),
)


def span_period(question: str, cells: Sequence[Cell]) -> str | None:
    """The period of the column reporting the span the question asks ("Q2 2023" -> "three
    months 2023"), in the year it names or else the latest year such columns show."""
    asked = [span for span, pattern in _ASKED_SPANS if pattern.search(question)]
    if len(asked) != 1:
        return None
    found = {p for c in cells if (p := period(c)) and p.startswith(f"{asked[0]} months ")}
    years = YEAR_RE.findall(question)
    wanted = [p for p in found if p.rsplit(" ", 1)[1] in years] if years else sorted(found)
    return max(wanted, key=period_order) if wanted else None


def _column_date(name: str) -> dt.date | None:
    match = DATE_RE.fullmatch(name)
    return date_of(match) if match else None


def dated_period(question: str, cells: Sequence[Cell]) -> str | None:
    """The period of the column dated as the question names a date ("cash as of July 29,
    2023", where the balance sheet's "January 28, 2023" column shares the year)."""
    asked = {d for m in DATE_RE.finditer(question) if (d := date_of(m))}
    return next((p for c in cells if (p := period(c)) and _column_date(p) in asked), None)


def _one_per_year(years: Sequence[str | None]) -> list[str | None]:
    """Column years, None for a year two columns share: a quarter's and the year to date's
    ("Three Months Ended July 2, 2023 ... Six Months Ended July 2, 2023"), which the year
    alone cannot tell apart."""
    return [y if y is None or years.count(y) == 1 else None for y in years]
