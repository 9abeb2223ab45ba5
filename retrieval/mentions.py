"""What a question mentions: company-like names, fiscal periods and document types.

Rule-based and offline; the word lists that decide what is a name are in
``retrieval/data/mentions.toml``, with the lexicon's terms and the classifier's vocabularies
added here. Used for routing to documents, classification and follow-up rewriting.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from retrieval.lexicon import ACTION_VERBS, LEXICON, VOCABULARIES, load_data, words

_MENTIONS_DATA = load_data("mentions")


class Period(NamedTuple):
    """A fiscal or calendar year, with the quarter when the question names one."""

    year: int
    quarter: int | None = None


class Mention(NamedTuple):
    text: str
    start: int
    end: int


class PeriodMention(NamedTuple):
    period: Period
    start: int
    end: int


MAX_ENTITIES = 20

# A capitalised word (ACME, Boeing's, JnJ, Coca-Cola), or a digit-led ticker like 3M.
_WORD = r"(?:[A-Z][\w&'’.\-]*[\w&]|[A-Z]|\d[A-Z]\b)"
_CAP_RUN = re.compile(rf"(?<![\w&]){_WORD}(?:[ \t]+(?:(?:&|of)[ \t]+)?{_WORD})*")
_QUOTED = re.compile(r"“([^”\n]{2,60})”|\"([^\"\n]{2,60})\"|(?<!\w)'([^'\n]{2,60})'(?!\w)")
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")

# Capitalised words that are never names: function words, calendar, single letters of P/E.
_NOT_NAMES = frozenset(words(_MENTIONS_DATA["not_names"]))
# Words that do not open a name but may sit inside one ("Global Income Fund", not "Cash &
# Cash"): statement line items and lexicon terms.
_NOT_NAME_STARTS = frozenset(words(_MENTIONS_DATA["not_name_starts"])) | {
    term.lower() for group in LEXICON for term in group
}
# Capitalised only because they open a sentence: question words, request verbs, topic words.
# Inside a sentence the same words are names ("for Block", "Bank of America").
_SENTENCE_OPENERS = (
    frozenset(words(_MENTIONS_DATA["sentence_openers"]))
    | {phrase.strip().lower() for text in VOCABULARIES.values() for phrase in text.split(",")}
    | set(ACTION_VERBS)
)
# Words that do not end a name ("ACME Revenue"), though they may ("Global Income Fund").
_NOT_NAME_ENDS = frozenset(words(_MENTIONS_DATA["not_name_ends"])) | {
    term.lower() for group in LEXICON for term in group
}
_PERIOD_WORD = re.compile(r"(?:FY|CY|Q|H)\d|\d{4}$|\d+Q", re.I)
# A finance term right after a word: in "Nike revenue fiscal 2023" the opening word is
# whose revenue, a name, though it stands alone at the start ("Difference between" is not).
_TERMS = sorted({t.lower() for g in LEXICON for t in g if t[:1].isalpha()}, key=len, reverse=True)
_TERM_NEXT = re.compile(
    r"^[ \t]+(?:" + "|".join(re.escape(term) for term in _TERMS) + r")(?![\w-])", re.I
)
# Another name right after a word, joined to it as in a list: in "Costco vs Walmart
# revenue" and "Costco and Walmart margins" the opening word is a name too.
_NAME_LISTED_NEXT = re.compile(r"^[ \t]*,?[ \t]*(?:vs\.?|versus|and|or)[ \t]+[A-Z0-9]")
_JOINERS = ("&", "of")


def _not_a_name(word: str, at_edge: bool, opens_sentence: bool) -> bool:
    low = word.lower()
    return (
        low in _NOT_NAMES
        or (at_edge and low in _NOT_NAME_STARTS)
        or (opens_sentence and low in _SENTENCE_OPENERS)
        or _PERIOD_WORD.match(word) is not None
        or sum(ch.isalpha() for ch in word) < (1 if word[0].isdigit() else 2)
    )


def _sentence_start(text: str, pos: int) -> bool:
    before = text[max(0, pos - 40) : pos].rstrip(" \t\"'“‘(")
    return not before or before[-1] in ".!?¿¡:;\n"


def _looks_like_name(word: str) -> bool:
    """A word that is a name even where every word is capitalised: ACME, JnJ, 3M, Boeing's."""
    return word[0].isdigit() or sum(ch.isupper() for ch in word) >= 2 or word.endswith(("'s", "’s"))


