"""Read a regulatory filing's cover page: issuer, form type and period.

PDF metadata titles of filings are mostly useless (accession numbers, "Microsoft Word -
draft"), yet SEC cover pages follow a fixed layout: the registrant's name sits on the line
above "(Exact name of registrant as specified in its charter)", the form type is "FORM
10-K" and the period is "For the fiscal year ended ...". This turns that into a title and
catalogue fields; any document without such a cover page gets nothing from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_REGISTRANT_RE = re.compile(r"^\s*\(?\s*exact name of (the )?registrant", re.IGNORECASE)
_FORM_RE = re.compile(r"^\s*FORM\s+(10-K|10-Q|8-K|20-F|40-F|6-K|S-1|10-KT|10-QT)\b", re.I)
_PERIOD_RE = re.compile(
    r"for the (fiscal year|quarterly period|quarter|transition period|year) ended\s*:?\s*"
    r"([A-Z][a-z]+\.? ?\d{1,2},? ?\d{4})",
    re.IGNORECASE,
)
_EVENT_RE = re.compile(
    r"date of report\s*\(date of earliest event reported\)\s*:?\s*"
    r"([A-Z][a-z]+\.? ?\d{1,2},? ?\d{4})",
    re.IGNORECASE,
)
_YEAR_RE = re.compile(r"(19|20)\d{2}")
# Lines that can stand above the registrant marker but are not a name.
_NOT_A_NAME = re.compile(
    r"commission file|transition|pursuant to|^for the |^\(|^\d[\d\-\s]*$|^or$|^$", re.IGNORECASE
)
_RULE = re.compile(r"_{3,}")
_DECORATION = re.compile(r"[_☐☒☑✓✔■□]+")


@dataclass(frozen=True, slots=True)
class CoverPage:
    issuer: str
    form: str | None
    period: str | None  # as printed, e.g. "December 31, 2022"
    period_kind: str | None  # "fiscal year", "quarterly period", "event"...
    year: int | None

    @property
    def title(self) -> str:
        parts = [self.issuer]
        if self.form:
            parts.append(f"Form {self.form}")
        if self.period:
            kind = "event of" if self.period_kind == "event" else f"{self.period_kind} ended"
            parts.append(f"for the {kind} {self.period}")
        return " ".join(parts)

    def metadata(self) -> dict[str, object]:
        return {
            "issuer": self.issuer,
            "doc_type": self.form,
            "period": self.period,
            "period_kind": self.period_kind,
            "year": self.year,
        }


def read_cover_page(text: str) -> CoverPage | None:
    """The cover page found in ``text`` (the first page or two), or None if it has none."""
    # PDFs often space cover pages with no-break spaces, and rule lines glue cells
    # together ("Commission file number 001-6991. _____ WALMART INC."): split them apart.
    text = text.replace("\xa0", " ")
    lines = [part.strip() for line in text.splitlines() for part in _RULE.split(line)]
    issuer = None
    for index, line in enumerate(lines):
        if _REGISTRANT_RE.match(line):
            issuer = _name_above(lines, index)
            break
    if not issuer:
        return None
    form_match = next((m for m in map(_FORM_RE.match, lines) if m), None)
    form = form_match.group(1).upper() if form_match else None
    flat = " ".join(lines)
    period = period_kind = None
    if match := _PERIOD_RE.search(flat):
        period_kind, period = match.group(1).lower(), _tidy_date(match.group(2))
    elif match := _EVENT_RE.search(flat):
        period_kind, period = "event", _tidy_date(match.group(1))
    year_match = _YEAR_RE.search(period) if period else None
    return CoverPage(
        issuer=issuer,
        form=form,
        period=period,
        period_kind=period_kind,
        year=int(year_match.group(0)) if year_match else None,
    )


def _name_above(lines: list[str], index: int) -> str | None:
    for raw in reversed(lines[max(0, index - 3) : index]):
        line = " ".join(_DECORATION.sub(" ", raw).split())
        if not _NOT_A_NAME.search(line) and len(line) <= 120:
            return line
    return None


def _tidy_date(text: str) -> str:
    return " ".join(text.replace(" ,", ",").split())
