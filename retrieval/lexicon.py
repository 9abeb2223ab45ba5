"""Lexical resources for classification and expansion: tokens and phrase matching, the
financial lexicon, the classifier's word lists and example questions. What a question
mentions (names, periods, document types) is found in ``retrieval.mentions``.

Rule-based and offline. The tables themselves (lexicon groups, vocabularies, word lists,
example questions) are data files under ``retrieval/data/``, read once at import; the code
here shapes them for ``classify.py``, ``expand.py`` and ``followup.py``. Phrase matching
is token based (never one giant regex): a 100k-character input costs one linear pass plus
dictionary look-ups.
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


def load_data(name: str) -> dict[str, Any]:
    """``retrieval/data/<name>.toml``: a table this package ships as package data."""
    with (DATA_DIR / f"{name}.toml").open("rb") as f:
        return tomllib.load(f)


_LEXICON_DATA = load_data("lexicon")
_CLASSIFIER_DATA = load_data("classifier")

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
# Request verbs by what they must act on to be a request (see ``signals._acts_on``).
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
