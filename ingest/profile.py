"""What a document covers, read from its own text: issuer, document type and period.

Routing a question to "the FY2019 10-K" or "the latest 10-Q" needs to know what each
filing reports, and file names are not evidence (a data team names files as it likes).
SEC filings say it on their cover page ("For the fiscal year ended February 2, 2019",
"(Exact name of registrant as specified in its charter)"), earnings releases in their
headline ("Reports First-Quarter 2023 Results") and statement headers show the years
compared. A sidecar's ``doc_type`` / ``fiscal_year`` / ``period_end`` override what is read.

Fiscal years are labelled by the calendar year in which they end ("fiscal 2019" ended
February 2, 2019 at a retailer), except a 52/53-week year that ends in the first days of
January, which belongs to the year before; a cover that names its own fiscal year
("fiscal 2019 ended February 1, 2020") wins over both rules.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from ingest.loaders.cover import TICKER, read_cover_page, read_tickers
from ingest.statements import KINDS, calendar_date

# Bump when the rules below change: it is part of every document's version, so the next
# ingestion job re-reads the catalogue profile of every document (vectors come from cache).
# 6: statement chunks carry column headers stacked one date part a line.
# 7: the cover's issuer read from small capitals, word-by-word covers and covers with no
#    "(Exact name of registrant ...)" marker.
# 8: a stacked column header whose last line has the statement's first heading glued on
#    ("2018 ASSETS Current assets:").
# 9: statement chunks carry the scale their page states ("millions").
# 10: a scale stated alone in brackets ("(Millions)") is read as the page's scale.
# 11: a filing whose cover names no registrant is named by its statements' heading.
# 12: consolidating schedules ("Condensed Consolidating Balance Sheets") are not statements.
# 13: the trading symbols a cover page or a release's listing gives ("MMM", "NYSE: JNJ").
# 14: a statement header whose rows the text layer glued onto it is its column header.
# 15: ... also after the header's words ("For the Years Ended December 31, 2021 2020 ...").
# 16: statements of part of a group (a deed of cross guarantee's entities, guarantors, the
#     parent company alone) are not the primary statements.
# 17: a quarterly header keeps the spans named above its years ("Three Months Ended").
# 18: plain text's fixed-width tables are tables whose rows carry their column headers.
# 19: a 10-Q's fiscal year is the one its pages most often name its quarter in ("second
#     quarter of fiscal 2024"), not only its cover's.
PROFILE_VERSION = 19

# How many leading pages hold the cover and the statements' column headers we read.
_COVER_PAGES = 3
_SCAN_PAGES = 120
# How far down a page a statement's heading sits (a running header may come first).
_HEADING_LINES = 6

_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTH = "(" + "|".join(_MONTHS) + ")"
_DATE = rf"{_MONTH}\s+(\d{{1,2}})\s*,?\s*((?:19|20)\d{{2}})"
_DATE_RE = re.compile(_DATE, re.I)
# Cover-page layouts put other cells between the label and its date ("ended Commission
# file March 31, 2021"), so a few words may sit between them.
_GAP = r"\s*:?\s*(?:[A-Za-z.]+\s+){0,4}?"
_ANNUAL_END = re.compile(rf"for\s+the\s+(?:fiscal\s+)?year\s+ended{_GAP}{_DATE}", re.I)
_QUARTER_END = re.compile(rf"for\s+the\s+quarterly\s+period\s+ended{_GAP}{_DATE}", re.I)
_EVENT_DATE = re.compile(rf"date\s+of\s+report[^:]{{0,60}}:\s*{_DATE}", re.I)
_NAMED_FISCAL = re.compile(
    rf"fiscal\s+(?:year\s+)?((?:19|20)\d{{2}})\s*,?\s*(?:\(|which\s+)?ended\s+(?:on\s+)?{_DATE}",
    re.I,
)
_SEC_COVER = re.compile(r"securities\s+and\s+exchange\s+commission", re.I)
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4}
# A results release says so near its top: "Reports First-Quarter 2023 Results", "announced
# results for second-quarter 2023", "reports fiscal 2023 results", "FOR IMMEDIATE RELEASE".
_RELEASE_CUE = re.compile(
    r"\b(?:reports?|reported|announces?|announced|delivers?|posts?)\b[^.]{0,80}?\bresults\b"
    r"|\bfor\s+immediate\s+release\b|\b(?:earnings|results)\s+(?:press\s+)?release\b",
    re.I,
)
_RELEASE_PERIOD = re.compile(
    r"\b(?:((?:19|20)\d{2})\s+)?(first|second|third|fourth)[\s-]+quarter\b"
    r"(?:\s+and\s+full[\s-]+year)?(?:\s+(?:of\s+)?"
    r"(?:fiscal\s+(?:year\s+)?)?((?:19|20)\d{2}))?"
    r"|\b(?:fiscal|full[\s-]+year)\s+((?:19|20)\d{2})\s+results\b",
    re.I,
)
_RELEASE_QUARTER = re.compile(
    r"\b(?:(first|second|third|fourth)[\s-]+quarter|q([1-4]))\s*(?:of\s+)?(?:fiscal\s+(?:year\s+)?)?"
    r"((?:19|20)\d{2})\b",
    re.I,
)
_MONTHS_ENDED = re.compile(r"\b(three|six|nine)\s+months\s+ended\b", re.I)
_STATEMENT_HEADING = re.compile(
    r"consolidated\s+(?:and\s+combined\s+)?(?:statements?\s+of\s+(?:operations|income|earnings|"
    r"cash\s+flows|comprehensive\s+income)|balance\s+sheets?)",
    re.I,
)
_YEAR = re.compile(r"(?<![\d$.,])((?:19|20)\d{2})(?![\d%]|\.\d|,\d)")
_SEC_FORMS = (("10-K", r"form\s+10-?k\b"), ("10-Q", r"form\s+10-?q\b"), ("8-K", r"form\s+8-?k\b"))
# Types a non-SEC document can declare in its title, in the words analysts use.
_TITLE_TYPES = (
    ("earnings release", r"\b(?:earnings|results)\s+(?:press\s+)?release\b"),
    ("fact sheet", r"\bfact\s?sheet\b"),
    ("policy", r"\bpolicy\b|\bprocedures?\b|\bhandbook\b|\bcode\s+of\s+(?:conduct|ethics)\b"),
    ("research note", r"\bresearch\b|\binitiation\b|\bnote\b|\boutlook\b|\bstrategy\b"),
    ("prospectus", r"\bprospectus\b"),
    ("presentation", r"\bpresentation\b"),
)


@dataclass(frozen=True, slots=True)
class DocumentProfile:
    """What one document reports. Every field may be unknown (None or empty)."""

    issuer: str | None = None
    doc_type: str | None = None
    period_end: str | None = None  # ISO date the reported period ends (8-K: event date)
    fiscal_year: int | None = None
    fiscal_quarter: int | None = None  # 1-4 for a quarter's report; None for a year
    years: tuple[int, ...] = ()  # years the document's statements show, ascending
    version: int = PROFILE_VERSION
    # (page, kinds) for the pages that present a primary statement (ingest.statements).
    statement_pages: tuple[tuple[int, tuple[str, ...]], ...] = ()
    # Trading symbols of the issuer's common stock its cover or release lists ("MMM").
    tickers: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["years"] = list(self.years)
        data["tickers"] = list(self.tickers)
        data["statement_pages"] = {str(page): list(kinds) for page, kinds in self.statement_pages}
        return data

    def statements_on(self, first: int | None, last: int | None) -> tuple[str, ...]:
        """Kinds of statement on pages ``first``..``last`` (1-based), in ``KINDS`` order."""
        if first is None:
            return ()
        last = first if last is None else last
        found = {k for page, kinds in self.statement_pages if first <= page <= last for k in kinds}
        return tuple(k for k in KINDS if k in found)

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> DocumentProfile:
        """A profile stored in the catalogue; unknown or malformed fields become unknown."""
        if not isinstance(data, Mapping):
            return cls(version=0)

        def int_or_none(value: Any) -> int | None:
            return value if isinstance(value, int) and not isinstance(value, bool) else None

        years, tickers = data.get("years"), data.get("tickers")
        return cls(
            statement_pages=_statement_pages(data.get("statement_pages")),
            issuer=data["issuer"] if isinstance(data.get("issuer"), str) else None,
            doc_type=data["doc_type"] if isinstance(data.get("doc_type"), str) else None,
            period_end=data["period_end"] if isinstance(data.get("period_end"), str) else None,
            fiscal_year=int_or_none(data.get("fiscal_year")),
            fiscal_quarter=int_or_none(data.get("fiscal_quarter")),
            years=tuple(y for y in years if isinstance(y, int)) if isinstance(years, list) else (),
            tickers=tuple(t for t in tickers if isinstance(t, str) and _TICKER.fullmatch(t))
            if isinstance(tickers, list)
            else (),
            version=int_or_none(data.get("version")) or 0,
        )

    @property
    def covered_years(self) -> frozenset[int]:
        """Years the document reports on: its statements' years and its own fiscal year."""
        years = set(self.years)
        if self.fiscal_year is not None:
            years.add(self.fiscal_year)
        return frozenset(years | set(self.fiscal_labels))

    @property
    def fiscal_labels(self) -> frozenset[int]:
        """Names its fiscal year goes by. A year ending in January or February is called
        by the calendar year it ends in by some (analysts, many retailers) and by the year
        it mostly lies in by others ("fiscal 2022 ended January 28, 2023"): both count."""
        if self.fiscal_year is None:
            return frozenset()
        end = self.period_end or ""
        if not end[:4].isdigit() or self.doc_type == "8-K":
            return frozenset({self.fiscal_year})
        if self.doc_type == "earnings release":  # dated after the period it reports
            return frozenset({self.fiscal_year, int(end[:4])})
        if end[5:7] in ("01", "02"):
            return frozenset({self.fiscal_year, int(end[:4]), int(end[:4]) - 1})
        return frozenset({self.fiscal_year})


