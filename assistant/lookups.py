"""The figure a question asks that a statement prints: the row of the one line item
asked, in the column of the period asked (``lookup``, ``lookup_years``), and that row
restated with the year of its column and the scale its page states (``restated``).

What is computed from several rows is ``assistant.formulas``'; both read the same cells
(``assistant.statement_rows``), and every figure still goes through
``assistant.compute.check``, which re-finds it in its source.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from decimal import Decimal

from assistant.arithmetic import ComputationError
from assistant.asked_items import (
    PLAIN_BEFORE_ITEM,
    WHY_RE,
    asked_line_item,
    named_measures,
    named_part,
    question_words,
)
from assistant.compute import (
    SCALE_UNITS,
    Computation,
    Operand,
    has_own_scale,
    quantity,
    stated_scale,
)
from assistant.definitions import OUTFLOWS, PER_SHARE
from assistant.formulas import (
    ASKED_SCALE,
    AVERAGE_RE,
    CHANGE_RE,
    RATIO_ASK_RE,
    as_asked,
    latest_year,
    operand_of,
    pick_cell,
)
from assistant.reported import calendar_dated, reported_period
from assistant.statement_rows import (
    OWN_SHARE_RE,
    Cell,
    dated_period,
    label_words,
    part_of,
    period,
    span_period,
    table_cells,
)
from ingest.statements import YEAR_RE
from retrieval.periods import QUARTERLY_RE
from retrieval.statements import FORWARD_RE
from retrieval.types import Passage

FIGURE_ASK = re.compile(
    r"^\s*(what\s+(is|was|were|are)\b|how\s+(much|large|big|high|low)\b|compare\b)"
    r"|^\s*(please\s+)?(give|show|tell|get|find|pull)\s+(me|us)\b(?!\s+(about|more|why|how)\b)"
    r"|\bcompared?\s+(with|to)\b"
    r"|(?<![\w.])(vs\.?|versus)(?![\w.])"
    r"|^\s*(which|who)\b[^?]{0,60}?\b(higher|lower|more|less|larger|smaller|bigger|greater)\b"
    r"|\b(higher|lower|more|less|larger|smaller|bigger|greater)\b[^?]{0,40}?\bthan\b",
    re.I,
)


def lookup(ask: str, sources: Sequence[Passage]) -> Operand | None:
    """The statement row of the one line item ``ask`` asks the figure of, in the column of
    the year it names (the latest when it names none), or None: the row an answer quotes
    when the figure is printed. ``ask`` is the asking sentence (``sentences.focus``)."""
    found = lookup_years(ask, sources)
    return found[0] if len(found) == 1 else None


_MAX_YEARS_ASKED = 5


def printed_row(ask: str, sources: Sequence[Passage]) -> Operand | None:
    """The row of the line item asked where the year asked heads two of its columns (a
    quarter's and the year to date's): worth quoting, though no column can be restated."""
    found = lookup_years(ask, sources, shared_years=True)
    return found[0] if len(found) == 1 else None


def asked_figure(ask: str) -> tuple[str, str] | None:
    """The one printed line item ``ask`` asks the figure of and the name it gives it
    (``asked_line_item``), or None: for a reason, a change, an average, a defined measure
    to compute or a ratio no definition knows ("debt to equity": never one operand)."""
    if WHY_RE.search(ask) or CHANGE_RE.search(ask) or FORWARD_RE.search(ask):
        return None  # a guided figure ("guidance for 2023 capex") is no statement row
    measures = named_measures(ask, ask)
    if AVERAGE_RE.search(ask) or any(not d.printed for d in measures):
        return None  # a computation's question, not a lookup
    asked = asked_line_item(ask)
    # An amount per share is a line item of its own ("diluted earnings per share"): its
    # name is no ratio asked.
    rest = ask
    if asked is not None and asked[0].split("__")[0] in PER_SHARE:
        rest = re.sub(rf"\b{re.escape(asked[1])}\b", " ", ask, flags=re.I)
    if RATIO_ASK_RE.search(rest) and not measures:
        return None
    if asked is None or (not FIGURE_ASK.search(ask) and not _keywords(ask, asked[1])):
        return None
    return asked


def lookup_years(
    ask: str, sources: Sequence[Passage], *, shared_years: bool = False
) -> tuple[Operand, ...]:
    """``lookup``, also for a figure asked in several years ("net income in fiscal 2018
    compared to fiscal 2020"): one operand per year, oldest first, all from one row; empty
    when any year's column is missing. ``shared_years`` looks in the columns whose year
    another column shares instead (``printed_row``)."""
    asked = asked_figure(ask)
    if asked is None:
        return ()
    item, name = asked
    every = table_cells(sources)
    cells = [c for c in every if c.item == item]
    if not cells and item in PER_SHARE:
        # "EPS" unqualified, where the statement prints basic and diluted only: diluted is
        # the figure quoted as a company's EPS (the label says which was taken).
        item = f"{item}__diluted"
        cells = [c for c in every if c.item == item]
    if (part := _part_cells(ask, item, every)) is not None:
        item, cells = part  # "Amazon's AWS operating income": the AWS row under it
    if item == "total_assets":
        cells = _balanced(cells, every)
    if _PART_OF_YEAR_RE.search(ask):
        # A quarter or half asked: an annual report's year column is not its figure.
        cells = [c for c in cells if _shows_part_of_year(sources[c.source - 1])]
    # The row printed under the name asked, where one is: "revenue" asks for "Total
    # revenue" (membership fees included), not the "Net sales" line above it.
    singular = name.removesuffix("s")
    cells = [c for c in cells if label_words(c.label).removesuffix("s") == singular] or cells
    # And the company's own share where a statement prints it beside the consolidated
    # figure: net income "attributable to MGM Resorts", not the total with minorities'.
    cells = [c for c in cells if OWN_SHARE_RE.search(c.label)] or cells
    years = sorted(set(YEAR_RE.findall(ask)))
    if len(years) > _MAX_YEARS_ASKED:
        return ()
    if not shared_years and (reported := reported_period(ask, cells, sources)) is not None:
        # The fiscal period asked, in a filing that names its years apart from the
        # calendar: "Q2 FY2024" is its column dated July 2023.
        mine = [c for c in cells if c.source in reported.sources]
        if (cell := pick_cell(mine, item, reported.period)) is not None:
            found = operand_of(item, cell)
            return (dataclasses.replace(found, label=f"{found.label} ({reported.asked})"),)
    # There, the year asked heading a dated column names another period.
    cells = [c for c in cells if not calendar_dated(ask, c, sources)]
    if len(years) > 1 and not shared_years:
        # Each year's column of one printed row, the row that holds the first year asked.
        first = pick_cell(cells, item, years[0])
        row = [
            c for c in cells if first is not None and (c.source, c.row) == (first.source, first.row)
        ]
        picked = [pick_cell(row, item, year) for year in years]
        return tuple(operand_of(item, c) for c in picked if c is not None) if all(picked) else ()
    if shared_years:
        cells = [
            dataclasses.replace(c, year=named[0])
            for c in cells
            if c.year is None and len(named := YEAR_RE.findall(c.column)) == 1
        ]
    asked_period = dated_period(ask, cells) or span_period(ask, cells)
    year = asked_period or (years[0] if years else latest_year(cells, [item]))
    cell = pick_cell(cells, item, year)
    return (operand_of(item, cell),) if cell is not None else ()


def _part_cells(ask: str, item: str, cells: Sequence[Cell]) -> tuple[str, list[Cell]] | None:
    """The key and cells of the part of ``item`` the question names before it
    (``named_part``: "AWS" in "Amazon's AWS operating income"), where a statement prints
    it as a row under the item's heading; the longest run of the name's last words that
    one does ("Las Vegas Strip" of "MGM Las Vegas Strip"). None when none is printed."""
    named = named_part(ask)
    words = named.split() if named else []
    for start in range(len(words)):
        key = part_of(item, " ".join(words[start:]).lower())
        found = [c for c in cells if c.item == key]
        if found:
            return key, found
    return None


# "Total liabilities and equity" (or stockholders' or shareholders' equity), as read.
_LIABILITIES_AND_EQUITY = part_of("total_equity", "liabilities and")


def _balanced(assets: Sequence[Cell], cells: Sequence[Cell]) -> list[Cell]:
    """The total-assets cells a balance sheet's other side agrees with: where the sources
    print total liabilities and equity for a period, a total assets of another amount in
    that period is a sub-table's (the assets of consolidated VIEs, a segment's), not the
    company's."""
    sides: dict[str | None, set[Decimal]] = {}
    for cell in cells:
        if cell.item == _LIABILITIES_AND_EQUITY and (amount := _amount(cell)) is not None:
            sides.setdefault(period(cell), set()).add(amount)
    return [c for c in assets if period(c) not in sides or _amount(c) in sides[period(c)]]


