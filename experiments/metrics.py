"""Pure metric functions for retrieval, answers, citations, behaviour and latency.

Page conventions (the one thing easy to get wrong): retrieved chunks and citations carry
1-based inclusive pages as a PDF viewer shows them; gold evidence carries ZERO-based pages
as FinanceBench stores them. Gold page ``p`` is hit by a chunk whose range contains ``p + 1``.

A chunk *hits* a gold item ``(doc_name, page, section)`` when its ``doc_name`` is equal and:
- gold ``page`` is set: the chunk has pages and ``page_start <= page + 1 <= page_end``
  (a page-less chunk cannot prove it covers a page, so it never hits);
- gold ``page`` is None (page-less formats such as HTML) and a ``section`` is given: one of
  the chunk's section headings equals it (case and spacing ignored);
- gold ``page`` and ``section`` are both None: any chunk of that document hits.
Document names are compared exactly; pass file stems (as FinanceBench ``doc_name`` is).
"""

from __future__ import annotations

import math
import re
import string
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from typing import NamedTuple

BEHAVIOURS = ("answer", "refuse", "escalate")


class Retrieved(NamedTuple):
    """One retrieved chunk: document, 1-based inclusive pages, heading path."""

    doc_name: str
    page_start: int | None = None
    page_end: int | None = None
    section: str | tuple[str, ...] | None = None


class GoldPage(NamedTuple):
    """One gold evidence item; ``page`` is ZERO-based, None for page-less formats."""

    doc_name: str
    page: int | None
    section: str | None = None


GoldLike = tuple[str, int | None] | tuple[str, int | None, str | None]
CitedLike = tuple[str, int | None] | tuple[str, int | None, str | None]


# ---------------------------------------------------------------- retrieval


def hits_gold(item: Retrieved, gold: GoldPage) -> bool:
    """Whether one retrieved chunk covers one gold item (rule in the module docstring)."""
    if item.doc_name != gold.doc_name:
        return False
    if gold.page is not None:
        start = item.page_start if item.page_start is not None else item.page_end
        end = item.page_end if item.page_end is not None else item.page_start
        return start is not None and end is not None and start <= gold.page + 1 <= end
    if gold.section is not None:
        # A section path arrives as a tuple or as the payload's "A > B > C" string.
        section = item.section
        headings = tuple(section.split(" > ")) if isinstance(section, str) else section or ()
        return _norm_heading(gold.section) in {_norm_heading(h) for h in headings}
    return True


def page_hit_at_k(retrieved: Sequence[Retrieved], gold: Collection[GoldLike], k: int) -> bool:
    """Whether any of the top ``k`` chunks hits any gold item."""
    return _first_hit_rank(retrieved, _gold(gold), k) is not None


def doc_hit_at_k(retrieved: Sequence[Retrieved], gold: Collection[GoldLike], k: int) -> bool:
    """Whether any of the top ``k`` chunks comes from a gold document, whatever its page."""
    docs = {g.doc_name for g in _gold(gold)}
    return any(item.doc_name in docs for item in _top(retrieved, k))


def recall_at_k(retrieved: Sequence[Retrieved], gold: Collection[GoldLike], k: int) -> float:
    """Fraction of distinct gold items hit by at least one of the top ``k`` chunks."""
    golds = _gold(gold)
    top = _top(retrieved, k)
    covered = sum(any(hits_gold(item, g) for item in top) for g in golds)
    return covered / len(golds)


def mrr_at_k(retrieved: Sequence[Retrieved], gold: Collection[GoldLike], k: int) -> float:
    """Reciprocal rank of the first chunk that hits a gold item within the top ``k``, else 0."""
    rank = _first_hit_rank(retrieved, _gold(gold), k)
    return 0.0 if rank is None else 1.0 / rank


def ndcg_at_k(retrieved: Sequence[Retrieved], gold: Collection[GoldLike], k: int) -> float:
    """nDCG@k with binary relevance: a chunk is relevant if it hits a gold item.

    A chunk counts only if it hits a gold item no earlier chunk hit, so repeats of the
    same page earn nothing and the score stays in [0, 1]. Ideal DCG puts one relevant chunk
    at each of the first min(k, number of gold items) ranks.
    """
    golds = _gold(gold)
    found: set[GoldPage] = set()
    dcg = 0.0
    for rank, item in enumerate(_top(retrieved, k), start=1):
        new = {g for g in golds if g not in found and hits_gold(item, g)}
        if new:
            found |= new
            dcg += 1.0 / math.log2(rank + 1)
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(k, len(golds)) + 1))
    return dcg / ideal


