"""Query expansion: rewrite a question into a few variants and extra terms before retrieval.

Back-ends are picked by name (``retrieval.expanders``): ``none`` (the question alone),
``lexicon`` (offline default): acronyms and long forms from the built-in financial lexicon,
both ways, optionally extended with definitions mined from the indexed corpus
(``mine_lexicon``), and the chat-model kinds of ``expand_llm``: ``llm-rewrite``,
``llm-multi`` and ``hyde``. Follow-ups become standalone questions in ``retrieval.followup``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple, Protocol

from retrieval.lexicon import (
    LEXICON,
    PhraseIndex,
    PhraseMatch,
    case_sensitive,
    clean_text,
    fold,
    is_acronym,
    tokenize,
)


@dataclass(frozen=True, slots=True)
class Expansion:
    """``variants`` start with the question itself; ``added_terms`` are for a BM25 query."""

    original: str
    variants: tuple[str, ...]
    added_terms: tuple[str, ...]


class QueryExpander(Protocol):
    def expand(self, question: str) -> Expansion: ...


class NoExpander:
    """The question alone: the baseline every expansion is measured against."""

    def expand(self, question: str) -> Expansion:
        text = clean_text(question).strip()
        return Expansion(question, (text,) if text else (), ())


class LexiconExpander:
    """Acronym <-> long form <-> synonym expansion from the financial lexicon.

    ``extra`` maps an acronym to long forms (for example ``mine_lexicon(corpus_texts)``);
    it joins the built-in group that shares a term, or becomes a new group. At most
    ``max_variants`` variants (the question included) and ``max_terms`` added terms.
    """

    def __init__(
        self,
        extra: Mapping[str, Iterable[str]] | None = None,
        *,
        max_variants: int = 4,
        max_terms: int = 24,
    ) -> None:
        if max_variants < 1 or max_terms < 0:
            raise ValueError(
                f"need max_variants >= 1 and max_terms >= 0, got {max_variants}, {max_terms}"
            )
        self.max_variants = max_variants
        self.max_terms = max_terms
        self.groups = _merge_groups(LEXICON, extra or {})
        self._index: PhraseIndex[int] = PhraseIndex(
            (term, case_sensitive(term), g) for g, group in enumerate(self.groups) for term in group
        )

    def expand(self, question: str) -> Expansion:
        text = clean_text(question).strip()
        if not text:
            return Expansion(question, (), ())
        matches = self._index.find(text)
        keys = dict.fromkeys((m.payload, m.surface) for m in matches)
        choices = {key: self._choice(*key) for key in keys}
        variants = [text]
        for field in ("long", "short", "synonym"):
            swaps = {key: getattr(choice, field) for key, choice in choices.items()}
            variants.append(_replace(text, matches, swaps))
        folded = fold(text)
        added = dict.fromkeys(term for choice in choices.values() for term in choice.others)
        return Expansion(
            question,
            tuple(dict.fromkeys(variants))[: self.max_variants],
            tuple(term for term in added if fold(term) not in folded)[: self.max_terms],
        )

    def _choice(self, group_index: int, surface: str) -> _Choice:
        group = self.groups[group_index]
        said = _norm(surface)
        others = [t for t in group if _norm(t) not in (said, said[:-1])]
        acronyms = [t for t in group if is_acronym(t)]
        longs = [t for t in group if not is_acronym(t)]
        if any(t not in others for t in acronyms):  # the question used an acronym
            return _Choice(longs[0] if longs else None, None, None, others)
        synonym = None if acronyms else next((t for t in longs if t in others), None)
        return _Choice(None, acronyms[0] if acronyms else None, synonym, others)


class _Choice(NamedTuple):
    """Replacements for one matched term in each variant, and the group's other terms.

    An acronym gets its long form (``long``), a long form its acronym (``short``), a term
    of a group without acronyms ("revenue") its first synonym (``synonym``).
    """

    long: str | None
    short: str | None
    synonym: str | None
    others: list[str]


def _norm(term: str) -> str:
    """Folded tokens joined by spaces: "Free-Cash-Flow" and "free cash flow" compare equal."""
    return " ".join(fold(token.text) for token in tokenize(term))


def _replace(
    text: str, matches: Sequence[PhraseMatch[int]], swaps: Mapping[tuple[int, str], str | None]
) -> str:
    out: list[str] = []
    last = 0
    for match in matches:
        new = swaps[(match.payload, match.surface)]
        if new is None:
            continue
        out.append(text[last : match.start])
        if out[-1][-1:].isalnum():
            out.append(" ")
        out.append(new)
        if text[match.end : match.end + 1].isalnum():  # "FY2022" -> "fiscal year 2022"
            out.append(" ")
        last = match.end
    out.append(text[last:])
    return "".join(out)


def _merge_groups(
    base: Iterable[Sequence[str]], extra: Mapping[str, Iterable[str]]
) -> tuple[tuple[str, ...], ...]:
    groups = [list(group) for group in base]
    where: dict[str, int] = {}
    for g, group in enumerate(groups):
        for term in group:
            where.setdefault(_key(term), g)
    for acronym, longs in extra.items():
        terms = [acronym, *sorted(longs)]
        known = [where[_key(t)] for t in terms if _key(t) in where]
        target = known[0] if known else len(groups)
        if not known:
            groups.append([])
        for term in terms:
            if _key(term) not in where:
                groups[target].append(term)
                where[_key(term)] = target
    return tuple(tuple(group) for group in groups if group)


def _key(term: str) -> str:
    # Acronyms keep their case ("IT" is not "it"); words and phrases compare folded.
    return term if case_sensitive(term) else " ".join(fold(w) for w in re.split(r"[\s\-]+", term))


# --- mining "long form (ACRONYM)" and "ACRONYM (long form)" definitions --------------------

_PAREN = re.compile(r"\(([^()\n]{1,80})\)")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z&/.\-]*)\s*$")
_CLAUSE_END = re.compile(r"[.;:!?\n()\[\]]")
_SKIPPABLE = frozenset({"of", "and", "the", "for", "to", "in", "on", "a", "an", "&", "de", "by"})


def mine_lexicon(texts: Iterable[str]) -> dict[str, set[str]]:
    """Acronym -> long forms defined in ``texts``, e.g. "free cash flow (FCF)".

    Both "long form (ACRONYM)" and "ACRONYM (long form)" count, and only when the acronym's
    letters are the initials of the long form's words in order (small words such as "of"
    may be skipped): "Markets in Financial Instruments Directive (MiFID)" is found,
    "revenue (see note 3)" is not. Long forms are returned lower-cased.
    """
    found: dict[str, set[str]] = {}
    for text in texts:
        for match in _PAREN.finditer(text):
            inner = match.group(1).strip()
            acronym = _as_acronym(inner)
            if acronym is not None:
                clause = _CLAUSE_END.split(text[max(0, match.start() - 300) : match.start()])[-1]
                long_form = _long_form_before(clause.split(), _letters(acronym))
            else:
                before = _WORD_BEFORE.search(text[max(0, match.start() - 30) : match.start()])
                acronym = _as_acronym(before.group(1)) if before else None
                words = inner.replace(",", " ").split()
                letters = _letters(acronym) if acronym else ""
                long_form = " ".join(words) if acronym and _initials_match(words, letters) else None
            if acronym is not None and long_form:
                found.setdefault(acronym, set()).add(long_form.lower().strip(" ,"))
    return found


def _as_acronym(token: str) -> str | None:
    token = token.strip(" .,;:")
    if len(token) > 2 and token.endswith("s") and token[-2].isupper():
        token = token[:-1]  # "ETFs"
    letters = [ch for ch in token if ch.isalpha()]
    uppers = sum(ch.isupper() for ch in letters)
    shape_ok = re.fullmatch(r"[A-Z][A-Za-z&/\-]{0,11}", token) is not None
    return token if shape_ok and uppers >= 2 and 2 <= len(letters) <= 10 else None


def _letters(acronym: str) -> str:
    # All letters of "EBITDA"; only the capitals of mixed-case "MiFID" (M F I D) or "BoE".
    letters = [ch for ch in acronym if ch.isalpha()]
    if any(ch.islower() for ch in letters):
        letters = [ch for ch in letters if ch.isupper()]
    return "".join(letters).lower()


def _long_form_before(words: list[str], letters: str) -> str | None:
    """The shortest run of trailing ``words`` whose initials spell ``letters``."""
    words = [w.strip(",\"'“”") for w in words]
    for size in range(1, min(len(words), len(letters) + 4) + 1):
        candidate = [w for w in words[-size:] if w]
        if _initials_match(candidate, letters):
            return " ".join(candidate)
    return None


def _initials_match(words: Sequence[str], letters: str) -> bool:
    parts = tuple(p for w in words for p in re.split(r"[-/]", w) if p)
    if len(parts) < 2 or not letters or parts[0][0].lower() != letters[0]:
        return False
    return _spell(parts, letters)


def _spell(parts: tuple[str, ...], letters: str) -> bool:
    """Each word gives its initial to the next letter, or is a small word that is skipped."""
    if not parts:
        return not letters
    head, rest = parts[0], parts[1:]
    if letters and head[0].lower() == letters[0] and _spell(rest, letters[1:]):
        return True
    return head.lower() in _SKIPPABLE and _spell(rest, letters)