def _amount(cell: Cell) -> Decimal | None:
    try:
        return quantity(cell.text)
    except ComputationError:
        return None


# Words a question typed as keywords may hold besides names, periods and the line item.
_KEYWORD_WORDS = PLAIN_BEFORE_ITEM | {"end", "ended", "ending", "fy", "year-end"}


# A period shorter than a year, asked ("Q4 2022", "the second quarter", "six months")
# or shown by a source (its statement's header, or a quarterly report's title).
_PART_OF_YEAR_RE = re.compile(rf"{QUARTERLY_RE.pattern}|\b(?:3|6|9)\s+months\b", re.I)
_SHOWN_PART_OF_YEAR_RE = re.compile(
    rf"{_PART_OF_YEAR_RE.pattern}|\b10-Q\b|\b(?:13|26|39|thirteen|twenty-six|thirty-nine)"
    r"[\s-]+weeks?\b",
    re.I,
)


def _shows_part_of_year(source: Passage) -> bool:
    return any(
        _SHOWN_PART_OF_YEAR_RE.search(text)
        for text in (source.text, source.column_header, source.title)
    )


def _keywords(ask: str, name: str) -> bool:
    """A question typed as keywords: the line item, names, periods and nothing else
    ("Nike revenue fiscal 2023", "Costco and Walmart net income in fiscal 2021"); it
    asks the figure as "What was ..." would. "Nike revenue outlook" asks something else."""
    words = question_words(ask)
    lower, span = [w.lower() for w in words], name.split()
    at = next((i for i in range(len(words)) if lower[i : i + len(span)] == span), None)
    if at is None:
        return False
    rest = words[:at] + words[at + len(span) :]
    return all(not w.islower() or any(c.isdigit() for c in w) or w in _KEYWORD_WORDS for w in rest)


