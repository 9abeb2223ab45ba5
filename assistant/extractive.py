"""The offline answerer: quote the sentences (or table rows) that answer, and cite them.

Every sentence of an extractive answer is copied verbatim from a retrieved passage, so
each citation points at text that contains the claim. Sentences are scored by how much
of the question's content (stemmed terms, weighted by rarity among the candidates) they
cover, with a small prior for better-ranked passages.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.sparse import tokenize
from retrieval.types import Passage

# Sentence ends, or line breaks (table rows and list items are lines).
_SPLIT_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(\"'])|\n+")
_NUMBER_RE = re.compile(r"\d")
MIN_CHARS = 12
MAX_CHARS = 600


@dataclass(frozen=True, slots=True)
class Quote:
    passage: int  # index into the passages given
    text: str
    score: float  # 0..1: share of the question's weighted content terms it covers


def sentences(text: str) -> list[str]:
    """Sentences and table rows of a passage, whitespace-normalised, in order."""
    out = []
    for piece in _SPLIT_RE.split(text):
        piece = " ".join(piece.split())
        if MIN_CHARS <= len(piece) <= MAX_CHARS:
            out.append(piece)
    return out


def _is_furniture(sentence: str, titles: set[str]) -> bool:
    """A running header such as 'Firm | Document title Page 3'."""
    return any(title and title in sentence and len(sentence) < len(title) + 40 for title in titles)


def best_quotes(question: str, passages: Sequence[Passage], limit: int = 2) -> list[Quote]:
    """The ``limit`` sentences that best cover the question, best first."""
    terms = Counter(tokenize(question))
    if not terms or not passages:
        return []
    split = [sentences(p.text) for p in passages]
    # Lines repeated across passages are page furniture (running headers, footers).
    seen = Counter(sentence for group in split for sentence in set(group))
    titles = {" ".join(p.title.split()) for p in passages}
    split = [
        [s for s in group if seen[s] < 2 and s not in titles and not _is_furniture(s, titles)]
        for group in split
    ]
    # Rarity among the candidate sentences: a term every sentence has tells nothing.
    df: Counter[str] = Counter()
    total = 0
    for group in split:
        for sentence in group:
            df.update(set(tokenize(sentence)))
            total += 1
    weights = {t: math.log(1 + (total + 1) / (df.get(t, 0) + 0.5)) for t in terms}
    norm = sum(weights.values())
    wants_number = bool(
        re.search(
            r"\b(how (much|many)|what (was|is|were) the|percent|"
            r"ratio|rate|amount|total|margin|\d)",
            question,
            re.I,
        )
    )
    scored = []
    for index, group in enumerate(split):
        prior = 1.0 / (1 + 0.05 * index)
        for sentence in group:
            present = set(tokenize(sentence))
            cover = sum(w for t, w in weights.items() if t in present) / norm
            if wants_number and not _NUMBER_RE.search(sentence):
                cover *= 0.7
            scored.append(Quote(index, sentence, round(cover * prior, 6)))
    scored.sort(key=lambda q: -q.score)
    chosen: list[Quote] = []
    for quote in scored:
        if all(quote.text != c.text for c in chosen):
            chosen.append(quote)
        if len(chosen) == limit:
            break
    return chosen