def _name_segments(text: str, match: re.Match[str]) -> list[Mention]:
    """Split one run of capitalised words at non-name words and after possessives."""
    found: list[Mention] = []
    current: list[re.Match[str]] = []

    def flush() -> None:
        while current and (
            current[-1].group() in _JOINERS
            or _POSSESSIVE.sub("", current[-1].group()).lower() in _NOT_NAME_ENDS
        ):
            current.pop()
        start = match.start() + current[0].start() if current else 0
        # A lone ordinary capitalised word opening a sentence ("Difference", "Wie") is not a
        # name, unless a finance term follows it ("Nike revenue", "Tesla net income") or
        # another name listed with it ("Costco vs Walmart").
        end = match.start() + current[-1].end() if current else 0
        if current and (
            len(current) > 1
            or _looks_like_name(current[0].group())
            or not _sentence_start(text, start)
            or _TERM_NEXT.match(text[end : end + 60]) is not None
            or _NAME_LISTED_NEXT.match(text[end : end + 20]) is not None
        ):
            name = _POSSESSIVE.sub("", text[start : match.start() + current[-1].end()])
            found.append(Mention(name, start, start + len(name)))
        current.clear()

    for part in re.finditer(r"\S+", match.group()):
        word = _POSSESSIVE.sub("", part.group())
        if word in _JOINERS:
            if current:
                current.append(part)
        elif _not_a_name(
            word,
            at_edge=not current,
            opens_sentence=not current and _sentence_start(text, match.start() + part.start()),
        ):
            flush()
        else:
            current.append(part)
            if word != part.group():
                flush()  # "Amazon's FY2017": a possessive ends the name
    flush()
    return found


def find_entities(text: str) -> list[Mention]:
    """Company-like names: runs of capitalised words, ALLCAPS tickers and quoted names."""
    found: list[Mention] = []
    for match in _CAP_RUN.finditer(text):
        found.extend(_name_segments(text, match))
        if len(found) >= MAX_ENTITIES * 4:
            break
    for match in _QUOTED.finditer(text):
        inner = next(g for g in match.groups() if g is not None).strip()
        if inner and len(inner.split()) <= 6:
            found.append(Mention(inner, match.start(), match.end()))
    found.sort(key=lambda m: m.start)
    return found


def extract_entities(text: str) -> tuple[str, ...]:
    """Distinct names in order of first mention (case-insensitive), at most ``MAX_ENTITIES``."""
    seen: dict[str, str] = {}
    for mention in find_entities(text):
        seen.setdefault(mention.text.lower(), mention.text)
    return tuple(seen.values())[:MAX_ENTITIES]


_YY = r"(\d{4}|\d{2})(?!\d)"
_FISCAL = r"(?:FY|F\.Y\.|CY|fiscal\s+year|financial\s+year|fiscal)"
_ORDINAL = {"first": 1, "second": 2, "third": 3, "fourth": 4}
# (pattern, index of the year group, index of the quarter group or 0 for none).
_PERIOD_PATTERNS: tuple[tuple[re.Pattern[str], int, int], ...] = (
    (re.compile(rf"\bFY\s?'?{_YY}\s*Q([1-4])\b", re.I), 1, 2),  # FY2023Q1
    (re.compile(r"\b((?:19|20)\d{2})\s*Q([1-4])\b", re.I), 1, 2),  # 2023Q1
    (re.compile(rf"\bQ([1-4])\s*(?:of\s+|in\s+)?{_FISCAL}\s*'?{_YY}", re.I), 2, 1),
    (re.compile(r"\bQ([1-4])\s*(?:of\s+|in\s+)?((?:19|20)\d{2})(?!\d)", re.I), 2, 1),
    (re.compile(r"\bQ([1-4])\s*['’](\d{2})(?!\d)", re.I), 2, 1),  # Q3'23
    (re.compile(r"\b([1-4])Q\s*['’]?(\d{4}|\d{2})(?!\d)", re.I), 2, 1),  # 3Q23
    (
        re.compile(
            rf"\b(first|second|third|fourth)\s+(?:fiscal\s+)?quarter\s+(?:of\s+|in\s+)?"
            rf"(?:{_FISCAL}\s*)?'?((?:19|20)\d{{2}}|\d{{2}})(?!\d)",
            re.I,
        ),
        2,
        1,
    ),
    (re.compile(rf"\b{_FISCAL}\s*['’]?{_YY}", re.I), 1, 0),  # FY2022, FY 22, fiscal 2021
    (re.compile(r"(?<![\d$£€.,])((?:19[5-9]|20\d)\d)(?!\d|[.,]\d|\s*%)"), 1, 0),
)


