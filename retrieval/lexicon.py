"""Lexical resources for classification and expansion: tokens and phrase matching, the
financial lexicon, the classifier's word lists and example questions, and what a question
mentions (company-like names, fiscal periods, document types).

Rule-based and offline. The tables themselves (lexicon groups, vocabularies, word lists,
example questions) are data files under ``retrieval/data/``, read once at import; the code
here shapes them for ``classify.py`` and ``expand.py``. Phrase matching is token based
(never one giant regex): a 100k-character input costs one linear pass plus dictionary
look-ups. Sections are marked "# ---".
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, NamedTuple, TypeVar

P = TypeVar("P")

# Letters, digit runs, and the two symbols that live inside acronyms (P/E, SG&A).
# Letters and digits are separate tokens, so "FY2022" is FY + 2022 and "Q3" is Q + 3.
_TOKEN = re.compile(r"[^\W\d_]+|\d+|[&/]")
# What may sit between two tokens of one phrase: spaces, hyphens, commas, apostrophes.
_GAP = re.compile(r"[\s,\-'’]*")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


class Token(NamedTuple):
    text: str
    start: int
    end: int


class PhraseMatch(NamedTuple, Generic[P]):
    start: int  # character offsets into the text
    end: int
    surface: str
    payload: P


def clean_text(text: str) -> str:
    """NFKC-normalise, drop zero-width/format characters and turn control characters into spaces."""
    text = _CONTROL.sub(" ", unicodedata.normalize("NFKC", text))
    if text.isascii():
        return text
    # Dropping format characters (zero-width space, bidi marks) defeats "s\u200bell".
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def words(text: str) -> list[str]:
    """Split a whitespace-separated word list (keeps long lists of words compact)."""
    return text.split()


def tokenize(text: str) -> list[Token]:
    """Word, number and symbol tokens with their character offsets."""
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


@dataclass(frozen=True, slots=True)
class _Entry(Generic[P]):
    words: tuple[str, ...]  # surface form, for case-sensitive entries
    case_sensitive: bool
    payload: P


def fold(word: str) -> str:
    """Lower-case and fold British -isation spellings, so "amortisation" finds "amortization"."""
    return word.lower().replace("isation", "ization")


class PhraseIndex(Generic[P]):
    """Longest-match lookup of multi-word phrases over tokens, with an optional plural "s".

    Case-sensitive entries (short acronyms such as "IT" or "US") match only their exact
    casing; the rest match in any case. Only spaces, hyphens, commas and apostrophes may
    separate the tokens of one phrase, so a match never spans a question mark. The first
    phrase added wins when two share a key.
    """

    def __init__(self, phrases: Iterable[tuple[str, bool, P]]) -> None:
        self._entries: dict[tuple[str, ...], list[_Entry[P]]] = {}
        self._prefixes: set[tuple[str, ...]] = set()
        for phrase, case_sensitive, payload in phrases:
            words = tuple(t.text for t in tokenize(phrase))
            if not words:
                continue
            key = tuple(fold(w) for w in words)
            self._entries.setdefault(key, []).append(_Entry(words, case_sensitive, payload))
            self._prefixes.update(key[:n] for n in range(1, len(key)))

    def find(self, text: str, tokens: Sequence[Token] | None = None) -> list[PhraseMatch[P]]:
        """Non-overlapping matches, left to right, longest first at each position."""
        toks = tokenize(text) if tokens is None else tokens
        found: list[PhraseMatch[P]] = []
        i = 0
        while i < len(toks):
            hit = self._match_at(text, toks, i)
            if hit is None:
                i += 1
                continue
            length, payload = hit
            start, end = toks[i].start, toks[i + length - 1].end
            found.append(PhraseMatch(start, end, text[start:end], payload))
            i += length
        return found

    def _match_at(self, text: str, toks: Sequence[Token], i: int) -> tuple[int, P] | None:
        best: tuple[int, P] | None = None
        key: tuple[str, ...] = ()
        for j in range(i, len(toks)):
            if j > i and _GAP.fullmatch(text, toks[j - 1].end, toks[j].start) is None:
                break
            payload = self._lookup(key, toks[i : j + 1])
            if payload is not None:
                best = (j - i + 1, payload)
            key = (*key, fold(toks[j].text))
            if key not in self._prefixes:
                break
        return best

    def _lookup(self, head: tuple[str, ...], window: Sequence[Token]) -> P | None:
        last = window[-1].text
        candidates = [last]
        if len(last) > 2 and last[-1] in "sS":
            candidates.append(last[:-1])  # plural: ETFs, margins
        for word in candidates:
            for entry in self._entries.get((*head, fold(word)), ()):
                surface = (*(t.text for t in window[:-1]), word)
                if not entry.case_sensitive or surface == entry.words:
                    return entry.payload
        return None


# --- the data tables, loaded once from retrieval/data/*.toml ------------------------------
DATA_DIR = Path(__file__).parent / "data"


def _data(name: str) -> dict[str, Any]:
    with (DATA_DIR / f"{name}.toml").open("rb") as f:
        return tomllib.load(f)


_LEXICON_DATA = _data("lexicon")
_CLASSIFIER_DATA = _data("classifier")
_MENTIONS_DATA = _data("mentions")

# The financial lexicon: each group is one concept, acronyms and long forms alike; the first
# acronym and the first long form of a group are the preferred replacements.
LEXICON: tuple[tuple[str, ...], ...] = tuple(tuple(group) for group in _LEXICON_DATA["groups"])
# Short acronyms that are still the acronym in lower case (see ``case_sensitive``).
LOWERCASE_OK: frozenset[str] = frozenset(words(_LEXICON_DATA["lowercase_ok"]))


def is_acronym(term: str) -> bool:
    """True for a single-token abbreviation written with capitals (EPS, MiFID, Q1, 10-K)."""
    if " " in term:
        return False
    upper = sum(ch.isupper() for ch in term)
    return upper >= 2 or (upper == 1 and any(ch.isdigit() for ch in term)) or term == "Fed"


def case_sensitive(term: str) -> bool:
    """Short capitalised abbreviations match only as written; words match in any case."""
    letters = sum(ch.isalpha() for ch in term)
    return is_acronym(term) and letters < 4 and term.lower() not in LOWERCASE_OK


# --- classification vocabularies ------------------------------------------------------
# Comma-separated phrases, matched on word boundaries in any case.
VOCABULARIES: dict[str, str] = dict(_CLASSIFIER_DATA["vocabularies"])
CJK_VOCABULARIES: dict[str, tuple[str, ...]] = {
    category: tuple(words(text)) for category, text in _CLASSIFIER_DATA["cjk_vocabularies"].items()
}
# Request verbs by what they must act on to be a request (see ``classify._acts_on``).
ACTION_VERBS: dict[str, str] = {
    verb: kind for kind, text in _CLASSIFIER_DATA["action_verbs"].items() for verb in words(text)
}
# A word right after a request verb that makes the verb a noun or adjective ("Sell orders placed
# after 4pm", "Transfer pricing", "Close price", "Buy or sell?").
NOMINAL_AFTER_VERB: frozenset[str] = frozenset(
    words(_CLASSIFIER_DATA["request_words"]["nominal_after_verb"])
)
# Phrasal request verbs: the object is the word after the particle ("set up a direct debit").
PHRASAL_VERBS: frozenset[str] = frozenset(_CLASSIFIER_DATA["request_words"]["phrasal_verbs"])
# Labelled example questions for the ``exemplar`` classifier, one intent per key.
EXEMPLARS: dict[str, tuple[str, ...]] = {
    intent: tuple(questions) for intent, questions in _CLASSIFIER_DATA["exemplars"].items()
}


# --- mentions: names, periods and document types a question refers to ---------------------


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
        # A lone ordinary capitalised word opening a sentence ("Difference", "Wie") is not a name.
        if current and (
            len(current) > 1
            or _looks_like_name(current[0].group())
            or not _sentence_start(text, start)
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
