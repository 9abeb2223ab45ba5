"""Route a question to the documents it is about, using the catalogue built at ingest time.

Passages in a filing say "the Company" while questions name the issuer ("JnJ", "American
Water Works") and a period ("FY2022"), so passage-level search alone finds the wrong
filing. Each catalogued document gets a card (title, file name, tags, issuer initialisms,
years) scored with BM25 against the question, plus agreement on years. Nothing here
knows any benchmark: cards come only from the indexed documents' own metadata.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ingest.catalog import CatalogEntry
from ingest.chunking import file_name_words
from ingest.sparse import tokenize
from retrieval.lexicon import extract_entities

_FULL_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_SHORT_FY_RE = re.compile(r"\bFY\s?'?(\d{2})\b", re.IGNORECASE)
_ISSUER_SPLIT = re.compile(r"\s+Form\s+|\s+for the\s+", re.IGNORECASE)
# A name found on more than this share of documents (the firm's own name, "US") does
# not identify a document, so it does not route.
COMMON_NAME_SHARE = 0.2
_CORPORATE = {
    "inc",
    "corp",
    "corporation",
    "company",
    "co",
    "plc",
    "ltd",
    "llc",
    "the",
    "and",
    "group",
    "holdings",
    "incorporated",
    "sa",
    "ag",
    "nv",
}


def years_in(text: str) -> set[int]:
    """Four-digit years 1900-2099 written in ``text``."""
    return {int(y) for y in _FULL_YEAR_RE.findall(text)}


def question_years(text: str) -> set[int]:
    """Years a question mentions: 2022, FY2022, FY22, fiscal 2021."""
    years = years_in(text)
    years |= {2000 + int(y) for y in _SHORT_FY_RE.findall(text)}
    return years


def initialisms(name: str) -> set[str]:
    """Short forms people use for a multi-word issuer: 'Johnson & Johnson' -> jnj, jj."""
    words = [w for w in re.findall(r"[A-Za-z]+", name) if w.lower() not in _CORPORATE]
    if len(words) < 2:
        return set()
    letters = "".join(w[0] for w in words).lower()
    forms = {letters}
    if len(words) == 2:
        forms.add(f"{letters[0]}n{letters[1]}")  # "J&J" is commonly typed "JnJ"
    return forms


@dataclass(frozen=True, slots=True)
class Card:
    document_id: str
    terms: Counter[str]
    years: frozenset[int]
    allowed_groups: tuple[str, ...]


def card_for(entry: CatalogEntry) -> Card:
    stem = file_name_words(entry.source)
    # Split glued capitals ("AMERICANWATERWORKS" stays, "JohnsonJohnson" splits).
    stem = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", stem)
    issuer = _ISSUER_SPLIT.split(entry.title, maxsplit=1)[0]
    tags = " ".join(str(t) for t in entry.meta.get("tags", ()))
    text = " ".join([entry.title, stem, tags, " ".join(sorted(initialisms(issuer)))])
    years = years_in(f"{entry.title} {stem}")
    return Card(entry.id, Counter(tokenize(text)), frozenset(years), entry.allowed_groups)


class DocumentRouter:
    """BM25 over document cards, with a bonus for matching years."""

    def __init__(self, entries: Iterable[CatalogEntry], k1: float = 1.2, b: float = 0.5) -> None:
        self.cards = [card_for(e) for e in entries]
        self._k1, self._b = k1, b
        lengths = [sum(c.terms.values()) for c in self.cards]
        self._lengths = lengths
        self._avgdl = (sum(lengths) / len(lengths)) if lengths else 1.0
        df: Counter[str] = Counter()
        for card in self.cards:
            df.update(card.terms.keys())
        n = len(self.cards)
        self._df = dict(df)
        self._idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        self._postings: dict[str, list[int]] = defaultdict(list)
        for index, card in enumerate(self.cards):
            for term in card.terms:
                self._postings[term].append(index)

    def route(
        self, question: str, groups: Sequence[str] | None, limit: int, ratio: float = 0.6
    ) -> list[tuple[str, float]]:
        """Documents (id, score) the question is most likely about, best first.

        Only cards visible to ``groups`` take part, so routing never reveals a restricted
        document. Documents scoring under ``ratio`` of the best are dropped; a question
        that names nothing is routed nowhere.
        """
        # Route on what the question is about (its named issuers, products, tickers), not
        # on generic words that happen to be in some title ("initiation", "outlook").
        terms = {
            t
            for t in tokenize(" ".join(extract_entities(question)))
            if self._df.get(t, 0) <= max(1, COMMON_NAME_SHARE * len(self.cards))
        }
        if not terms:
            return []
        years = question_years(question)
        scores: dict[int, float] = defaultdict(float)
        for term in terms:
            for index in self._postings.get(term, ()):
                card = self.cards[index]
                tf = card.terms[term]
                dl = self._lengths[index]
                norm = (
                    tf
                    * (self._k1 + 1)
                    / (tf + self._k1 * (1 - self._b + self._b * dl / self._avgdl))
                )
                scores[index] += self._idf[term] * norm
        visible = {
            i: s
            for i, s in scores.items()
            if groups is None
            or not self.cards[i].allowed_groups
            or set(self.cards[i].allowed_groups) & set(groups)
        }
        if years:
            for index in visible:
                card_years = self.cards[index].years
                if card_years & years:
                    visible[index] *= 1.5
                elif card_years:
                    visible[index] *= 0.5
        ranked = sorted(visible.items(), key=lambda item: -item[1])
        if not ranked or ranked[0][1] <= 0:
            return []
        best = ranked[0][1]
        return [(self.cards[i].document_id, s) for i, s in ranked[:limit] if s >= ratio * best]