def restated(row: Operand, question: str, sources: Sequence[Passage]) -> Computation | None:
    """``row``'s figure with the year of its column and the scale its page states ("Total
    assets 2023 = $ 220,168 = 220,168.00 million"; "(in millions)" in the label when the
    question asks for millions), or converted to the scale asked when the page states
    another (thousands asked in millions: ``check`` verifies and applies the conversion).
    An outflow or cost (``OUTFLOWS``) is restated as the amount spent: "(1,577)" is 1,577.
    A bare statement row says neither; None when the page states no scale."""
    if row.name.split("__")[0] in PER_SHARE:
        # "Diluted $ 9.68" under "Earnings per share:": dollars per share, whatever scale
        # the page states for its other amounts.
        return Computation(f"EPS {row.label}", row.name, (row,), "")
    stated = SCALE_UNITS.get(stated_scale(sources[row.source - 1]), "")
    if not stated or has_own_scale(row.text):
        return None
    asked = ASKED_SCALE.search(question)
    unit = SCALE_UNITS[asked[1].lower()] if asked else stated
    # An outflow is stated as the amount spent, not as the statement's bracketed sign.
    bracketed = row.text.lstrip("$ ").startswith(("(", "-"))
    expression = f"abs({row.name})" if row.name in OUTFLOWS and bracketed else row.name
    if unit != stated:
        return Computation(
            row.label, expression, (row,), unit, scale_asked=True, converted_from=stated
        )
    return as_asked(Computation(row.label, expression, (row,), stated), question)