def _year(digits: str) -> int:
    value = int(digits)
    if len(digits) == 2:
        return 2000 + value if value < 70 else 1900 + value
    return value


def find_periods(text: str) -> list[PeriodMention]:
    """Every year or quarter mention with its span; earlier patterns win overlaps."""
    taken = bytearray(len(text))
    found: list[PeriodMention] = []
    for pattern, year_group, quarter_group in _PERIOD_PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(taken[start:end]):
                continue
            quarter_text = match.group(quarter_group) if quarter_group else None
            quarter = None
            if quarter_text is not None:
                quarter = _ORDINAL.get(quarter_text.lower()) or int(quarter_text)
            found.append(PeriodMention(Period(_year(match.group(year_group)), quarter), start, end))
            taken[start:end] = b"\x01" * (end - start)
    found.sort(key=lambda m: m.start)
    return found


_SHORT_YEAR_RE = re.compile(r"(?<!\d)'?(\d{2})(?!\d)")


def full_years(text: str) -> str:
    """``text`` with each period named by a two-digit year written with four ("FY22" ->
    "FY2022", "Q2 FY'24" -> "Q2 FY2024", "fiscal 22" -> "fiscal 2022"), as
    ``find_periods`` reads them, so rules reading four-digit years read them too."""
    out, at = [], 0
    for mention in find_periods(text):
        piece = text[mention.start : mention.end]
        year = str(mention.period.year)
        if year not in piece:
            short = list(_SHORT_YEAR_RE.finditer(piece))
            if short:
                last = short[-1]
                piece = piece[: last.start()] + year + piece[last.end() :]
        out += [text[at : mention.start], piece]
        at = mention.end
    return "".join([*out, text[at:]])


def extract_periods(text: str) -> tuple[Period, ...]:
    """Distinct periods in order of first mention."""
    return tuple(dict.fromkeys(m.period for m in find_periods(text)))


def _form(number: str, letter: str) -> str:
    # "10-K" always; "10K" unless it is an amount ($10K, 10K shares); "10k" only beside a
    # word that makes it a filing ("this 10k", "10k report").
    det = r"(?:this|the|its|their|latest|last|recent|annual|quarterly|form)\s+"
    doc = r"(?=\s+(?:report|filing|form|document|statement)s?\b)"
    low, up = letter.lower(), letter.upper()
    return (
        rf"(?<![\w$£€.,]){number}[-‐–]\s?[{low}{up}]\b"
        rf"|(?<![\w$£€.,]){number}{up}\b(?!\s+(?:shares|units|dollars|usd|eur|gbp|euros))"
        rf"|\b{det}{number}{low}\b|(?<![\w$£€.,]){number}{low}{doc}"
    )


_DOC_TYPES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (label, re.compile(pattern, flags))
    for label, pattern, flags in (
        ("10-K", _form("10", "k"), 0),
        ("10-Q", _form("10", "q"), 0),
        ("8-K", _form("8", "k"), 0),
        ("20-F", _form("20", "f"), 0),
        ("earnings release", r"\b(?:earnings|results)\s+(?:press\s+)?releases?\b", re.I),
        ("press release", r"(?<!earnings )(?<!results )\bpress\s+releases?\b", re.I),
        (
            "earnings call transcript",
            r"\b(?:earnings|conference)\s+calls?\b|\btranscripts?\b",
            re.I,
        ),
        ("fact sheet", r"\bfact\s?sheets?\b", re.I),
        (
            "policy",
            r"(?<!monetary )(?<!fiscal )\bpolic(?:y|ies)\b|\bprocedures?\b|\bguidelines?\b"
            r"|\bhandbook\b|\bcompliance\s+manual\b|\bcode\s+of\s+(?:conduct|ethics)\b",
            re.I,
        ),
        ("prospectus", r"\bprospectus(?:es)?\b", re.I),
        ("KIID", r"\bKII?Ds?\b|\bkey\s+investor\s+information\b", 0),
        ("annual report", r"\bannual\s+reports?\b", re.I),
        ("quarterly report", r"\bquarterly\s+reports?\b", re.I),
        ("research note", r"\b(?:research|analyst)\s+(?:notes?|reports?)\b", re.I),
        ("proxy statement", r"\bproxy\s+statements?\b|\bDEF\s?14A\b", re.I),
        ("presentation", r"\b(?:investor\s+)?presentations?\b|\bslide\s?decks?\b", re.I),
    )
)


def extract_doc_types(text: str) -> tuple[str, ...]:
    """Document types the question names, in a fixed order (10-K before 10-Q ...)."""
    return tuple(label for label, pattern in _DOC_TYPES if pattern.search(text))