def _gold(gold: Collection[GoldLike]) -> list[GoldPage]:
    if not gold:
        raise ValueError("no gold evidence: retrieval metrics are undefined for this question")
    return list(dict.fromkeys(GoldPage(*g) for g in gold))


def _top(retrieved: Sequence[Retrieved], k: int) -> Sequence[Retrieved]:
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(f"k must be a positive integer, got {k!r}")
    return retrieved[:k]


def _first_hit_rank(retrieved: Sequence[Retrieved], golds: list[GoldPage], k: int) -> int | None:
    for rank, item in enumerate(_top(retrieved, k), start=1):
        if any(hits_gold(item, g) for g in golds):
            return rank
    return None


def _norm_heading(text: str) -> str:
    return " ".join(text.split()).casefold()


# ---------------------------------------------------------------- answers


class Quantity(NamedTuple):
    """A number found in text, scale applied ("$1.5 billion" -> 1.5e9); percent kept apart."""

    value: float
    percent: bool


_SCALES = {
    "thousand": 1e3, "k": 1e3,
    "million": 1e6, "mn": 1e6, "mm": 1e6, "m": 1e6,
    "billion": 1e9, "bn": 1e9, "b": 1e9,
    "trillion": 1e12, "tn": 1e12,
}  # fmt: skip
_NUMBER = re.compile(
    r"""
    (?<![\w.,])                                  # not the tail of a word or another number
    (?P<sign>[-\u2212])?\s?(?P<cur>[$\u20ac\u00a3])?\s?
    (?P<open>\()?\s?(?P<sign2>[-\u2212])?(?P<cur2>[$\u20ac\u00a3])?
    (?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)
    (?P<close>\))?
    (?:\s?(?P<scale>thousand|million|billion|trillion|mn|mm|bn|tn|k|m|b)(?![a-z]))?
    (?:\s?(?P<pct>%|percent\b|per\scent\b))?
    """,
    re.IGNORECASE | re.VERBOSE,
)


def extract_numbers(text: str) -> list[Quantity]:
    """Every number in ``text`` with sign, scale word and percent applied.

    "(6,513)" and "-$1561M" are negative; "$1,561M" and "1.561 billion" are both 1.561e9;
    "12.5%" is ``Quantity(12.5, percent=True)``, never 0.125.
    """
    found: list[Quantity] = []
    for match in _NUMBER.finditer(text):
        value = float(match["num"].replace(",", ""))
        if match["scale"]:
            value *= _SCALES[match["scale"].lower()]
        negative = bool(match["sign"] or match["sign2"]) or bool(match["open"] and match["close"])
        found.append(Quantity(-value if negative else value, bool(match["pct"])))
    return found


def numeric_match(prediction: str, gold: str, rel_tol: float = 0.01) -> bool:
    """Whether some number in ``gold`` is matched by a number in ``prediction``.

    Numbers match when both or neither are percentages and their scaled values agree within
    ``rel_tol`` (relative to the larger magnitude). Bare years (1900-2100 with no sign,
    currency, scale, decimals or percent) are ignored in both texts unless the gold answer
    has no other number, so "FY2022" context does not count as a matching figure.
    A gold answer with no number at all gives False.
    """
    gold_numbers = _without_years(gold)
    predicted = _without_years(prediction) if gold_numbers else extract_numbers(prediction)
    gold_numbers = gold_numbers or extract_numbers(gold)
    return any(
        g.percent == p.percent and math.isclose(g.value, p.value, rel_tol=rel_tol)
        for g in gold_numbers
        for p in predicted
    )


def _without_years(text: str) -> list[Quantity]:
    kept = []
    for match, quantity in zip(_NUMBER.finditer(text), extract_numbers(text), strict=True):
        bare = match.group(0).strip().isdigit()
        if not (bare and 1900 <= quantity.value <= 2100):
            kept.append(quantity)
    return kept


_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCTUATION = str.maketrans("", "", string.punctuation)


def normalize_answer(text: str) -> list[str]:
    """SQuAD normalisation: lower case, drop punctuation and articles, split on spaces."""
    return _ARTICLES.sub(" ", text.lower().translate(_PUNCTUATION)).split()