def profile_document(
    pages: Sequence[str], title: str = "", hints: Mapping[str, Any] | None = None
) -> DocumentProfile:
    """Read issuer, type and period from a document's pages (1-based order) and title.

    ``hints`` are sidecar fields (``doc_type``, ``fiscal_year``, ``fiscal_quarter``,
    ``period_end``, ``issuer``) that a data team set on purpose: they win.
    """
    cover = _flat(" ".join(pages[:_COVER_PAGES]))
    first = _flat(pages[0] if pages else "")
    # Only a cover page declares the form: a release may cite "our Form 10-Q" further on.
    doc_type = _cover_form(pages[:2])
    period_end: dt.date | None = None
    quarter: int | None = None
    fiscal_year: int | None = None
    if doc_type == "10-K":
        period_end = _first_date(_ANNUAL_END, cover)
    elif doc_type == "10-Q":
        period_end = _first_date(_QUARTER_END, cover)
        quarter = _quarter_from_months(" ".join(pages[:_SCAN_PAGES]))
    elif doc_type == "8-K":
        period_end = _first_date(_EVENT_DATE, cover)
        fiscal_year = period_end.year if period_end else None  # the year of the event
    top = first[:2500]
    if doc_type is None and _RELEASE_CUE.search(top):
        release = _RELEASE_PERIOD.search(top)
        if release is not None:
            doc_type = "earnings release"
            year_before, ordinal, year_after, full_year = release.groups()
            quarter = _ORDINALS[ordinal.lower()] if ordinal else 4
            year = year_before or year_after or full_year
            dateline = _first_date(_DATE_RE, top)
            period_end = dateline
            if year:
                fiscal_year = int(year)
            elif dateline is not None:  # a quarter is released in the months after it ends
                fiscal_year = dateline.year - (1 if quarter == 4 and dateline.month <= 3 else 0)
    if doc_type is None:
        doc_type = _title_type(title)
    if fiscal_year is None and period_end is not None and doc_type in ("10-K", "10-Q"):
        fiscal_year = _fiscal_label(period_end, cover)
    if doc_type == "10-Q" and fiscal_year is not None:
        fiscal_year = _named_quarter_year(pages[:_SCAN_PAGES], quarter) or fiscal_year
    hints = hints or {}
    return DocumentProfile(
        issuer=_hint_str(hints, "issuer")
        or _registrant("\n".join(pages[:2]))
        or _listed_name(first[:3000])
        or (_statement_issuer(pages) if doc_type in ("10-K", "10-Q") else None),
        doc_type=_hint_str(hints, "doc_type") or doc_type,
        period_end=_hint_str(hints, "period_end")
        or (period_end.isoformat() if period_end else None),
        fiscal_year=_hint_int(hints, "fiscal_year") or fiscal_year,
        fiscal_quarter=_hint_int(hints, "fiscal_quarter") or quarter,
        years=_statement_years(pages, fiscal_year),
        tickers=read_tickers("\n".join(pages[:2])),
    )


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _cover_form(pages: Sequence[str]) -> str | None:
    """The form an SEC cover page declares. A cover names the Commission at its top, then
    the form (a release that cites "our Form 10-Q" further down is no cover); some filings
    put a title page saying only "FORM 10-K" before it."""
    for page in pages:
        flat = _flat(page)
        commission = _SEC_COVER.search(flat[:400])
        if commission is not None and (form := _sec_form(flat[commission.end() :])):
            return form
    title_page = _flat(pages[0]).strip() if pages else ""
    return _sec_form(title_page) if len(title_page) <= 40 else None


