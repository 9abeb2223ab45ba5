"""A defined measure's course over the years: the measure computed in each year shown.

"Are Best Buy's gross margins historically consistent?" or "Does it have an improving
operating margin profile as of FY2022?" ask how a measure moved, not its value in one
year. The statements show three years side by side, so the measure is computed in each
(``assistant.formulas.measure_in``, the same accounting definitions and verified operands)
and the reader sees the course: "gross margin 2021 = ...", "... 2022 = ...", "... 2023".
With two or more years asked, the years from the first to the last asked; with one, it
and the years before it; with none, the latest years every operand shows.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Sequence

from assistant.asked_items import less_item, named_measures, without_parentheticals
from assistant.compute import POINTS, Computation, check
from assistant.formulas import AVERAGE_RE, measure_in, printed_label, row_answers
from assistant.sentences import sentences
from assistant.statement_rows import period, table_cells
from ingest.statements import YEAR_RE
from retrieval.types import Passage

# Words that ask how a measure moved over time.
_TREND_RE = re.compile(
    r"\b(?:historical(?:ly)?|trend(?:s|ed|ing)?|consistent(?:ly)?|fluctuat\w*|stable|"
    r"volatil\w*|improv(?:e|es|ed|ing|ement)|deteriorat\w*|(?:each|every)\s+year|"
    r"over\s+(?:the\s+)?(?:past|last)\s+(?:few|several|two|three|four|five|\d)\s+years)\b",
    re.I,
)
TREND_YEARS = 3  # the years a 10-K's income statement shows side by side
_MAX_SPAN = 5


def asks_trend(question: str) -> bool:
    """Whether ``question`` asks how a measure moved over the years (not its mean)."""
    # "average" asks for one mean over the years (``formulas.propose``), not their course.
    return _TREND_RE.search(question) is not None and AVERAGE_RE.search(question) is None


def printed_course(question: str, sources: Sequence[Passage]) -> tuple[int, str] | None:
    """For a course asked of a measure some table prints as a row ("EBITDA margin |
    FY2023A: 25.0% | FY2024A: 27.0% | ..."), that row, which shows every year: its source
    (1-based) and its text as the answerer quotes it; None otherwise."""
    if not asks_trend(question):
        return None
    named = named_measures(question, without_parentheticals(question))
    if not named:
        return None
    label = printed_label(named[0].pattern)
    for number, passage in enumerate(sources, start=1):
        for row in sentences(passage.text):
            if label.match(row):
                return number, row
    return None


def trend(question: str, sources: Sequence[Passage]) -> tuple[Computation, ...]:
    """The measure the question names, computed in each year of its course (oldest
    first), or () when it asks no course, names no defined measure, a source prints the
    measure itself, or fewer than two years have every operand."""
    if not asks_trend(question):
        return ()
    plain = without_parentheticals(question)
    named = named_measures(question, plain)
    cells = table_cells(sources)
    asked = sorted({int(y) for y in YEAR_RE.findall(question)})
    if not named or not cells or (asked and asked[-1] - asked[0] >= _MAX_SPAN):
        return ()
    if len(asked) >= 2:
        years = [str(y) for y in range(asked[0], asked[-1] + 1)]
    else:
        shown = sorted({int(p) for c in cells if (p := period(c)) and p.isdigit()})
        years = [str(y) for y in shown if not asked or y <= asked[0]][-TREND_YEARS:]
    # Each definition of the measure in turn, as ``formulas.propose`` tries them: gross
    # margin from gross profit, else from revenue less cost of sales.
    for definition in (less_item(d, plain) for d in named):
        if row_answers(definition, cells, sources):
            return ()  # its printed row answers
        dated = [(y, m) for y in years if (m := measure_in(definition, cells, [y])) is not None]
        found = tuple(m for _, m in dated)
        # Every year asked, or at least two of the years shown.
        if len(found) >= 2 and (len(asked) < 2 or len(found) == len(years)):
            return found + _changes(definition.measure, dated, sources)
    return ()


def _changes(
    measure: str, dated: Sequence[tuple[str, Computation]], sources: Sequence[Passage]
) -> tuple[Computation, ...]:
    """A percentage's change from each year to the next, in points, over the same quoted
    operands ("gross margin change 2022 to 2023 = 9,912 / 46,298 * 100 - 11,640 / 51,761 *
    100 = -1.1 percentage points"): whether it fluctuated is read from these. Only changes
    that verify are kept."""
    out = []
    for (before, old), (after, new) in itertools.pairwise(dated):
        if old.unit != "%" or new.unit != "%":
            return ()
        a, b = _suffixed(new, after), _suffixed(old, before)
        change = Computation(
            f"{measure} change {before} to {after}",
            f"({a.expression}) - ({b.expression})",
            a.operands + b.operands,
            POINTS,
        )
        if check(change, sources).ok:
            out.append(change)
    return tuple(out)


def _suffixed(computation: Computation, year: str) -> Computation:
    """``computation`` with each operand's name ending in ``_year``, so two years' operands
    can stand in one expression."""
    expression = computation.expression
    for operand in computation.operands:
        expression = re.sub(rf"\b{operand.name}\b", f"{operand.name}_{year}", expression)
    operands = tuple(dataclasses.replace(o, name=f"{o.name}_{year}") for o in computation.operands)
    return dataclasses.replace(computation, expression=expression, operands=operands)
