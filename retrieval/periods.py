"""Which filing of a company a question wants: the period and document kind it asks for.

An analyst asking for "FY2019 year-end inventories" wants the 10-K that reports fiscal
2019; "FY2018 - FY2020 average" wants the 10-K reporting 2020 (it shows the earlier years
too); "Q2 of FY2023" the 10-Q or results release of that quarter; "the latest 10-Q" the
one whose reported period ends last (not the newest file); "guidance" or "earnings call"
the results release; an annual metric with no other cue the annual report; a balance-sheet
figure with no period ("what are its total assets?") the newest annual or quarterly
report, as a position is stated at each period end. Everything
here reads the question and the catalogue profiles (``ingest.profile``) only.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from ingest.profile import DocumentProfile
from ingest.statements import DATE_RE, date_of
from retrieval.mentions import extract_doc_types, extract_periods
from retrieval.statements import asked_statements

_LATEST = re.compile(
    r"\b(?:latest|most\s+recent(?:ly)?|newest|this\s+quarter|current\s+quarter|"
    r"last\s+(?:reported\s+)?quarter|recent\s+(?:quarter|filing|report|10-?[kq]))\b",
    re.I,
)
# A period shorter than a year asked: "Q4", "quarterly", "the first half", "six months".
QUARTERLY_RE = re.compile(
    r"\bquarter(?:ly)?\b|\bQ[1-4]\b|\b[1-4]Q\b|\bH[12]\b|\b(?:first|second)\s+half\b|"
    r"\b(?:three|six|nine)\s+months\b",
    re.I,
)
_EARNINGS = re.compile(
    r"\bguidance\b|\bearnings\s+(?:call|release|report)s?\b|\bresults\s+release\b|\boutlook\b",
    re.I,
)
# What a named kind is called in the profiles (``ingest.profile``).
_KIND_TYPES = {
    "10-K": ("10-K",),
    "annual report": ("10-K",),
    "10-Q": ("10-Q",),
    "quarterly report": ("10-Q",),
    "8-K": ("8-K",),
    "earnings release": ("earnings release",),
    "press release": ("earnings release",),
    "earnings call transcript": ("earnings release",),
    "fact sheet": ("fact sheet",),
    "policy": ("policy",),
    "research note": ("research note",),
    "prospectus": ("prospectus",),
    "presentation": ("presentation",),
}
_PERIODIC = ("10-K", "10-Q", "earnings release")


@dataclass(frozen=True, slots=True)
class PeriodAsk:
    """The period and kind of document a question asks for."""

    years: frozenset[int] = frozenset()
    quarters: frozenset[tuple[int, int]] = frozenset()  # (fiscal year, quarter)
    kinds: tuple[str, ...] = ()  # profile doc types named in the question
    latest: bool = False
    quarterly: bool = False
    earnings: bool = False
    position: bool = False  # only balance-sheet figures: a position at a period end
    dates: frozenset[dt.date] = frozenset()  # full dates named ("as of July 29, 2023")

    @property
    def target_year(self) -> int | None:
        """The latest year asked: a range is reported by the filing of its last year."""
        return max(self.years) if self.years else None


def read_ask(question: str) -> PeriodAsk:
    periods = extract_periods(question)
    kinds: list[str] = []
    for kind in extract_doc_types(question):
        kinds.extend(t for t in _KIND_TYPES.get(kind, ()) if t not in kinds)
    return PeriodAsk(
        years=frozenset(p.year for p in periods),
        quarters=frozenset((p.year, p.quarter) for p in periods if p.quarter is not None),
        kinds=tuple(kinds),
        latest=_LATEST.search(question) is not None,
        quarterly=QUARTERLY_RE.search(question) is not None,
        earnings=_EARNINGS.search(question) is not None,
        position=asked_statements(question) == ("balance_sheet",),
        dates=frozenset(d for m in DATE_RE.finditer(question) if (d := date_of(m))),
    )


def type_fit(ask: PeriodAsk, doc_type: str | None) -> float:
    """How well a document's kind suits the question, 0..1."""
    if ask.kinds:
        return 1.0 if doc_type in ask.kinds else 0.2 if doc_type is None else 0.0
    if doc_type is None or doc_type not in (*_PERIODIC, "8-K"):
        return 0.5
    if ask.earnings:
        return {"earnings release": 1.0, "10-Q": 0.5, "10-K": 0.4}.get(doc_type, 0.3)
    if ask.quarterly or ask.quarters:
        return {"10-Q": 1.0, "earnings release": 0.9, "10-K": 0.4}.get(doc_type, 0.2)
    if (ask.position and not ask.years) or ask.dates:
        # A position asked with no period: every 10-K and 10-Q states one; recency decides.
        # A date asked ("as of July 29, 2023") is a period end either kind may report;
        # the period decides (``period_fit``).
        return {"10-K": 1.0, "10-Q": 1.0, "earnings release": 0.5}.get(doc_type, 0.2)
    # An annual metric, or no cue at all: the annual report states it.
    return {"10-K": 1.0, "earnings release": 0.5, "10-Q": 0.4}.get(doc_type, 0.2)


