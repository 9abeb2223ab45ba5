"""Table rows as quotes: cut to the columns of the period asked, and the rows holding a
table's largest or smallest value (a superlative asked: "the largest holding").

Rows are written ``label | column: value | ...`` by the table extractors
(``ingest.tables.CELL_SEP``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from ingest.tables import CELL_SEP

FIGURE_RE = re.compile(r"\d[\d,.]*%?")
CELL_RE = re.compile(r"^(?P<name>[^|:]{1,120}): (?P<value>.+)$")
_PERIOD_RE = re.compile(r"(?<![0-9])(?:FY\s?|Q[1-4]\s?)?((?:19|20)\d{2})(?![0-9])", re.IGNORECASE)
# A period named as a bound: "before March 2026", "prior to 2 March 2026", "until 2025".
_BOUND_RE = re.compile(
    r"\b(?i:before|prior\s+to|until|till|up\s+to|since|after)\s+(?:the\s+)?"
    r"(?:\d{1,2}\s+)?(?:[A-Z][a-z]+\.?\s+)?(?:\d{1,2},?\s+)?(?:FY\s?|Q[1-4]\s?)?(?:19|20)\d{2}\b",
)
# "The top holding" asks the largest ("Top 10 holdings: 36.5%" is no answer); "the top
# holdings", "top 10 holdings" ask a list.
TOP_RE = re.compile(r"\btop(?=\s+[a-z]*[a-rt-z]\b)", re.IGNORECASE)
SUPERLATIVE_RE = re.compile(
    r"\b(?:(largest|biggest|highest|greatest)|smallest|lowest|(?<!at )least)\b", re.IGNORECASE
)
_WHOLE_FIGURE_RE = re.compile(rf"[$€£¥]?{FIGURE_RE.pattern}")
_TOTAL_RE = re.compile(r"^\s*(?:grand\s+)?total\b", re.IGNORECASE)


def extreme_rows(lines: Sequence[str], largest: bool) -> set[int]:
    """Positions of the rows holding the largest (or smallest) value of their table.

    A table here is a run of rows with one cell each that is a figure ("Atlas Power & Light
    (APLX) | Weight: 2.1%", "US equities | Vehicle: S&P 500 index ETF | Weight: 12%"), at
    least two besides a total; in a table of several figure columns a superlative does
    not say which it ranks, so it has no extreme row.
    """
    found: set[int] = set()
    run: list[tuple[int, Decimal]] = []
    broken = False
    for at, line in enumerate([*lines, ""]):
        cells = line.split(CELL_SEP)
        if len(cells) > 1:
            values = [m["value"] for m in map(CELL_RE.match, cells[1:]) if m]
            figures = [v for v in values if _WHOLE_FIGURE_RE.fullmatch(v.strip())]
            number = _decimal(figures[0].lstrip("$€£¥")) if len(figures) == 1 else None
            if _TOTAL_RE.match(cells[0]):
                continue  # a total is no member of what it sums
            if number is None:
                broken = True
            else:
                run.append((at, number))
            continue
        if len(run) >= 2 and not broken:
            pick = max if largest else min
            best = pick(v for _, v in run)
            found |= {i for i, v in run if v == best}
        run, broken = [], False
    return found


def _decimal(figure: str) -> Decimal | None:
    """ "3.8%", "1,250" as a number; None for what is no number ("1.2.3")."""
    try:
        return Decimal(figure.rstrip("%.").replace(",", ""))
    except InvalidOperation:
        return None


def focus_row(row: str, question: str) -> str:
    """A table row cut to its label and the columns of the period the question names.

    ``Revenue | FY2025A: 4,760 | FY2026E: 5,620`` asked about 2026 gives
    ``Revenue | FY2026E: 5,620``. Rows, questions without a year, and rows with no column
    of that year come back whole, so the quote never loses the asked-for number.
    """
    cells = row.split(CELL_SEP)
    # A year named as a bound ("before March 2026", "prior to 2025") is not the one asked.
    years = set(_PERIOD_RE.findall(_BOUND_RE.sub(" ", question)))
    if len(cells) < 3 or not years:
        return row
    named = [CELL_RE.match(cell) for cell in cells[1:]]
    if not all(named):
        return row
    kept = [
        cell
        for cell, match in zip(cells[1:], named, strict=True)
        if match and set(_PERIOD_RE.findall(match["name"])) & years
    ]
    if not kept or len(kept) == len(cells) - 1:
        return row
    return CELL_SEP.join([cells[0], *kept])
