"""Read a regulatory filing's cover page: issuer, form type and period.

PDF metadata titles of filings are mostly useless (accession numbers, "Microsoft Word -
draft"), yet SEC cover pages follow a fixed layout: the registrant's name sits on the line
above "(Exact name of registrant as specified in its charter)", the form type is "FORM
10-K" and the period is "For the fiscal year ended ...". This turns that into a title and
catalogue fields; any document without such a cover page gets nothing from it.

Covers vary in ways the text extraction shows: a name set in small capitals comes out
split after each word's first letter ("MGM / R / ESORTS I / NTERNATIONAL"), a cover laid
out word by word puts the marker itself over several lines, and some covers print no
marker at all, only the name on the line after "Commission file number". Each is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_REGISTRANT_RE = re.compile(r"^\s*\(?\s*exact name of (the )?registrant", re.IGNORECASE)
_FORM_RE = re.compile(r"(?:^|(?<=\s))FORM\s+(10-K|10-Q|8-K|20-F|40-F|6-K|S-1|10-KT|10-QT)\b", re.I)
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
_MARKER_FLAT = re.compile(r"\(\s*exact\s+name\s+of\s+(?:the\s+)?registrant\b", re.I)
_FILE_NUMBER = re.compile(r"commission\s+file\s+(?:no\.?|number)\s*[:.]?\s*[\d][\d\-]*", re.I)
_SEC_COVER_RE = re.compile(r"securities\s+and\s+exchange\s+commission", re.I)
# A line that can follow the file number without being the name.
_NOT_A_NAME_AFTER = re.compile(r"^\(|state of|incorporat|^[A-Z][a-z]+ \d|\d{2}-\d{7}", re.I)
# Small capitals: a word's first letter alone at a line's end ("ESORTS I" / "NTERNATIONAL").
_LONE_CAPITAL_END = re.compile(r"(?:^|\s)[A-Z]$")
_CAPS_LINE = re.compile(r"[A-Z][A-Z&.,'\- ]{0,60}")
_DECORATION = re.compile(r"[_☐☒☑✓✔■□]+")


# The table of registered securities on a cover page (since 2019): a class of common
# stock, its trading symbol, then its exchange ("Common Stock, Par Value $.01 Per Share MMM
# New York Stock Exchange"). Notes' symbols ("MMM26") and preferred series are not the
# issuer's ticker.
# A trading symbol as listings write it: "MMM", "BRK.B".
TICKER = r"[A-Z]{1,5}(?:\.[A-Z])?"
_TRADING_SYMBOL = re.compile(r"trading\s+symbol", re.I)
_COMMON_TICKER = re.compile(
    rf"(?i:\b(?:common|ordinary)\s+(?:stock|shares))[^\n]{{0,120}}?\s({TICKER})\s+"
    r"(?i:(?:the\s+)?(?:new\s+york|nasdaq|nyse|chicago|stock\s+exchange))"
)
# A release's listing: "Johnson & Johnson (NYSE: JNJ) today announced".
_LISTING = re.compile(rf"\(\s*(?:NYSE|NASDAQ|Nasdaq|NYSE American)\s*:\s*({TICKER})\s*\)")


def read_tickers(text: str) -> tuple[str, ...]:
    """The trading symbols of an issuer's common stock that ``text`` (a cover page, or a
    release's first page) lists, in order; empty when it lists none."""
    text = text.replace("\xa0", " ")
    found = [m[1] for m in _LISTING.finditer(text)]
    if _TRADING_SYMBOL.search(text):
        found += [m[1] for m in _COMMON_TICKER.finditer(text)]
    return tuple(dict.fromkeys(found))


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
    issuer = issuer or _name_before_flat_marker(text) or _name_after_file_number(lines, text)
    if not issuer:
        return None
    form_match = next((m for m in map(_FORM_RE.match, lines) if m), None)
    flat = " ".join(lines)
    if form_match is None:  # a cover set word by word: "FORM / 10-K" near its top
        form_match = _FORM_RE.search(" ".join(flat[:1000].split()))
    form = form_match.group(1).upper() if form_match else None
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
    start = max(0, index - 3)
    for at in range(index - 1, start - 1, -1):
        line = _tidy(lines[at])
        # One letter is a check box ("X"), or a small capital split off a word.
        if not _NOT_A_NAME.search(line) and 2 <= len(line) <= 120:
            return _small_caps(lines, at, line)
    return None


def _small_caps(lines: list[str], at: int, name: str) -> str:
    """``name`` (``lines[at]``) with the lines above it that small capitals split off:
    a line ending in a lone capital starts the word ``name`` ends ("ESORTS I" +
    "NTERNATIONAL"), and the whole words above such a run belong to the name ("MGM")."""
    glued = False
    while at > 0 and name[:2].isupper() and _LONE_CAPITAL_END.search(_tidy(lines[at - 1])):
        name = _tidy(lines[at - 1]) + name
        at -= 1
        glued = True
    if glued and at > 0:
        above = _tidy(lines[at - 1])
        if _CAPS_LINE.fullmatch(above) and not _NOT_A_NAME.search(above):
            name = f"{above} {name}"
    return name if len(name) <= 120 else name[:120]


def _name_before_flat_marker(text: str) -> str | None:
    """A cover set word by word ("SQUARE, / INC. / (Exact / name / of / registrant"):
    the words between the commission file number and the marker."""
    flat = " ".join(text.split())
    marker = _MARKER_FLAT.search(flat)
    if marker is None:
        return None
    before = flat[max(0, marker.start() - 200) : marker.start()]
    numbers = list(_FILE_NUMBER.finditer(before))
    if not numbers:
        return None
    name = _tidy(before[numbers[-1].end() :])
    return name if 2 <= len(name) <= 120 and not _NOT_A_NAME.search(name) else None


def _name_after_file_number(lines: list[str], text: str) -> str | None:
    """A cover with no marker: the SEC layout puts the name on the line after
    "Commission file number ..."."""
    if _SEC_COVER_RE.search(text[:3000]) is None:
        return None
    for index, line in enumerate(lines[:-1]):
        if _FILE_NUMBER.fullmatch(line.strip().rstrip(".")):
            name = _tidy(lines[index + 1])
            usable = 2 <= len(name) <= 80 and any(c.isalpha() for c in name)
            if usable and not _NOT_A_NAME.search(name) and not _NOT_A_NAME_AFTER.search(name):
                return name
            return None
    return None


def _tidy(raw: str) -> str:
    return " ".join(_DECORATION.sub(" ", raw).split())


def _tidy_date(text: str) -> str:
    return " ".join(text.replace(" ,", ",").split())
