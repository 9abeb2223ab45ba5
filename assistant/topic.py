"""Is the question's topic in the sources? Its content words, and how many they hold.

A question's topic words are its stemmed content words that are not names, periods or
instructions ("What was 3M's FY2018 capital expenditure?": "capit", "expenditur"); a
lexicon synonym of a word counts for it. ``topic_cover`` is the share of them the sources
hold; ``topic_stems`` those that can date a figure, for the period check.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from assistant.dated import PERIOD_WORDS
from assistant.question_names import GENERIC_STEMS, INSTRUCTION
from ingest.sparse import tokenize
from retrieval.lexicon import LEXICON

# The words of a name that identify nothing (``GENERIC``), stemmed: they qualify what is
# asked ("per share", "fund class").
_GENERIC_STEMS = GENERIC_STEMS | frozenset(tokenize("per"))
# Words of a conversation, not of a topic: "tell me more", "and a year earlier?", "what
# about the second one?". A question of these alone says nothing of what it is about.
DISCOURSE = frozenset(
    tokenize(
        "tell more earlier later then else again same before after previous prior next last "
        "first second third fourth one ones summarise summarize summary explain elaborate "
        "please continue go on further other another thing things stuff happen happened "
        "latest new news update updates "
        # "Which one is cheaper?": a comparison, of nothing named.
        "better worse cheaper dearer higher lower bigger smaller larger more less best worst"
    )
)
# Words that qualify a metric rather than name it ("net sales", "total revenue").
_QUALIFIERS = frozenset(tokenize("net total top line gross adjusted cost rate ratio"))


def topic_cover(
    question: str, names: Sequence[str], source_terms: Sequence[frozenset[str]]
) -> float:
    """Share of the question's content words (not names, periods or instructions) that
    occur in the sources, a word's lexicon synonyms counting for it."""
    words = topic_words(question, names)
    if not words:
        return 1.0
    present = frozenset().union(*source_terms) if source_terms else frozenset()
    found = sum(1 for w in words if w in present or _synonym_present(w, present))
    return found / len(words)


def topic_words(question: str, names: Sequence[str]) -> list[str]:
    """The question's content words (stemmed): not names, periods or instructions."""
    named = set().union(*(tokenize(n) for n in names)) if names else set()
    return [
        t
        for t in dict.fromkeys(tokenize(question))
        if t not in named and t not in INSTRUCTION and not t.isdigit() and not _periodish(t)
    ]


def topic_stems(question: str, names: Sequence[str]) -> frozenset[str]:
    """Topic words that can date a figure ("target", "return"), with the words of their
    lexicon synonyms; period words ("end", "calendar") say when, not what, and generic
    words ("share" of "per share") qualify it."""
    words = [
        w
        for w in topic_words(question, names)
        if w not in PERIOD_WORDS and w not in _GENERIC_STEMS and len(w) > 1
    ]
    stems = set(words)
    for word in words:
        for group in LEXICON:  # only groups the word names by itself ("revenue": sales)
            forms = [frozenset(tokenize(term)) for term in group]
            if frozenset((word,)) in forms:
                stems.update(t for f in forms if len(f) <= 2 and not f & _QUALIFIERS for t in f)
    return frozenset(stems)


def _periodish(token: str) -> bool:
    return token[:2] in ("fy", "q1", "q2", "q3", "q4") and any(c.isdigit() for c in token)


def _synonym_present(word: str, present: frozenset[str]) -> bool:
    return any(tokens <= present for tokens in _SYNONYMS.get(word, ()))


def _build_synonyms() -> Mapping[str, tuple[frozenset[str], ...]]:
    table: dict[str, list[frozenset[str]]] = {}
    for group in LEXICON:
        forms = [frozenset(tokenize(term)) for term in group]
        for form in forms:
            for word in form:
                table.setdefault(word, []).extend(f for f in forms if f and f != form)
    return {w: tuple(fs) for w, fs in table.items()}


_SYNONYMS = _build_synonyms()
