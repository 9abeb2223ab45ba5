"""Offline proposals of standard accounting computations from table rows of the sources.

Written from the textbook definitions (margins over revenue, liquidity ratios, turnover
over average balances, period-over-period change, averages), not from any question set.
Operands are cells of table rows as the loaders write them (``label | column: value``):
a row whose label is a known line item, in the column of the period the question names
(or the latest period when it names none). Every proposal still goes through
``assistant.compute.check``, which re-finds each operand in its source.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.arithmetic import ComputationError
from assistant.compute import SCALE_UNITS, Computation, Operand, has_own_scale, quantity
from assistant.definitions import AMOUNT, DEFINITIONS, ITEMS, OUTFLOWS, Definition
from ingest.statements import glued_header, header_blocks, header_years
from retrieval.types import Passage

_CHANGE_RE = re.compile(r"\b(growth|grow|grew|change|changed|increase|decrease|decline)", re.I)
_AVERAGE_RE = re.compile(r"\baverage\b|\bmean\b", re.I)
_PARENTHETICAL_RE = re.compile(r"\([^()]{0,80}\)|\[[^\[\]]{0,80}\]")
_YEAR_RE = re.compile(r"(?<![0-9])(?:FY\s?)?((?:19|20)\d{2})(?![0-9])", re.I)
_CELL_RE = re.compile(r"^(?P<name>[^|:]{1,120}): (?P<value>.+)$")
_LABEL_NOISE_RE = re.compile(r"\((loss|losses|deficit)\)|\btotal\b|[^a-z0-9 ]", re.I)
# An acronym in brackets restates the words before it ("property, plant and equipment (PP&E)"),
# and a bracketed qualifier says what the item includes ("Capital expenditures (including
# capitalized software)"); neither names another item.
_LABEL_ACRONYM_RE = re.compile(
    r"\(\s*[A-Z][A-Z&./ ]*\)|\(\s*(?i:including|includes|excluding|excludes|net of)\b[^()]*\)"
)
# A cash flow total named for either sign: "provided/(used) by", "provided (used) by",
# "(used in) provided by" all mean "provided by".
_EITHER_SIGN_RE = re.compile(r"\b(?:provided|used)(?: by| in)? (?:provided|used)(?: by| in)?\b")
# A plain-text statement row: a label, then two or more amounts ("$ 5,121.3", "(123)").
# Atomic amounts separated by whitespace: a digit run can never be re-split between two
# amounts, so matching stays linear however long the row.
_AMOUNT = r"(?>\(?\$?[ ]?\d[\d,]*(?:\.\d+)?\)?)"
_TEXT_ROW_RE = re.compile(
    rf"^(?P<label>[A-Za-z][A-Za-z ,'’&/()-]*?)\s+(?P<values>{_AMOUNT}(?:\s+{_AMOUNT})+)\s*$"
)
_VALUE_RE = re.compile(_AMOUNT)
# A line of amounts alone, and a line of words alone (a section heading, or a label whose
# amounts wrapped to the next line).
_AMOUNTS_ONLY_RE = re.compile(rf"^{_AMOUNT}(?:\s+{_AMOUNT})+\s*$")
_WORDS_ONLY_RE = re.compile(r"^[A-Za-z][A-Za-z ,'’&/-]{0,80}:?$")
# Dot leaders between a row's label and its amounts ("Net income ........ $ 629,551").
_LEADER_RE = re.compile(r"\s*\.{3,}\s*")
_MIN_SECTION_ROWS = 2
_BROKEN_WORDS = 2


@dataclass(frozen=True, slots=True)
class _Cell:
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
_OWN_SHARE_RE = re.compile(
    r"\s+attributable\s+to\s+(?!.*\b(?:non-?\s?controlling|minority)\b).*$", re.I
)


def _label_words(label: str) -> str:
    """A row label as ``ITEMS`` names line items: "Total revenues" -> "revenues",
    "Net income attributable to Costco" -> "net income"."""
    plain = _LABEL_ACRONYM_RE.sub(" ", _OWN_SHARE_RE.sub("", label))
    words = " ".join(_LABEL_NOISE_RE.sub(" ", plain.lower()).split())
    return _EITHER_SIGN_RE.sub("provided by", words)


def part_of(item: str, qualifier: str) -> str:
    """The key of one part of a line item ("revenue" printed as "Subscription", asked as
    "subscription revenue"): an operand name, never an ``ITEMS`` key."""
    return f"{item}__{'_'.join(re.findall(r'[a-z0-9]+', qualifier))}"


def _part_named(label: str, parent: str | None) -> str | None:
    """The part of a line item a row label names: the item's name qualified ("Deferred
    revenue", "Subscription revenue"), or the label alone under a section heading that
    names the item ("Revenue:" then "Subscription")."""
    words = _label_words(label)
    found = [
        (len(n), item, words[: -len(n)])
        for item, names in ITEMS.items()
        for n in names
        if words.endswith(f" {n}")
    ]
    if found:
        _, item, qualifier = max(found)
        return part_of(item, qualifier)
    return part_of(parent, words) if parent is not None else None


def _item_of(label: str) -> str | None:
    words = _label_words(label)
    return next((item for item, names in ITEMS.items() if words in names), None)


def _text_cells(number: int, passage: Passage) -> list[_Cell]:
    """Cells of statement rows extracted as plain text ("Total current assets 5,121.3 4,186.5"),
    their years taken from the column header line above them in the same passage (or, for a
    chunk further down a statement page, the page's header line it carries). A row is
    used only when it has exactly one number per header year (else its columns are unknown).
    """
    out: list[_Cell] = []
    # A statement page's header line, kept with chunks that start below it (ingest).
    header = header_years(passage.column_header) if passage.column_header else None
    # PDF text layers often space words with no-break spaces ("Total\xa0net\xa0revenue").
    printed = [line.replace("\xa0", " ").strip() for line in passage.text.splitlines()]
    rows_as_printed = _unglued(printed, len(header) if header else 0)
    lines = [_LEADER_RE.sub(" ", line) for line in rows_as_printed]
    # A header on one line or stacked over several ("Years Ended / December 2, / 2016 ...").
    blocks = header_blocks(lines)
    headers = {last: text for _, last, text in blocks}
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
            header, broken = header_years(headers[index]), []
            continue
        if " | " in line or index in skip:
            broken = []
            continue
        if _WORDS_ONLY_RE.match(line):
            section, rows = (index, line.rstrip(":").strip()), 0
            parent = _item_of(section[1])
            broken = [*broken, index] if len(line.split()) <= _BROKEN_WORDS else []
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
            if lead and _item_of(label) is None and _item_of(joined) is not None:
                label, first = joined, lead[0]
        elif section is not None and _AMOUNTS_ONLY_RE.match(line):
            below = section[0] == index - 1
            if not below and rows < _MIN_SECTION_ROWS:
                continue
            label, values = section[1], _VALUE_RE.findall(line)
            section = None
        else:
            continue
        item = _item_of(label)
        if item is not None and item == parent:
            parent = None
        elif item is None:
            item = _part_named(label, parent)
        if header is None or item is None or len(values) != len(header):
            continue
        row = " ".join(rows_as_printed[first : index + 1])
        for column, year, value in zip(header, _one_per_year(header), values, strict=True):
            text = value.strip()
            out.append(_Cell(number, item, label.strip(), column, year, text, row, passage.scale))
    return out


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


def table_cells(sources: Sequence[Passage]) -> list[_Cell]:
    """Cells of known line items in the sources' table rows, with their column's year:
    rows written as ``label | column: value`` by the table extractors, then plain-text
    statement rows under a header line of years."""
    out: list[_Cell] = []
    for number, passage in enumerate(sources, start=1):
        out += _text_cells(number, passage)
        for row in passage.text.splitlines():
            cells = row.split(" | ")
            item = _item_of(cells[0]) if len(cells) >= 2 else None
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
                years = _YEAR_RE.findall(name)
                found.append(
                    _Cell(number, item, cells[0].strip(), name.strip(),
                          years[0] if len(years) == 1 else None, value.strip(), row.strip(),
                          passage.scale)
                )  # fmt: skip
            periods = _one_per_year([c.year for c in found])
            out += [dataclasses.replace(c, year=y) for c, y in zip(found, periods, strict=True)]
    return out


def _one_per_year(years: Sequence[str | None]) -> list[str | None]:
    """Column years, None for a year two columns share: a quarter's and the year to date's
    ("Three Months Ended July 2, 2023 ... Six Months Ended July 2, 2023"), which the year
    alone cannot tell apart."""
    return [y if y is None or years.count(y) == 1 else None for y in years]


def _pick(cells: Sequence[_Cell], item: str, year: str | None) -> _Cell | None:
    """The first cell of ``item`` for ``year`` (any column when year is None)."""
    return next((c for c in cells if c.item == item and (year is None or c.year == year)), None)


def _operand(name: str, cell: _Cell) -> Operand:
    where = f" {cell.column}" if cell.column else ""
    return Operand(name, cell.text, cell.source, f"{cell.label}{where}", cell.row)


def _latest_year(cells: Sequence[_Cell], items: Sequence[str]) -> str | None:
    """The latest year for which every item has a cell."""
    years = [{c.year for c in cells if c.item == item and c.year} for item in items]
    common = set.intersection(*years) if years else set()
    return max(common) if common else None


def _definition(d: Definition, cells: Sequence[_Cell], asked: list[str]) -> Computation | None:
    names = sorted(set(re.findall(r"[a-z_]+(?![a-z_]*\()", d.expression)) - {"avg"})
    items = sorted({n.removeprefix("prior_") for n in names})
    year = max(asked) if asked else _latest_year(cells, items)
    if year is None and any(n.startswith("prior_") for n in names):
        return None
    operands, used = [], []
    for name in names:
        wanted = year
        if name.startswith("prior_") and year is not None:
            wanted = str(int(year) - 1)
        cell = _pick(cells, name.removeprefix("prior_"), wanted)
        if cell is None:
            return None
        operands.append(_operand(name, cell))
        used.append(cell)
    label = f"{d.measure} {year}" if year else d.measure
    unit = _amount_unit(used) if d.unit == AMOUNT else d.unit
    return Computation(label, d.expression, tuple(operands), unit)


def _amount_unit(cells: Sequence[_Cell]) -> str:
    """ "million" when every cell's statement page states its amounts in millions (and no
    cell writes a scale of its own); "" when they state none or differ."""
    scales = {c.scale for c in cells}
    if len(scales) != 1 or any(c.text.endswith("%") or has_own_scale(c.text) for c in cells):
        return ""
    return SCALE_UNITS.get(scales.pop(), "")


def _definition_average(
    d: Definition, cells: Sequence[_Cell], years: list[str]
) -> Computation | None:
    """The average of ``d`` over each year from the first to the last asked ("the FY2019 -
    FY2021 average operating margin"): the measure per year, then their mean."""
    span = [str(y) for y in range(int(min(years)), int(max(years)) + 1)]
    if not 2 <= len(span) <= 10:
        return None
    parts, operands, units = [], [], set()
    for year in span:
        one = _definition(d, cells, [year])
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


# How a question says what a statement prints as "Dividends paid".
_PAID_DIVIDENDS_RE = re.compile(
    r"\bpa(?:y|ys|id)\s+(?:out\s+)?(?:in\s+)?(?:cash\s+)?dividends\b", re.I
)


# Words that may stand right before a line item's name without making it another item:
# articles, possessives, period words, "total", "average". Any other lower-case word
# qualifies it ("subscription revenue", "deferred revenue", "adjusted net income") and
# the statement's total of the item does not answer.
_PLAIN_BEFORE_ITEM = frozenset(
    """s the its their a an this that of in on for by to from at as and was is were are did
    does much many what total net annual annually fiscal full year years yearly quarter
    quarterly consolidated reported unadjusted gaap overall group company companys worldwide
    global latest recent most current last previous prior trailing ttm ltm average mean change
    growth higher lower more less larger smaller bigger greater vs versus""".split()  # noqa: SIM905 (a word list reads better as words)
)


_NON_GAAP_RE = re.compile(r"\bnon[- ]?gaap\b", re.I)


def _asked_item(question: str) -> str | None:
    asked = _asked(question)
    return asked[0] if asked is not None else None


def _asked(question: str) -> tuple[str, str] | None:
    """The line item a question asks the figure of and the name it gives it ("revenue",
    "net sales"), or None. Lower-case words right before it that are not
    ``_PLAIN_BEFORE_ITEM`` qualify it: "subscription revenue" asks for a part of revenue
    (``part_of``), which the item's total does not answer. A capitalised word before it is
    taken for a name."""
    text = _PAID_DIVIDENDS_RE.sub("dividends paid", question)
    # "non-GAAP" qualifies an item though "GAAP" is in capitals.
    text = _NON_GAAP_RE.sub("nongaap", text)
    words = _LABEL_NOISE_RE.sub(" ", text).split()
    plain = " " + " ".join(words).lower() + " "
    found = [(len(n), n, item) for item, names in ITEMS.items() for n in names if f" {n} " in plain]
    if not found:
        return None
    _, name, item = max(found)
    before = plain[: plain.index(f" {name} ")].split()
    qualifier: list[str] = []
    for word in reversed(words[: len(before)]):
        plain_word = not word.islower() or any(c.isdigit() for c in word)
        if plain_word or word in _PLAIN_BEFORE_ITEM:
            break
        qualifier.insert(0, word)
    return (part_of(item, " ".join(qualifier)), name) if qualifier else (item, name)


def _change(question: str, cells: Sequence[_Cell], years: list[str]) -> Computation | None:
    item = _asked_item(question)
    if item is None or not years:
        return None
    current = max(years)
    prior = min(years) if len(years) > 1 else str(int(current) - 1)
    now, before = _pick(cells, item, current), _pick(cells, item, prior)
    if now is None or before is None or now.text.endswith("%") or before.text.endswith("%"):
        return None
    operands = (_operand("current", now), _operand("prior", before))
    label = f"change in {now.label.lower()} {prior} to {current}"
    return Computation(label, "(current - prior) / abs(prior) * 100", operands, "%")


def _average(question: str, cells: Sequence[_Cell], years: list[str]) -> Computation | None:
    item = _asked_item(question)
    if item is None or len(years) < 2:
        return None
    span = [str(y) for y in range(int(min(years)), int(max(years)) + 1)]
    if len(span) > 10:
        return None
    picked = [_pick(cells, item, y) for y in span]
    if any(c is None for c in picked):
        return None
    picked_cells = [c for c in picked if c is not None]
    operands = tuple(_operand(f"y{y}", c) for y, c in zip(span, picked_cells, strict=True))
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
    years = sorted(set(_YEAR_RE.findall(question)))
    # Parenthetical remarks qualify a measure, they do not name it: "D&A (from the cash
    # flow statement) % margin" names the D&A margin.
    plain = " ".join(_PARENTHETICAL_RE.sub(" ", question).split())
    named = _named(question, plain)
    for definition in named:
        if _printed(definition.pattern, sources):
            return None
        if definition.printed and any(c.item == definition.printed for c in cells):
            return None  # its row answers (``lookup``)
        # "average" that qualifies the measure asks for its mean over the years; in
        # "defined as revenue / (average total assets ...)" it belongs to an operand.
        averaged = len(years) >= 2 and any(
            re.search(rf"\b(average|mean)\b(\s+\S+){{0,3}}?\s+({definition.pattern})\b",
                      text, re.I)
            for text in (question, plain)
        )  # fmt: skip
        if averaged:
            proposal = _definition_average(definition, cells, years)
        else:
            proposal = _definition(definition, cells, years)
        if proposal is not None:
            return _as_asked(proposal, question)
    if named:
        # The question asks for a defined measure the sources lack an operand of: an
        # average or change of one of its inputs ("average revenue") would not answer it.
        return None
    if _AVERAGE_RE.search(question):
        average = _average(question, cells, years)
        return _as_asked(average, question) if average is not None else None
    if _CHANGE_RE.search(question):
        return _change(question, cells, years)
    return None


# A question asking for one figure ("What is the FY2016 COGS?", "How much capex ..."), not
# for a reason or a description of it.
# A comparison of names asks each one's figure ("Compare 3M's and Amazon's revenue").
# So do names set against each other ("Costco vs Walmart revenue") and one asking which of
# them has more ("Which had higher revenue, PepsiCo or Verizon?").
_FIGURE_ASK = re.compile(
    r"^\s*(what\s+(is|was|were|are)\b|how\s+much\b|compare\b)|\bcompared?\s+(with|to)\b"
    r"|(?<![\w.])(vs\.?|versus)(?![\w.])"
    r"|^\s*(which|who)\b[^?]{0,60}?\b(higher|lower|more|less|larger|smaller|bigger|greater)\b",
    re.I,
)
_WHY = re.compile(r"\b(why|drove|drive[sn]?|drivers?|reasons?|cause[sd]?|explain|describe)\b", re.I)


def lookup(ask: str, sources: Sequence[Passage]) -> Operand | None:
    """The statement row of the one line item ``ask`` asks the figure of, in the column of
    the year it names (the latest when it names none), or None: the row an answer quotes
    when the figure is printed. ``ask`` is the asking sentence (``extractive.focus``)."""
    found = lookup_years(ask, sources)
    return found[0] if len(found) == 1 else None


_MAX_YEARS_ASKED = 5


def printed_row(ask: str, sources: Sequence[Passage]) -> Operand | None:
    """The row of the line item asked where the year asked heads two of its columns (a
    quarter's and the year to date's): worth quoting, though no column can be restated."""
    found = lookup_years(ask, sources, shared_years=True)
    return found[0] if len(found) == 1 else None


def lookup_years(
    ask: str, sources: Sequence[Passage], *, shared_years: bool = False
) -> tuple[Operand, ...]:
    """``lookup``, also for a figure asked in several years ("net income in fiscal 2018
    compared to fiscal 2020"): one operand per year, oldest first, all from one row; empty
    when any year's column is missing. ``shared_years`` looks in the columns whose year
    another column shares instead (``printed_row``)."""
    if _WHY.search(ask) or _CHANGE_RE.search(ask):
        return ()
    if _AVERAGE_RE.search(ask) or any(not d.printed for d in _named(ask, ask)):
        return ()  # a computation's question, not a lookup
    asked = _asked(ask)
    if asked is None:
        return ()
    item, name = asked
    if not _FIGURE_ASK.search(ask) and not _keywords(ask, name):
        return ()
    cells = [c for c in table_cells(sources) if c.item == item]
    # The row printed under the name asked, where one is: "revenue" asks for "Total
    # revenue" (membership fees included), not the "Net sales" line above it.
    singular = name.removesuffix("s")
    cells = [c for c in cells if _label_words(c.label).removesuffix("s") == singular] or cells
    # And the company's own share where a statement prints it beside the consolidated
    # figure: net income "attributable to MGM Resorts", not the total with minorities'.
    cells = [c for c in cells if _OWN_SHARE_RE.search(c.label)] or cells
    years = sorted(set(_YEAR_RE.findall(ask)))
    if len(years) > _MAX_YEARS_ASKED:
        return ()
    if len(years) > 1 and not shared_years:
        # Each year's column of one printed row, the row that holds the first year asked.
        first = _pick(cells, item, years[0])
        row = [
            c for c in cells if first is not None and (c.source, c.row) == (first.source, first.row)
        ]
        picked = [_pick(row, item, year) for year in years]
        return tuple(_operand(item, c) for c in picked if c is not None) if all(picked) else ()
    if shared_years:
        cells = [
            dataclasses.replace(c, year=named[0])
            for c in cells
            if c.year is None and len(named := _YEAR_RE.findall(c.column)) == 1
        ]
    year = years[0] if years else _latest_year(cells, [item])
    cell = _pick(cells, item, year)
    return (_operand(item, cell),) if cell is not None else ()


# Words a question typed as keywords may hold besides names, periods and the line item.
_KEYWORD_WORDS = _PLAIN_BEFORE_ITEM | {"end", "ended", "ending", "fy", "year-end"}


def _keywords(ask: str, name: str) -> bool:
    """A question typed as keywords: the line item, names, periods and nothing else
    ("Nike revenue fiscal 2023", "Costco and Walmart net income in fiscal 2021"); it
    asks the figure as "What was ..." would. "Nike revenue outlook" asks something else."""
    words = _LABEL_NOISE_RE.sub(" ", _PAID_DIVIDENDS_RE.sub("dividends paid", ask)).split()
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
    An outflow (``OUTFLOWS``) is restated as the amount spent: "(1,577)" is 1,577.
    A bare statement row says neither; None when the page states no scale."""
    stated = SCALE_UNITS.get(sources[row.source - 1].scale, "")
    if not stated or has_own_scale(row.text):
        return None
    asked = _ASKED_SCALE.search(question)
    unit = SCALE_UNITS[asked[1].lower()] if asked else stated
    # An outflow is stated as the amount spent, not as the statement's bracketed sign.
    expression = f"abs({row.name})" if row.name in OUTFLOWS else row.name
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


def _named(question: str, plain: str) -> list[Definition]:
    """The definitions of the measure the question names first: a question that asks for
    the cash conversion cycle and then defines DIO, DSO and DPO asks for the cycle."""
    found: list[tuple[tuple[int, int], int, Definition]] = []
    for order, definition in enumerate(DEFINITIONS):
        pattern = re.compile(rf"\b({definition.pattern})\b", re.I)
        # Where it is named outside parentheses first; named only inside them, after all.
        outside, anywhere = pattern.search(plain), pattern.search(question)
        if match := outside or anywhere:
            found.append(((0 if outside else 1, match.start()), order, definition))
    if not found:
        return []
    first = min(found, key=lambda f: (f[0], f[1]))[2].measure
    return [d for _, _, d in sorted(found, key=lambda f: f[1]) if d.measure == first]


def _printed(pattern: str, sources: Sequence[Passage]) -> bool:
    """A table row labelled with the measure itself (e.g. "Gross margin | 2025: 46.8%")."""
    label = re.compile(rf"^\s*(adjusted\s+)?({pattern})\b[^|]*\|", re.I | re.M)
    return any(label.search(p.text) for p in sources)
