"""Offline proposals of standard accounting computations from table rows of the sources.

Written from the textbook definitions (margins over revenue, liquidity ratios, turnover
over average balances, period-over-period change, averages), not from any question set.
Operands are cells of statement rows (``assistant.statement_rows``): a row whose label is
a known line item, in the column of the period the question names (or the latest period
when it names none). Every proposal still goes through
``assistant.compute.check``, which re-finds each operand in its source.
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
    asked_item,
    asked_line_item,
    less_item,
    named_measures,
    named_part,
    question_words,
    without_parentheticals,
)
from assistant.compute import (
    SCALE_UNITS,
    Computation,
    Operand,
    has_own_scale,
    quantity,
    stated_scale,
)
from assistant.definitions import AMOUNT, OUTFLOWS, PER_SHARE, Definition
from assistant.reported import calendar_dated, reported_period
from assistant.statement_rows import (
    OWN_SHARE_RE,
    Cell,
    dated_period,
    label_words,
    part_of,
    period,
    period_order,
    span_period,
    table_cells,
)
from ingest.statements import YEAR_RE
from retrieval.periods import QUARTERLY_RE
from retrieval.types import Passage

# A ratio, a share of another figure, or an amount per share is asked: one line item's
# figure does not answer it.
RATIO_ASK_RE = re.compile(
    r"\bratios?\b|\bpercent(?:age)?\b|%|\bmargins?\b|\bturnover\b|\bcoverage\b|"
    r"\bmultiples?\b|\bper\s+(?:common\s+|diluted\s+|basic\s+)?share\b|"
    r"\bas\s+a\s+(?:share|proportion|fraction)\s+of\b",
    re.I,
)
CHANGE_RE = re.compile(r"\b(growth|grow|grew|change|changed|increase|decrease|decline)", re.I)
AVERAGE_RE = re.compile(r"\baverage\b|\bmean\b", re.I)


def pick_cell(cells: Sequence[Cell], item: str, year: str | None) -> Cell | None:
    """The first cell of ``item`` for ``year``, a period as ``period`` names it (a year, a
    column's date, a span and year); any column when year is None. The company's own share
    comes first where a statement prints it beside the consolidated figure: a payout ratio
    divides by net income "attributable to PepsiCo", not by the total with minorities'."""
    found = [c for c in cells if c.item == item and (year is None or period(c) == year)]
    return next((c for c in found if OWN_SHARE_RE.search(c.label)), found[0] if found else None)


def operand_of(name: str, cell: Cell) -> Operand:
    where = f" {cell.column}" if cell.column else ""
    return Operand(name, cell.text, cell.source, f"{cell.label}{where}", cell.row)


def latest_year(cells: Sequence[Cell], items: Sequence[str]) -> str | None:
    """The latest period (``period``: a year, a column's date, a span and year) for which
    every item has a cell. A balance sheet dated "July 29, 2023 January 28, 2023 July 30,
    2022" is latest in its first column, not in the only column its year alone names."""
    found = [{p for c in cells if c.item == item and (p := period(c))} for item in items]
    common = set.intersection(*found) if found else set()
    return max(common, key=period_order) if common else None


def measure_in(
    d: Definition, cells: Sequence[Cell], asked: list[str], dated: str | None = None
) -> Computation | None:
    """``d`` computed in the period asked: a column dated as the question names a date
    (``dated``), else the latest year asked, else the latest period of every operand."""
    names = sorted(set(re.findall(r"[a-z_]+(?![a-z_]*\()", d.expression)) - {"avg"})
    items = sorted({n.removeprefix("prior_") for n in names})
    year = dated or (max(asked) if asked else latest_year(cells, items))
    prior = any(n.startswith("prior_") for n in names)
    if prior and (year is None or not year.isdigit()):
        return None
    operands, used = [], []
    for name in names:
        wanted = year
        if name.startswith("prior_") and year is not None:
            wanted = str(int(year) - 1)
        cell = pick_cell(cells, name.removeprefix("prior_"), wanted)
        if cell is None:
            return None
        operands.append(operand_of(name, cell))
        used.append(cell)
    label = f"{d.measure} {year}" if year else d.measure
    unit = _amount_unit(used) if d.unit == AMOUNT else d.unit
    expression = d.expression
    for operand, cell in zip(operands, used, strict=True):
        if _deducted(cell):
            expression = re.sub(rf"\b{operand.name}\b", f"abs({operand.name})", expression)
    return Computation(label, expression, tuple(operands), unit)


# A tax line printed in brackets as the statement deducts it ("Provision for income taxes
# (2,374)") is an expense; one whose label gives the sign ("Income tax (expense)/benefit
# (31)") keeps it: a benefit is a benefit.
_DEDUCTED_ITEMS = frozenset({"income_tax"})
_SIGNED_LABEL_RE = re.compile(r"\bbenefits?\b|\(\s*expense\s*\)", re.IGNORECASE)


def _deducted(cell: Cell) -> bool:
    bracketed = cell.text.lstrip("$ ").startswith("(")
    return cell.item in _DEDUCTED_ITEMS and bracketed and not _SIGNED_LABEL_RE.search(cell.label)


def _amount_unit(cells: Sequence[Cell]) -> str:
    """ "million" when every cell's statement page states its amounts in millions (and no
    cell writes a scale of its own); "" when they state none or differ."""
    scales = {c.scale for c in cells}
    if len(scales) != 1 or any(c.text.endswith("%") or has_own_scale(c.text) for c in cells):
        return ""
    return SCALE_UNITS.get(scales.pop(), "")


def _definition_average(
    d: Definition, cells: Sequence[Cell], years: list[str]
) -> Computation | None:
    """The average of ``d`` over each year from the first to the last asked ("the FY2019 -
    FY2021 average operating margin"): the measure per year, then their mean."""
    span = [str(y) for y in range(int(min(years)), int(max(years)) + 1)]
    if not 2 <= len(span) <= 10:
        return None
    parts, operands, units = [], [], set()
    for year in span:
        one = measure_in(d, cells, [year])
        if one is None:
            return None
        units.add(one.unit)
        expression = d.expression
        for operand in sorted(one.operands, key=lambda o: -len(o.name)):
            expression = re.sub(rf"\b{operand.name}\b", f"{operand.name}_{year}", expression)
            operands.append(dataclasses.replace(operand, name=f"{operand.name}_{year}"))
        parts.append(f"({expression})")
    label = f"average {d.measure} {span[0]}-{span[-1]}"
    unit = units.pop() if len(units) == 1 else ""
    return Computation(label, f"avg({', '.join(parts)})", tuple(operands), unit)


def _change(question: str, cells: Sequence[Cell], years: list[str]) -> Computation | None:
    item = asked_item(question)
    if item is None or not years:
        return None
    current = max(years)
    prior = min(years) if len(years) > 1 else str(int(current) - 1)
    now, before = pick_cell(cells, item, current), pick_cell(cells, item, prior)
    if now is None or before is None or now.text.endswith("%") or before.text.endswith("%"):
        return None
    operands = (operand_of("current", now), operand_of("prior", before))
    label = f"change in {now.label.lower()} {prior} to {current}"
    return Computation(label, "(current - prior) / abs(prior) * 100", operands, "%")


def _average(question: str, cells: Sequence[Cell], years: list[str]) -> Computation | None:
    item = asked_item(question)
    if item is None or len(years) < 2:
        return None
    span = [str(y) for y in range(int(min(years)), int(max(years)) + 1)]
    if len(span) > 10:
        return None
    picked = [pick_cell(cells, item, y) for y in span]
    if any(c is None for c in picked):
        return None
    picked_cells = [c for c in picked if c is not None]
    operands = tuple(operand_of(f"y{y}", c) for y, c in zip(span, picked_cells, strict=True))
    unit = "%" if all(o.text.endswith("%") for o in operands) else _amount_unit(picked_cells)
    expression = f"avg({', '.join(o.name for o in operands)})"
    return Computation(f"average {item.replace('_', ' ')} {span[0]}-{span[-1]}",
                       expression, operands, unit)  # fmt: skip


def propose(question: str, sources: Sequence[Passage]) -> Computation | None:
    """A computation the question asks for, from the sources' table rows, or None.

    Nothing is proposed when a source already prints the asked measure as a row (its
    quote answers), or when any operand is missing for the period asked.
    """
    cells = table_cells(sources)
    if not cells:
        return None
    years = sorted(set(YEAR_RE.findall(question)))
    # Parenthetical remarks qualify a measure, they do not name it: "D&A (from the cash
    # flow statement) % margin" names the D&A margin.
    plain = without_parentheticals(question)
    named = named_measures(question, plain)
    for definition in named:
        if row_answers(definition, cells, sources):
            return None
        # "average" that qualifies the measure asks for its mean over the years; in
        # "defined as revenue / (average total assets ...)" it belongs to an operand.
        averaged = len(years) >= 2 and any(
            re.search(rf"\b(average|mean)\b(\s+\S+){{0,3}}?\s+({definition.pattern})\b",
                      text, re.I)
            for text in (question, plain)
        )  # fmt: skip
        definition = less_item(definition, plain)
        if averaged:
            proposal = _definition_average(definition, cells, years)
        else:
            reported = reported_period(question, cells, sources)
            if reported is not None:
                proposal = measure_in(definition, cells, years, reported.period)
            else:
                plain_cells = [c for c in cells if not calendar_dated(question, c, sources)]
                asked = dated_period(question, plain_cells) or span_period(question, plain_cells)
                proposal = measure_in(definition, plain_cells, years, asked)
        if proposal is not None:
            return _as_asked(proposal, question)
    if named:
        # The question asks for a defined measure the sources lack an operand of: an
        # average or change of one of its inputs ("average revenue") would not answer it.
        return None
    if AVERAGE_RE.search(question):
        average = _average(question, cells, years)
        return _as_asked(average, question) if average is not None else None
    if CHANGE_RE.search(question) and not WHY_RE.search(question):
        # "What drove the increase in inventories?" asks for a reason, not the increase.
        return _change(question, cells, years)
    return None


# A question asking for one figure ("What is the FY2016 COGS?", "How much capex ...",
# "Give me Walmart's FY2019 capex"), not for a reason or a description of it.
# A comparison of names asks each one's figure ("Compare 3M's and Amazon's revenue").
# So do names set against each other ("Costco vs Walmart revenue"), one asking which of
# them has more ("Which had higher revenue, PepsiCo or Verizon?") and one set against
# another ("Was Amazon's revenue higher than Walmart's?").
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
    if WHY_RE.search(ask) or CHANGE_RE.search(ask):
        return None
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


_ASKED_SCALE = re.compile(
    r"\bin\s+(?:[A-Z]{3}\s+|US\$\s*|\$\s*)?(thousands|millions|billions)\b", re.I
)


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
    asked = _ASKED_SCALE.search(question)
    unit = SCALE_UNITS[asked[1].lower()] if asked else stated
    # An outflow is stated as the amount spent, not as the statement's bracketed sign.
    bracketed = row.text.lstrip("$ ").startswith(("(", "-"))
    expression = f"abs({row.name})" if row.name in OUTFLOWS and bracketed else row.name
    if unit != stated:
        return Computation(
            row.label, expression, (row,), unit, scale_asked=True, converted_from=stated
        )
    return _as_asked(Computation(row.label, expression, (row,), stated), question)


def _as_asked(proposal: Computation, question: str) -> Computation:
    """Marks an amount whose scale the question asks for ("Answer in USD millions")."""
    unit = proposal.unit
    if unit not in SCALE_UNITS.values():
        return proposal
    asked = _ASKED_SCALE.search(question)
    return dataclasses.replace(
        proposal, scale_asked=asked is not None and SCALE_UNITS[asked[1].lower()] == unit
    )


def printed_label(pattern: str) -> re.Pattern[str]:
    """The start of a table row labelled with the measure itself ("Gross margin | 2025:
    46.8%", or its adjusted figure), on any line of a text."""
    return re.compile(rf"^\s*(adjusted\s+)?({pattern})\b[^|]*\|", re.I | re.M)


def printed_measure(pattern: str, sources: Sequence[Passage]) -> bool:
    """A table row labelled with the measure itself (e.g. "Gross margin | 2025: 46.8%")."""
    label = printed_label(pattern)
    return any(label.search(p.text) for p in sources)


def row_answers(definition: Definition, cells: Sequence[Cell], sources: Sequence[Passage]) -> bool:
    """A source prints the measure as a row, or the statement line item that states it
    (``Definition.printed``): its quote or ``lookup`` answers, nothing is computed."""
    if printed_measure(definition.pattern, sources):
        return True
    return bool(definition.printed) and any(c.item == definition.printed for c in cells)
