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

from assistant.asked_items import (
    WHY_RE,
    asked_item,
    less_item,
    named_measures,
    without_parentheticals,
)
from assistant.compute import (
    SCALE_UNITS,
    Computation,
    Operand,
    has_own_scale,
)
from assistant.definitions import AMOUNT, Definition
from assistant.reported import calendar_dated, reported_period
from assistant.statement_rows import (
    OWN_SHARE_RE,
    Cell,
    dated_period,
    period,
    period_order,
    span_period,
    table_cells,
)
from ingest.statements import YEAR_RE
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
            return as_asked(proposal, question)
    if named:
        # The question asks for a defined measure the sources lack an operand of: an
        # average or change of one of its inputs ("average revenue") would not answer it.
        return None
    if AVERAGE_RE.search(question):
        average = _average(question, cells, years)
        return as_asked(average, question) if average is not None else None
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
ASKED_SCALE = re.compile(
    r"\bin\s+(?:[A-Z]{3}\s+|US\$\s*|\$\s*)?(thousands|millions|billions)\b", re.I
)


def as_asked(proposal: Computation, question: str) -> Computation:
    """Marks an amount whose scale the question asks for ("Answer in USD millions")."""
    unit = proposal.unit
    if unit not in SCALE_UNITS.values():
        return proposal
    asked = ASKED_SCALE.search(question)
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