def _sec_form(text: str) -> str | None:
    """The SEC form a cover page declares: the earliest 'FORM 10-K/10-Q/8-K' on it."""
    found = [(m.start(), label) for label, p in _SEC_FORMS for m in [re.search(p, text, re.I)] if m]
    return min(found)[1] if found else None


def _first_date(pattern: re.Pattern[str], text: str) -> dt.date | None:
    for match in pattern.finditer(text):
        date = calendar_date(*match.groups()[-3:])
        if date is not None:
            return date
    return None


def _fiscal_label(end: dt.date, cover: str) -> int:
    """The fiscal year a period ending on ``end`` is called (see the module docstring)."""
    for match in _NAMED_FISCAL.finditer(cover):
        if calendar_date(*match.groups()[1:4]) == end:
            return int(match.group(1))
    return end.year - 1 if end.month == 1 and end.day <= 7 else end.year


def _named_quarter_year(pages: Sequence[str], quarter: int | None) -> int | None:
    """The fiscal year a 10-Q's pages most often name its quarter in: a company whose year
    ends in January calls the quarter ended July 29, 2023 "the second quarter of fiscal
    2024", and compares it with "the second quarter of fiscal 2023" less often. A tie goes
    to the later year (the report's own quarter is the newer one); None when no page names
    the quarter with "fiscal"."""
    if quarter is None:
        return None
    counts: Counter[int] = Counter()
    for page in pages:
        for match in _RELEASE_QUARTER.finditer(_flat(page)):
            ordinal = match.group(1)
            number = _ORDINALS[ordinal.lower()] if ordinal else int(match.group(2))
            if number == quarter and "fiscal" in match.group(0).lower():
                counts[int(match.group(3))] += 1
    return max(counts, key=lambda year: (counts[year], year)) if counts else None


