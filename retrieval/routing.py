"""Route a question to the documents it is about, using the catalogue built at ingest time.

Passages in a filing say "the Company" while questions name the issuer ("JnJ", "American
Water Works") and a period ("FY2022"), so passage-level search alone finds the wrong
filing. Each catalogued document gets a card (title, file name, tags, issuer initialisms,
years) scored with BM25 against the question; among the matched documents the one that
reports the asked period and kind leads (``retrieval.periods``, profiles read at ingest by
``ingest.profile``). Nothing here knows any benchmark: cards come only from the indexed
documents' own metadata.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ingest.catalog import CatalogEntry
from ingest.chunking import file_name_words
from ingest.profile import DocumentProfile
from ingest.sparse import tokenize
from retrieval.mentions import extract_entities
from retrieval.periods import (
    PeriodAsk,
    issuer_key,
    period_fit,
    read_ask,
    recency,
    resolve_fiscal_years,
    type_fit,
)

_FULL_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_SHORT_FY_RE = re.compile(r"\bFY\s?'?(\d{2})\b", re.IGNORECASE)
_ISSUER_SPLIT = re.compile(r"\s+Form\s+|\s+for the\s+", re.IGNORECASE)
# A name found on more than this share of documents (the firm's own name, "US") does
# not identify a document, so it does not route.
COMMON_NAME_SHARE = 0.2
# Routed documents must fit the question within this much of the best (a wrong period
# costs up to 2, a wrong kind up to 1; see DocumentRouter._fit). Chosen on the train half
# of FinanceBench dev's company split (0.5, 1.0, 1.5 and none tried; bench/knowledge.py).
FIT_MARGIN = 0.5
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


_UNPROFILED = DocumentProfile(version=0)


@dataclass(frozen=True, slots=True)
class Card:
    document_id: str
    terms: Counter[str]
    years: frozenset[int]
    allowed_groups: tuple[str, ...]
    profile: DocumentProfile = _UNPROFILED
    names: frozenset[str] = frozenset()  # name_words of the card: what it is about


# Initials joined by "&" are one word: "J&J" -> "jj" (as ``initialisms`` spells Johnson &
# Johnson), "AT&T" -> "att", "P&G" -> "pg".
_AMP_INITIALS = re.compile(r"(?<![A-Za-z])([A-Za-z]{1,2})\s*&\s*([A-Za-z]{1,2})(?![A-Za-z])")


def joined_initials(text: str) -> str:
    return _AMP_INITIALS.sub(r"\1\2", text)


def name_words(text: str) -> frozenset[str]:
    """Lower-case words of a name as written ("3M" stays "3m"; no stemming)."""
    return frozenset(re.findall(r"[a-z0-9]+", joined_initials(text).lower()))


def name_pattern(name: str) -> re.Pattern[str]:
    """``name`` as a whole word or phrase, as written."""
    return re.compile(rf"(?<![\w&]){re.escape(name)}(?![\w&])")


def without_names(question: str, names: Iterable[str]) -> str:
    """``question`` with ``names`` (and their possessive "'s") taken out: the query that
    searches for what it asks of them."""
    for name in names:
        question = re.sub(rf"{name_pattern(name).pattern}(?:['’]s)?", " ", question)
    return " ".join(question.split())


def card_for(entry: CatalogEntry) -> Card:
    stem = file_name_words(entry.source)
    # Split glued capitals ("AMERICANWATERWORKS" stays, "JohnsonJohnson" splits).
    stem = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", stem)
    profile = entry.profile
    issuer = profile.issuer or _ISSUER_SPLIT.split(entry.title, maxsplit=1)[0]
    tags = " ".join(str(t) for t in entry.meta.get("tags", ()))
    names = " ".join([entry.title, profile.issuer or ""])
    text = " ".join([names, stem, tags, " ".join(sorted(initialisms(issuer)))])
    # What the document reports, read from it; a title's years only where nothing was read.
    years = profile.covered_years or frozenset(years_in(entry.title))
    return Card(
        entry.id,
        Counter(tokenize(text)),
        frozenset(years),
        entry.allowed_groups,
        profile,
        name_words(text),
    )


def visible_to(card: Card, groups: Sequence[str] | None) -> bool:
    """Whether a user in ``groups`` may see the card's document (``None``: unchecked,
    trusted callers only; a document with no groups is public)."""
    return groups is None or not card.allowed_groups or bool(set(card.allowed_groups) & set(groups))


def _with_tickers(card: Card, tickers: Iterable[str]) -> Card:
    """``card`` also named by ``tickers``."""
    words = " ".join(sorted(set(tickers)))
    if not words:
        return card
    return dataclasses.replace(
        card, terms=card.terms + Counter(tokenize(words)), names=card.names | name_words(words)
    )


class DocumentRouter:
    """BM25 over document cards finds the named company's documents; the asked period and
    kind (``retrieval.periods``) order them."""

    def __init__(self, entries: Iterable[CatalogEntry], k1: float = 1.2, b: float = 0.5) -> None:
        cards = [card_for(e) for e in entries]
        profiles = resolve_fiscal_years(
            {c.document_id: c.profile for c in cards},
            {c.document_id: issuer_key(c.profile.issuer) for c in cards},
        )
        # A filing is named by its issuer's tickers as any filing of the issuer lists them:
        # a 10-K filed before covers listed trading symbols is still "MMM"'s.
        listed: dict[str, set[str]] = defaultdict(set)
        for card in cards:
            listed[issuer_key(card.profile.issuer) or card.document_id] |= set(card.profile.tickers)
        self.cards = [
            _with_tickers(
                dataclasses.replace(c, profile=profiles[c.document_id]),
                listed[issuer_key(c.profile.issuer) or c.document_id],
            )
            for c in cards
        ]
        self._issuers = {c.document_id: issuer_key(c.profile.issuer) for c in self.cards}
        self._profiles = {c.document_id: c.profile for c in self.cards}
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
        # An issuer's name read from its filings identifies them however many there are.
        self._issuer_terms = frozenset(
            t for card in self.cards for t in tokenize(card.profile.issuer or "")
        ) - frozenset(tokenize(" ".join(_CORPORATE)))
        self._postings: dict[str, list[int]] = defaultdict(list)
        for index, card in enumerate(self.cards):
            for term in card.terms:
                self._postings[term].append(index)

    def issuers_reports(self, documents: Sequence[str]) -> bool:
        """Whether ``documents`` are an issuer's reports (an issuer was read from one of
        them, under whatever name it filed that year), whose order by period says which to
        prefer; documents with no issuer (a house brand's fund fact sheet and structured
        note, both routed by "HPW") are no such series."""
        return any(self._issuers.get(doc) for doc in documents)

    def profile(self, document_id: str) -> DocumentProfile | None:
        """What a document reports, a quarter's report labelled with its issuer's fiscal
        year (``resolve_fiscal_years``); None for a document not catalogued."""
        return self._profiles.get(document_id)

    def routed_names(self, question: str, documents: Sequence[str]) -> list[str]:
        """The names in ``question`` that name any of ``documents`` (a word of theirs is a
        term of its card): inside those documents every page is about them."""
        wanted = set(documents)
        carded = set().union(*(c.terms.keys() for c in self.cards if c.document_id in wanted))
        return [
            name
            for name in extract_entities(question)
            if set(tokenize(joined_initials(name))) & carded
        ]

    def route(
        self, question: str, groups: Sequence[str] | None, limit: int, ratio: float = 0.4
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
            for t in tokenize(joined_initials(" ".join(extract_entities(question))))
            if self._df.get(t, 0) <= max(1, COMMON_NAME_SHARE * len(self.cards))
            or t in self._issuer_terms
        }
        if not terms:
            return []
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
        visible = {i: s for i, s in scores.items() if visible_to(self.cards[i], groups)}
        if not visible:
            return []
        best = max(visible.values())
        if best <= 0:
            return []
        # The question's company (or product, fund...): documents scoring near the best.
        matched = {i: s / best for i, s in visible.items() if s >= ratio * best}
        ask = read_ask(question)
        kinds = {i: type_fit(ask, self.cards[i].profile.doc_type) for i in matched}
        # "The latest" is the latest of the kind asked for (the latest 10-Q, not 10-K).
        fresh = self._recency([i for i in matched if kinds[i] == max(kinds.values())])
        ranked = sorted(
            ((i, self._fit(i, rel, ask, kinds[i], fresh)) for i, rel in matched.items()),
            key=lambda item: -item[1],
        )
        # Only documents close to the best fit: a filing of the wrong period or kind in the
        # routed set would dilute the search restricted to it.
        top = ranked[0][1]
        kept = [(i, s) for i, s in ranked if s >= top - FIT_MARGIN]
        return [(self.cards[i].document_id, round(s, 4)) for i, s in kept[:limit]]

    def _fit(
        self, index: int, relevance: float, ask: PeriodAsk, kind: float, fresh: dict[int, float]
    ) -> float:
        """Order among the matched documents: the asked period, then the asked kind, then
        the name match; with no period asked, the most recent report first."""
        card = self.cards[index]
        profile = card.profile
        if profile.version == 0:  # catalogued before profiles: the title's years only
            fit = period_fit(ask, DocumentProfile(years=tuple(sorted(card.years))))
        else:
            fit = period_fit(ask, profile)
        if fit is None:
            recent = fresh.get(index, 0.0)
            # "latest" decides by period; otherwise newer filings lead only slightly.
            fit = recent if ask.latest else 0.5 + 0.25 * recent
        return 2.0 * fit + kind + 0.5 * relevance

    def _recency(self, indexes: list[int]) -> dict[int, float]:
        fresh = recency({str(i): self.cards[i].profile for i in indexes})
        return {int(i): v for i, v in fresh.items()}
