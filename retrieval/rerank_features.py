"""Features of a (question, candidate passage) pair for the learned reranker: pure functions.

Each feature is something a reader checks when judging whether a passage answers a
question: do both retrievers rank it high, is it from a document the question names,
does it mention the question's years and rare terms (with their financial synonyms),
does it hold numbers when a number is asked for, does it look like a statement table, is
it on a primary statement page of the kind whose line items the question names.
Nothing here knows any benchmark; every value comes from the question and passage text,
the retrievers' scores and the catalogue routing.
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple, TypeVar

from ingest.sparse import tokenize
from retrieval.routing import question_years, years_in
from retrieval.statements import asked_statements
from retrieval.types import Passage

T = TypeVar("T")

FEATURES: tuple[str, ...] = (
    "fused_rank_inv",
    "fused_score_rel",
    "dense_rel",
    "dense_rank_inv",
    "sparse_rel",
    "sparse_rank_inv",
    "routed",
    "routed_rank_inv",
    "year_match",
    "year_other",
    "term_cover",
    "expanded_cover",
    "bigram_cover",
    "digit_share",
    "numeric_lines",
    "wants_number",
    "wants_number_x_numeric",
    "log_page",
    "log_chars",
    "statement_match",
)

_NUMBER_QUESTION = re.compile(
    r"\b(how (much|many)|what (was|is|were|are) (the|its)|percent|ratio|rate|amount|"
    r"total|margin|\d)",
    re.I,
)
_NUMERIC_TOKEN = re.compile(r"\(?\$?\d[\d,]*(?:\.\d+)?%?\)?")


@dataclass(frozen=True, slots=True)
class RerankContext:
    """What retrieval learned about the candidates besides their fused order.

    Scores are per chunk id from separate dense and sparse searches; a candidate missing
    from a leg gets that leg's lowest score. ``routed`` is the catalogue's ranked
    documents for the question; ``expansions`` are the question's lexicon variants
    (synonyms and spelled-out acronyms).
    """

    dense: Mapping[str, float] = field(default_factory=dict)
    sparse: Mapping[str, float] = field(default_factory=dict)
    routed: Sequence[str] = ()
    expansions: Sequence[str] = ()


class Featurizer:
    """``candidate_features`` with the question's lexicon variants filled in when missing."""

    def __init__(self) -> None:
        from retrieval.expand import LexiconExpander

        self._lexicon = LexiconExpander()

    def features(
        self, question: str, passages: Sequence[Passage], context: RerankContext
    ) -> list[list[float]]:
        if not context.expansions:
            variants = tuple(self._lexicon.expand(question).variants)
            context = dataclasses.replace(context, expansions=variants)
        return candidate_features(question, passages, context)


def candidate_features(
    question: str, passages: Sequence[Passage], context: RerankContext
) -> list[list[float]]:
    """One row of ``FEATURES`` per passage, in the passages' (fused) order."""
    terms = Counter(tokenize(question))
    facts = [_facts(p.text, p.title) for p in passages]
    passage_terms = [f.terms for f in facts]
    weights = _rarity(terms, passage_terms)
    norm = sum(weights.values()) or 1.0
    expanded = set(tokenize(" ".join(context.expansions))) - set(terms)
    bigrams = _bigrams(list(tokenize(question)))
    years = question_years(question)
    wants_number = 1.0 if _NUMBER_QUESTION.search(question) else 0.0
    asked = frozenset(asked_statements(question))
    dense_rank = _ranks(context.dense)
    sparse_rank = _ranks(context.sparse)
    top_fused = max((p.score for p in passages), default=0.0) or 1.0
    rows = []
    for position, (passage, fact) in enumerate(zip(passages, facts, strict=True)):
        present, numeric, passage_years = fact.terms, fact.numeric_lines, fact.years
        routed_at = _position(context.routed, passage.document_id)
        rows.append(
            [
                1.0 / (1 + position),
                passage.score / top_fused,
                _relative(context.dense, passage.chunk_id),
                _inverse_rank(dense_rank, passage.chunk_id),
                _relative(context.sparse, passage.chunk_id),
                _inverse_rank(sparse_rank, passage.chunk_id),
                1.0 if routed_at is not None else 0.0,
                0.0 if routed_at is None else 1.0 / (1 + routed_at),
                _share(years, passage_years),
                1.0 if years and passage_years and not years & passage_years else 0.0,
                sum(w for t, w in weights.items() if t in present) / norm,
                len(expanded & present) / len(expanded) if expanded else 0.0,
                _share(bigrams, fact.bigrams),
                fact.digit_share,
                numeric,
                wants_number,
                wants_number * numeric,
                math.log1p(passage.page_start or 0),
                math.log1p(len(passage.text)),
                1.0 if asked & set(passage.statements) else 0.0,
            ]
        )
    return rows


class _PassageFacts(NamedTuple):
    """What the features need from a passage alone, independent of the question."""

    terms: frozenset[str]
    bigrams: frozenset[tuple[str, str]]
    digit_share: float
    numeric_lines: float
    years: frozenset[int]


@lru_cache(maxsize=2048)  # about 40 kB each: bounded at ~80 MB
def _facts(text: str, title: str) -> _PassageFacts:
    """Cached per passage: the same chunks come back as candidates again and again, and
    tokenising them was most of the reranker's cost."""
    tokens = list(tokenize(text))
    digits = sum(map(str.isdigit, text))
    years = years_in(text) | years_in(title)
    return _PassageFacts(
        frozenset(tokens),
        frozenset(_bigrams(tokens)),
        digits / max(len(text), 1),
        _numeric_line_share(text),
        frozenset(years),
    )


def _rarity(terms: Counter[str], passage_terms: Sequence[AbstractSet[str]]) -> dict[str, float]:
    """IDF of each question term among the candidates: a term all of them share tells little."""
    n = len(passage_terms)
    return {t: math.log(1 + (n + 1) / (sum(t in p for p in passage_terms) + 0.5)) for t in terms}


def _bigrams(tokens: Sequence[str]) -> set[tuple[str, str]]:
    return set(itertools.pairwise(tokens))


def _share(wanted: AbstractSet[T], present: AbstractSet[T]) -> float:
    return len(wanted & present) / len(wanted) if wanted else 0.0


def _numeric_line_share(text: str) -> float:
    """Share of lines holding two or more numbers: statement tables look like this."""
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return 0.0
    return sum(len(_NUMERIC_TOKEN.findall(line)) >= 2 for line in lines) / len(lines)


def _ranks(scores: Mapping[str, float]) -> dict[str, int]:
    """0-based ranks, equal scores sharing the best of their ranks: neither the order the
    store returned them in nor their (versioned) ids may decide between them."""
    higher = sorted(-score for score in scores.values())
    return {chunk_id: bisect.bisect_left(higher, -score) for chunk_id, score in scores.items()}


def _inverse_rank(ranks: Mapping[str, int], chunk_id: str) -> float:
    rank = ranks.get(chunk_id)
    return 0.0 if rank is None else 1.0 / (1 + rank)


def _relative(scores: Mapping[str, float], chunk_id: str) -> float:
    """The leg's score over its best score; a chunk the leg did not return gets its floor."""
    if not scores:
        return 0.0
    top = max(scores.values())
    value = scores.get(chunk_id, min(scores.values()))
    return value / top if top > 0 else 0.0


def _position(items: Sequence[str], item: str) -> int | None:
    try:
        return list(items).index(item)
    except ValueError:
        return None