def _quarter_from_months(text: str) -> int:
    """A 10-Q's quarter from its statements: nine months -> Q3, six -> Q2, else Q1."""
    spans = {m.group(1).lower() for m in _MONTHS_ENDED.finditer(text)}
    return 3 if "nine" in spans else 2 if "six" in spans else 1


def _statement_years(pages: Sequence[str], fiscal_year: int | None) -> tuple[int, ...]:
    """Years in the column headers under the primary statements' headings."""
    counts: Counter[int] = Counter()
    for page in pages[:_SCAN_PAGES]:
        for heading in _STATEMENT_HEADING.finditer(page):
            window = page[heading.end() : heading.end() + 400]
            counts.update(int(y) for y in _YEAR.findall(window))
    if fiscal_year is not None:
        years = {y for y in counts if fiscal_year - 3 <= y <= fiscal_year}
    else:
        years = {y for y, n in counts.items() if n >= 2}
    return tuple(sorted(years))


_TICKER = re.compile(TICKER)
_LISTED = re.compile(
    r"([A-Z][\w.&,'’ -]{1,60}?)\s*\(\s*(?:NYSE|NASDAQ|Nasdaq|NYSE American|LSE|TSX)\s*:\s*"
    r"[A-Z.]{1,6}\s*\)"
)