def token_f1(prediction: str, gold: str) -> float:
    """SQuAD token F1 between two answers; 1.0 when both normalise to nothing."""
    pred_tokens, gold_tokens = normalize_answer(prediction), normalize_answer(gold)
    if not pred_tokens or not gold_tokens:
        return float(pred_tokens == gold_tokens)
    common = sum((Counter(pred_tokens) & Counter(gold_tokens)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(pred_tokens), common / len(gold_tokens)
    return 2 * precision * recall / (precision + recall)


# ---------------------------------------------------------------- citations


def citation_precision(cited: Sequence[CitedLike | Retrieved], gold: Collection[GoldLike]) -> float:
    """Fraction of distinct citations that hit a gold item; 0.0 when nothing is cited.

    A citation is ``(doc, page[, section])`` or a ``Retrieved`` page range. Cited pages
    are 1-based (as the assistant shows them), gold pages ZERO-based; the hit rule is the
    module's. An uncited answer scores 0 because it grounds nothing.
    """
    golds = [GoldPage(*g) for g in gold]
    citations = _citations(cited)
    if not citations:
        return 0.0
    correct = sum(any(hits_gold(c, g) for g in golds) for c in citations)
    return correct / len(citations)


def citation_recall(cited: Sequence[CitedLike | Retrieved], gold: Collection[GoldLike]) -> float:
    """Fraction of distinct gold items hit by some citation (same page conventions)."""
    golds = _gold(gold)
    citations = _citations(cited)
    return sum(any(hits_gold(c, g) for c in citations) for g in golds) / len(golds)


def _citations(cited: Iterable[CitedLike | Retrieved]) -> list[Retrieved]:
    items = []
    for c in dict.fromkeys(cited):
        if isinstance(c, Retrieved):  # a cited chunk with its page range
            items.append(c)
            continue
        section = c[2] if len(c) > 2 else None
        items.append(Retrieved(c[0], c[1], c[1], section))
    return items


def supported_share(supports: Sequence[float], threshold: float) -> float:
    """Share of citations whose support score (0..1) reaches ``threshold``.

    Support is the citation checker's score for "the cited text says what the sentence
    claims"; an answer without citations has no share (ValueError), not a perfect one.
    """
    if not supports:
        raise ValueError("no citations: citation support is undefined")
    if not 0.0 <= threshold <= 1.0:
        raise ValueError(f"threshold must be within [0, 1], got {threshold}")
    return sum(s >= threshold for s in supports) / len(supports)


# ---------------------------------------------------------------- behaviour


class ClassScores(NamedTuple):
    """Precision and recall of one behaviour; 0.0 where the denominator is 0."""

    precision: float
    recall: float
    support: int


class BehaviourConfusion(NamedTuple):
    """Counts ``matrix[(expected, actual)]`` plus per-class scores and overall accuracy."""

    matrix: dict[tuple[str, str], int]
    per_class: dict[str, ClassScores]
    accuracy: float


def behaviour_confusion(expected: Sequence[str], actual: Sequence[str]) -> BehaviourConfusion:
    """Confusion of expected vs actual behaviour over "answer", "refuse", "escalate"."""
    if len(expected) != len(actual):
        raise ValueError(f"{len(expected)} expected behaviours but {len(actual)} actual")
    if not expected:
        raise ValueError("no behaviours to compare")
    unknown = sorted((set(expected) | set(actual)) - set(BEHAVIOURS))
    if unknown:
        raise ValueError(f"unknown behaviours {unknown}; valid: {', '.join(BEHAVIOURS)}")
    matrix = {(e, a): 0 for e in BEHAVIOURS for a in BEHAVIOURS}
    for pair in zip(expected, actual, strict=True):
        matrix[pair] += 1
    per_class = {}
    for label in BEHAVIOURS:
        true_pos = matrix[(label, label)]
        predicted = sum(matrix[(e, label)] for e in BEHAVIOURS)
        support = sum(matrix[(label, a)] for a in BEHAVIOURS)
        per_class[label] = ClassScores(
            true_pos / predicted if predicted else 0.0,
            true_pos / support if support else 0.0,
            support,
        )
    accuracy = sum(matrix[(label, label)] for label in BEHAVIOURS) / len(expected)
    return BehaviourConfusion(matrix, per_class, accuracy)


# ---------------------------------------------------------------- latency


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100) with linear interpolation, as numpy's default."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= q <= 100:
        raise ValueError(f"q must be within [0, 100], got {q}")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def p50(values: Sequence[float]) -> float:
    """Median latency."""
    return percentile(values, 50)


def p95(values: Sequence[float]) -> float:
    """95th-percentile latency."""
    return percentile(values, 95)
