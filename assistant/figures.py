"""Which numbers of a sentence are figures, and which count what a question counts.

A quote answers "what was ..." only if it states a figure (not just a date, a year or a
form's name), "how many complaints ..." only if it states a number of complaints: not an
amount of money, a share, an ordinal, an identifier ("FINRA Rule 4530") or a span of time
("within 1 business day"), and "when is ..." only if it states a time. The extractive
answerer (``assistant.extractive``) reads all three.
"""

from __future__ import annotations

import re

from ingest.sparse import tokenize
from ingest.statements import DATE_RE

_NUMBER_RE = re.compile(r"\d")
# A year as prose writes it, before a comma or a full stop too ("In 2022, revenue ..."),
# but not a number's leading digits ("2019.5", "2,019", "$2019", "2020%").
_YEAR = r"(?<![\d,.$])(?:19|20)\d{2}(?![\d%]|[.,]\d)"
# A month's name, whole or cut ("February", "Feb.", "Sept").
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*"
# A date written day first ("28 February 2026", "2 Jun. 2014"); month first is DATE_RE.
_DAY_MONTH_YEAR = rf"\b\d{{1,2}}\s+{_MONTH}\.?,?\s+(?:19|20)\d{{2}}\b"

# Numbers that name a period or a form, not a figure: "FORM 10-Q FOR THE QUARTER ENDED
# JULY 29, 2023" states no amount, though it has digits.
_NOT_FIGURES_RE = re.compile(
    rf"{DATE_RE.pattern}|{_DAY_MONTH_YEAR}|\b\d{{1,2}}-[KQ]\b|{_YEAR}", re.I
)


def states_figure(sentence: str) -> bool:
    """Whether a sentence states a figure: a number besides dates, years and form names."""
    return _NUMBER_RE.search(_NOT_FIGURES_RE.sub(" ", sentence)) is not None


# A number, and the words it may count: the first few after it, unless a joining word
# comes first ("7 of the 11 ...", "47 in Q3").
_COUNT_RE = re.compile(r"(?<![\w.,])\d(?:[\d,]*\d)?(?:\.\d+)?(?![\w])")
_WORD_RE = re.compile(r"(?<=\s)[A-Za-z][\w'’-]*|^[A-Za-z][\w'’-]*")
# The words right after a number, before any punctuation ("83,700 employees worldwide").
_FOLLOWING_RE = re.compile(r"[ \t]+([A-Za-z][\w'’-]*(?:[ \t]+[A-Za-z][\w'’-]*){0,5})")
# A scale names no thing counted: "550.5 million shares", "Shares outstanding: 550.5 million".
_SCALES = frozenset(
    ("thousand", "thousands", "million", "millions", "billion", "billions", "mn", "bn", "m", "k")
)
_COUNTED_SPAN = 3
_JOINING = frozenset(
    re.findall(
        r"\w+",
        "of in and or to for from was were is are vs versus compared with at on by as than "
        "out per a an the",
    )
)
_TIME_UNITS = frozenset(
    re.findall(
        r"\w+",
        "second seconds minute minutes hour hours day days week weeks month months year "
        "years quarter quarters",
    )
)
_NUMBER_WORD_RE = re.compile(
    r"\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|"
    r"thirty|forty|fifty|hundred|dozen)\b",
    re.IGNORECASE,
)
# Numbers that count nothing: amounts of money ("$25,000", "USD 5 million"), shares
# ("38.3%"), ordinals ("the 15th day"), footnote marks ("(1)") and list numbers ("2."),
# identifiers ("FINRA Rule 4530", "Note 7", "page 12"), period labels ("Q4", "FY25",
# "H1") and years, a sentence's last word too.
_NOT_COUNTS_RE = re.compile(
    "|".join(
        (
            r"(?:[$€£¥]|\b(?:USD|EUR|GBP|JPY|CHF)\s?)\d[\d,.]*",  # money
            r"\d[\d,.]*\s?%",  # shares
            r"\b\d+(?:st|nd|rd|th)\b",  # ordinals
            r"\(\d{1,2}\)|^\s*\d{1,2}[.)](?=\s)",  # footnote marks, list numbers
            r"\b(?:rule|no|number|form|section|item|article|note|notes|page|pages|p|pp|"
            r"chapter|appendix|schedule|exhibit|level|tier|class|series)\.?\s*#?\d[\w.-]*",
            r"\b(?:Q[1-4]|H[12]|FY\s?\d{2,4})\b",  # period labels
            r"\b(?:top|first|last|largest|biggest|next)\s+\d+\b",  # a ranking: "Top 10 holdings"
            _YEAR,
        )
    ),
    re.IGNORECASE,
)