# A date asked and a period's end a few days apart are one date (52/53-week years).
_SAME_DATE = dt.timedelta(days=3)
# A filing whose period ends on no date asked keeps this share of what its year earns.
_OTHER_DATE = 0.7


def period_fit(ask: PeriodAsk, profile: DocumentProfile) -> float | None:
    """How well a document's reported period suits the asked one, 0..1; None when the
    question names no period (then recency decides, see ``recency``). A date asked ("cash
    as of July 29, 2023") is best answered by the filing whose period ends on it: at a
    company whose fiscal 2023 ended in January, that is a 10-Q of fiscal 2024."""
    end = end_date(profile)
    if ask.dates and end is not None and any(abs(end - d) <= _SAME_DATE for d in ask.dates):
        return 1.0
    fit = _year_fit(ask, profile, end)
    return fit * _OTHER_DATE if ask.dates and fit is not None else fit


def _year_fit(ask: PeriodAsk, profile: DocumentProfile, end: dt.date | None) -> float | None:
    target = ask.target_year
    if target is None:
        return None
    fy = profile.fiscal_year if profile.fiscal_year is not None else (end.year if end else None)
    if fy is None:
        return 0.3 if target in profile.covered_years else 0.0
    if ask.quarters:
        wanted = max(ask.quarters)
        if (fy, profile.fiscal_quarter) == wanted:
            return 1.0
        if profile.fiscal_quarter is None and fy == wanted[0]:
            return 0.6 if wanted[1] == 4 else 0.4  # the annual report covers Q4
        return 0.2 if fy == wanted[0] else 0.0
    if fy == target:
        # A year asked of a quarter's report fits less than the year's own report.
        return 1.0 if profile.fiscal_quarter in (None, 4) else 0.7
    if fy > target and ask.years <= profile.covered_years:
        return max(0.2, 0.6 - 0.15 * (fy - target - 1))  # a later filing shows the years
    return 0.0


def recency(profiles: Mapping[str, DocumentProfile]) -> dict[str, float]:
    """1.0 for the document whose reported period ends last, less for older ones."""
    ends = {d: end_date(p) for d, p in profiles.items()}
    ordered = sorted({e for e in ends.values() if e is not None}, reverse=True)
    rank = {end: i for i, end in enumerate(ordered)}
    return {d: (1.0 / (1 + rank[e]) if e is not None else 0.0) for d, e in ends.items()}


def resolve_fiscal_years(
    profiles: Mapping[str, DocumentProfile], issuer_of: Mapping[str, str]
) -> dict[str, DocumentProfile]:
    """Label each quarterly report with its issuer's fiscal year.

    A 10-Q cover gives the quarter's end date, not the fiscal year it belongs to; the
    issuer's annual report gives its fiscal year end, so a quarter ending 31 December
    at a company whose year ends 30 June is in the fiscal year ending the next June.
    """
    year_ends: dict[str, tuple[int, int]] = {}
    for doc, profile in profiles.items():
        end = end_date(profile)
        if profile.doc_type == "10-K" and end is not None and issuer_of.get(doc):
            year_ends.setdefault(issuer_of[doc], (end.month, end.day))
    resolved = dict(profiles)
    for doc, profile in profiles.items():
        end = end_date(profile)
        fye = year_ends.get(issuer_of.get(doc, ""))
        if profile.doc_type != "10-Q" or end is None or fye is None:
            continue
        month, day = fye
        year_end = safe_date(end.year, month, day)
        if year_end < end - dt.timedelta(days=7):  # 52/53-week years move a few days
            year_end = safe_date(end.year + 1, month, day)
        label = year_end.year - 1 if month == 1 and day <= 7 else year_end.year
        resolved[doc] = dataclasses.replace(profile, fiscal_year=label)
    return resolved


def issuer_key(name: str | None) -> str:
    """A comparable form of an issuer's name: 'NIKE, Inc .' and 'Nike Inc' agree."""
    if not name:
        return ""
    words = re.findall(r"[a-z0-9]+", name.lower())
    drop = {"inc", "corp", "corporation", "company", "co", "plc", "ltd", "llc", "the", "sa"}
    return " ".join(w for w in words if w not in drop)


def by_issuer(profiles: Mapping[str, DocumentProfile]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for doc, profile in profiles.items():
        key = issuer_key(profile.issuer)
        if key:
            groups[key].append(doc)
    return dict(groups)


def end_date(profile: DocumentProfile) -> dt.date | None:
    """The date a document's reported period ends; None when unknown or malformed."""
    if profile.period_end is None:
        return None
    try:
        return dt.date.fromisoformat(profile.period_end)
    except ValueError:
        return None


def safe_date(year: int, month: int, day: int) -> dt.date:
    """That day of that year; 28 February for 29 February in a common year."""
    try:
        return dt.date(year, month, day)
    except ValueError:  # 29 February in a common year
        return dt.date(year, month, 28)
