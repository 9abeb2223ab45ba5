"""The column of a period asked by its fiscal name, read from the filing's own profile.

A company whose fiscal year ends away from December names its periods apart from the
calendar: Best Buy's "Q2 of fiscal 2024" ended July 29, 2023, so its 10-Q heads that
quarter "Three Months Ended July 29, 2023" and no column carries the year asked; a
52/53-week year that ended January 1, 2023 is fiscal 2022, though its column is dated
2023. The filing's profile (``Passage.profile``: the fiscal year and quarter it reports,
its issuer's naming resolved at search, and the date that period ended) says which
column reports the period asked: the one of the period's end, or of the same period one
or two years earlier, which the filing shows beside it.

Only a 10-K or 10-Q whose fiscal year is named apart from the calendar year its period
ends in is read this way, and only for a question that names a fiscal period ("FY2024",
"fiscal 2024"): elsewhere the year asked heads its column, as ``statement_rows.period``
reads it. A passage without a profile (search without routing) is read as before.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.statement_rows import SPAN_COLUMN_RE, Cell, period
from ingest.profile import DocumentProfile
from ingest.statements import DATE_RE, date_of
from retrieval.mentions import extract_periods
from retrieval.periods import end_date, safe_date
from retrieval.types import Passage

# A fiscal period named as such: "FY2024", "FY 24", "fiscal 2024", "fiscal year 2024".
_FISCAL_RE = re.compile(r"\bFY\s?'?\d{2}|\bfiscal\b", re.I)
# A 52/53-week year ends on a weekday near a date, not on the date itself.
_SAME_END = dt.timedelta(days=7)
# How many years back a filing shows the period beside its own: a 10-Q the same quarter
# a year earlier, a 10-K's income and cash flow statements three years.
_YEARS_SHOWN = {"10-Q": 1, "10-K": 2}


@dataclass(frozen=True, slots=True)
class Reported:
    """The period asked, as ``statement_rows.period`` names its column, the sources
    (1-based) whose documents report it under that column, and the fiscal name asked
    ("Q2 FY2024"), which an answer shows beside the column's own name."""

    period: str
    sources: frozenset[int]
    asked: str


def reported_period(
    question: str, cells: Sequence[Cell], sources: Sequence[Passage]
) -> Reported | None:
    """The column reporting the one fiscal period ``question`` names, in the filings
    that name their fiscal years apart from the calendar; None elsewhere."""
    if _FISCAL_RE.search(question) is None:
        return None
    asked = extract_periods(question)
    if len(asked) != 1:
        return None
    year, quarter = asked[0]
    found: dict[str, set[int]] = {}
    for cell in cells:
        passage = sources[cell.source - 1]
        end = _period_end(passage.profile, year, quarter)
        name = period(cell)
        if end is None or name is None:
            continue
        if _fits(name, end, quarterly=quarter is not None, position=_position(passage)):
            found.setdefault(name, set()).add(cell.source)
    if not found:
        return None
    best = min(found, key=lambda n: (_preference(n, quarter is not None), min(found[n])))
    named = f"Q{quarter} FY{year}" if quarter is not None else f"FY{year}"
    return Reported(best, frozenset(found[best]), named)


def calendar_dated(question: str, cell: Cell, sources: Sequence[Passage]) -> bool:
    """Whether ``cell``'s column is dated by the calendar in a filing that names its fiscal
    periods otherwise, for a question naming a fiscal period: a 10-Q's columns, a 10-K's
    dated or spanned ones (a 10-K's bare years are its fiscal years). The year asked heading
    such a column names another period, so only ``reported_period`` may pick it."""
    profile = sources[cell.source - 1].profile
    if _FISCAL_RE.search(question) is None or not _named_apart(profile):
        return False
    name = period(cell)
    return profile is not None and (
        profile.doc_type == "10-Q" or name is None or not name.isdigit()
    )


def _named_apart(profile: DocumentProfile | None) -> bool:
    """A 10-K or 10-Q whose fiscal year is named apart from the year its period ends in."""
    if profile is None or profile.doc_type not in _YEARS_SHOWN:
        return False
    end = end_date(profile)
    return end is not None and profile.fiscal_year not in (None, end.year)


def _period_end(profile: DocumentProfile | None, year: int, quarter: int | None) -> dt.date | None:
    """The date the asked period ended, where the filing names its fiscal years apart
    from the calendar and shows that period: its own, or the same one years earlier."""
    if profile is None or profile.fiscal_year is None or not _named_apart(profile):
        return None
    end = end_date(profile)
    if end is None or profile.fiscal_quarter != quarter:
        return None
    back = profile.fiscal_year - year
    if not 0 <= back <= _YEARS_SHOWN[profile.doc_type or ""]:
        return None
    return safe_date(end.year - back, end.month, end.day)


def _fits(name: str, end: dt.date, *, quarterly: bool, position: bool) -> bool:
    """Whether a column named ``name`` reports the period ending on ``end``: the span of a
    quarter (or of a year) ending in its year, a column dated that day, or a year alone,
    which names a year's column, or a quarter's on a balance sheet (positions at its end)."""
    if span := SPAN_COLUMN_RE.match(name):
        return int(span[2]) == end.year and span[1] == ("three" if quarterly else "twelve")
    if (match := DATE_RE.fullmatch(name)) is not None:
        date = date_of(match)
        return date is not None and abs(date - end) <= _SAME_END
    return name == str(end.year) and (position or not quarterly)


def _position(passage: Passage) -> bool:
    return passage.statements == ("balance_sheet",)


def _preference(name: str, quarterly: bool) -> int:
    """The quarter's own span before a dated column before a bare year, for a quarter; a
    year's column first for a year."""
    if SPAN_COLUMN_RE.match(name):
        return 0
    if DATE_RE.fullmatch(name):
        return 1
    return 2 if quarterly else 0