def counts(sentence: str, terms: set[str], *, directly: bool = False) -> bool:
    """Whether ``sentence`` states a number that counts what ``terms`` (stemmed) name.
    A number counts the words right after it ("83,700 employees", "7 of the 11 fee
    complaints"); one after a label stands bare ("Complaints received in Q4 2025: 47").
    Money, shares, ordinals, identifiers, period labels ("FINRA Rule 4530 ... by the 15th
    day") and spans of time ("within 1 business day", "by day 30") count nothing else. A
    count written as a word ("three segments") counts the words right after it only.
    ``directly``: only a number right before what it counts ("79,000 people")."""
    text = _NOT_COUNTS_RE.sub(" ; ", _NOT_FIGURES_RE.sub(" ; ", sentence))
    for number in _COUNT_RE.finditer(text):
        following = _FOLLOWING_RE.match(text, number.end())
        after = following.group(1).lower().split() if following else []
        after = [w for w in after if w not in _SCALES][:_COUNTED_SPAN]
        before = _WORD_RE.findall(text[: number.start()])[-1:]
        if after and after[0] not in _JOINING:
            if terms & set(tokenize(" ".join(after))):
                return True
            continue
        if directly:
            continue
        timed = bool(before) and before[0].lower() in _TIME_UNITS
        if not timed or terms & set(tokenize(before[0])):
            return True
    if directly:
        return False
    # A count written as a word counts only the words right after it ("three segments").
    for word in _NUMBER_WORD_RE.finditer(text):
        following = _FOLLOWING_RE.match(text, word.end())
        after = following.group(1).lower().split()[:_COUNTED_SPAN] if following else []
        if after and after[0] not in _JOINING and terms & set(tokenize(" ".join(after))):
            return True
    return False


# Counts a source writes as a symbol: "by how many percentage points" reads "9% from 8%",
# "how many times" a multiple ("2.7x") or a ratio computed from two figures.
_SYMBOL_UNITS = frozenset(tokenize("points percent percentage bps basis times"))
# The thing a "how many" question counts: the word before its verb or preposition.
_COUNTED_RE = re.compile(
    r"\bhow\s+many\s+(?:[a-z-]+\s+){0,3}?([a-z-]+)(?=\s+(?:did|does|do|were|was|are|is|has|"
    r"have|had|will|would|can|could|must|should|shall|may|might|need|in|at|of|for|on|by|as|"
    r"per|\W|$)|\s*$|\?)",
    re.IGNORECASE,
)


def counted(question: str) -> set[str]:
    """What a "how many" question counts, as stemmed terms ("How many client complaints
    did ..." -> {"complaint"}); empty when it asks no count, or one a source writes as a
    symbol ("how many percentage points", "how many times")."""
    match = _COUNTED_RE.search(question)
    return set(tokenize(match[1])) - _SYMBOL_UNITS if match else set()


# "When is the restricted list updated?" asks for a time; a row that merely names the
# restricted list answers nothing. A time: a date, a month or a year, a weekday, a time of
# day, a quarter, a frequency ("daily", "every month"), or a span ("within 5 business
# days", "90 calendar days").
_WHEN_RE = re.compile(r"^\W*when\b", re.IGNORECASE)
_UNIT = r"(?:business\s+|calendar\s+|trading\s+)?(?:day|week|month|quarter|year|hour|minute)s?"
_TIME_RE = re.compile(
    rf"\b{_MONTH}\.?\s+\d"
    rf"|\b\d{{1,2}}\s+{_MONTH}\b"
    r"|" + _YEAR + r"|\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|\bweekdays?\b"
    r"|\b\d{1,2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)|\bnoon\b|\bmidnight\b"
    r"|\bQ[1-4]\b|\b(?:first|second|third|fourth)\s+quarter\b|\byear[- ]end\b"
    r"|\b(?:daily|weekly|monthly|quarterly|annually|yearly|fortnightly|immediately|today)\b"
    r"|\b(?:every|each|once\s+a|twice\s+a|per)\s+(?:\w+\s+)?" + _UNIT + r"\b"
    r"|\b\d+\s+" + _UNIT + r"\b",
    re.IGNORECASE,
)


def asks_when(ask: str) -> bool:
    """Whether the asking part of a question (``assistant.sentences.focus``) asks when."""
    return _WHEN_RE.match(ask) is not None


def states_time(sentence: str) -> bool:
    """Whether a sentence states a time a "when" question could be answered with."""
    return _TIME_RE.search(sentence) is not None