# Primary statements are headed by the registrant's name and its group: "THE COCA-COLA
# COMPANY AND SUBSIDIARIES" above "CONSOLIDATED STATEMENTS OF INCOME".
_GROUP_SUFFIX = re.compile(r"\s+and\s+(?:its\s+)?(?:consolidated\s+)?subsidiaries\s*$", re.I)
_MIN_HEADED = 2  # statement pages that must agree on the name


def _statement_issuer(pages: Sequence[str]) -> str | None:
    """The name heading the primary statements, for a filing whose cover page names no
    registrant in its text layer (a logo, or a name set as an image): the same
    "<name> AND SUBSIDIARIES" line above the headings of at least two statement pages."""
    counts: Counter[str] = Counter()
    for page in pages[:_SCAN_PAGES]:
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        for above, line in itertools.pairwise(lines[:_HEADING_LINES]):
            group = _GROUP_SUFFIX.search(above)
            if group is not None and _STATEMENT_HEADING.match(line):
                name = _flat(above[: group.start()]).strip(" ,")
                if 2 <= len(name) <= 80:
                    counts[name] += 1
    best = counts.most_common(1)
    return best[0][0] if best and best[0][1] >= _MIN_HEADED else None


def _registrant(text: str) -> str | None:
    cover = read_cover_page(text)
    return cover.issuer if cover is not None else None


def _listed_name(text: str) -> str | None:
    """'... – Johnson & Johnson (NYSE: JNJ) today announced': the issuer of a release."""
    match = _LISTED.search(text)
    if match is None:
        return None
    name = re.split(r"\s[–—-]\s|\)\s", match.group(1))[-1].strip(" ,")
    return name or None


def _title_type(title: str) -> str | None:
    for label, pattern in _TITLE_TYPES:
        if re.search(pattern, title, re.I):
            return label
    return None


def _hint_str(hints: Mapping[str, Any], key: str) -> str | None:
    value = hints.get(key)
    return value.strip() if isinstance(value, str) and value.strip() else None


def _hint_int(hints: Mapping[str, Any], key: str) -> int | None:
    value = hints.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _statement_pages(value: Any) -> tuple[tuple[int, tuple[str, ...]], ...]:
    """Stored ``{"52": ["income"]}`` back to pairs; malformed entries are dropped."""
    if not isinstance(value, Mapping):
        return ()
    pages = []
    for page, kinds in value.items():
        if not (isinstance(page, str) and page.isdigit() and isinstance(kinds, list)):
            continue
        known = tuple(k for k in KINDS if k in kinds)
        if known:
            pages.append((int(page), known))
    return tuple(sorted(pages))
