"""Rank fusion: combine several ranked result lists (e.g. BM25 and dense) into one.

Pure functions over ids and scores, chosen by name through ``FUSIONS`` / ``fuse`` so an
experiment can switch technique from a setting. Every result is a list of ``(id, score)``
sorted by score descending; equal scores keep the order in which ids were first seen
(first list first, top rank first), so output never depends on dict or set ordering.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from core.registry import pick

Normalizer = Callable[[Mapping[str, float]], dict[str, float]]
Ranked = Sequence[tuple[str, float]]
Fusion = Callable[..., list[tuple[str, float]]]


def minmax(scores: Mapping[str, float]) -> dict[str, float]:
    """Rescale scores to [0, 1] so lists on different scales can be added.

    When every score is equal (including a single result) all become 1.0: each item is
    as good as the best one, and a one-result list still contributes.
    """
    _check_finite(scores)
    if not scores:
        return {}
    low, high = min(scores.values()), max(scores.values())
    if high == low:
        return dict.fromkeys(scores, 1.0)
    return {key: (value - low) / (high - low) for key, value in scores.items()}


def zscore(scores: Mapping[str, float]) -> dict[str, float]:
    """Standardise scores to mean 0 and (population) standard deviation 1.

    When every score is equal the standard deviation is 0 and all become 0.0.
    """
    _check_finite(scores)
    if not scores:
        return {}
    values = list(scores.values())
    mean = math.fsum(values) / len(values)
    std = math.sqrt(math.fsum((v - mean) ** 2 for v in values) / len(values))
    if std == 0.0:
        return dict.fromkeys(scores, 0.0)
    return {key: (value - mean) / std for key, value in scores.items()}


def no_normalization(scores: Mapping[str, float]) -> dict[str, float]:
    """Keep raw scores (only sensible when all lists already share one scale)."""
    _check_finite(scores)
    return dict(scores)


NORMALIZATIONS: dict[str, Normalizer] = {
    "minmax": minmax,
    "zscore": zscore,
    "none": no_normalization,
}


def normalize(name: str, scores: Mapping[str, float]) -> dict[str, float]:
    """Apply the normalisation called ``name``; unknown names raise ValueError."""
    return pick(NORMALIZATIONS, name, "normalization")(scores)


def rrf(
    rankings: Sequence[Sequence[str]],
    k: int = 60,
    weights: Sequence[float] | None = None,
) -> list[tuple[str, float]]:
    """Reciprocal rank fusion (Cormack et al. 2009): score(d) = sum_i w_i / (k + rank_i(d)).

    Ranks are 1-based; a list that does not contain ``d`` adds nothing. Only the first
    occurrence of an id within one list counts. Uses ranks only, so scales never matter.
    """
    if isinstance(k, bool) or not isinstance(k, int) or k < 0:
        raise ValueError(f"rrf k must be a non-negative integer, got {k!r}")
    ws = _weights(weights, len(rankings))
    totals: dict[str, float] = {}
    for ranking, weight in zip(rankings, ws, strict=True):
        seen: set[str] = set()
        for rank, doc_id in enumerate(ranking, start=1):
            if doc_id in seen:
                continue
            seen.add(doc_id)
            totals[doc_id] = totals.get(doc_id, 0.0) + weight / (k + rank)
    return _sorted(totals)


def blend_orders(first: Sequence[str], second: Sequence[str], k: int = 60) -> list[str]:
    """The ids of ``second`` ordered by equal-weight RRF of their ranks in both lists.

    Used to temper a reranker with the retrieval order it reorders: a passage both agree
    on leads, and one only the reranker likes cannot jump past every consensus pick. Ties
    keep ``first``'s order; an id missing from ``first`` ranks after all of it.
    """
    if isinstance(k, bool) or not isinstance(k, int) or k < 0:
        raise ValueError(f"blend k must be a non-negative integer, got {k!r}")
    at_first = {doc_id: rank for rank, doc_id in reversed(list(enumerate(first, start=1)))}
    missing = len(first) + 1
    order = list(dict.fromkeys(second))

    def key(item: tuple[int, str]) -> tuple[float, int]:
        rank2, doc_id = item
        rank1 = at_first.get(doc_id, missing)
        return (-(1.0 / (k + rank1) + 1.0 / (k + rank2)), rank1)

    return [doc_id for _, doc_id in sorted(enumerate(order, start=1), key=key)]


def weighted(
    score_lists: Sequence[Mapping[str, float]],
    weights: Sequence[float] | None = None,
    normalization: str = "minmax",
) -> list[tuple[str, float]]:
    """Weighted sum of normalised scores: score(d) = sum_i w_i * norm(s_i)(d).

    An id missing from a list adds 0 for that list (after normalisation, so with
    ``zscore`` a missing id counts as an average one).
    """
    normalizer = pick(NORMALIZATIONS, normalization, "normalization")
    ws = _weights(weights, len(score_lists))
    totals: dict[str, float] = {}
    for scores, weight in zip(score_lists, ws, strict=True):
        for doc_id, value in normalizer(scores).items():
            totals[doc_id] = totals.get(doc_id, 0.0) + weight * value
    return _sorted(totals)


def _rrf_ranked(
    results: Sequence[Ranked], weights: Sequence[float] | None = None, k: int = 60
) -> list[tuple[str, float]]:
    return rrf([[doc_id for doc_id, _ in ranked] for ranked in results], k=k, weights=weights)


def _weighted_ranked(
    results: Sequence[Ranked],
    weights: Sequence[float] | None = None,
    normalization: str = "minmax",
) -> list[tuple[str, float]]:
    score_lists: list[dict[str, float]] = []
    for ranked in results:
        scores: dict[str, float] = {}
        for doc_id, score in ranked:
            scores.setdefault(doc_id, score)  # a repeated id keeps its best-ranked score
        score_lists.append(scores)
    return weighted(score_lists, weights=weights, normalization=normalization)


FUSIONS: dict[str, Fusion] = {
    "rrf": _rrf_ranked,
    "weighted": _weighted_ranked,
}


def fuse(
    name: str,
    results: Sequence[Ranked],
    weights: Sequence[float] | None = None,
    **options: Any,
) -> list[tuple[str, float]]:
    """Fuse ranked ``(id, score)`` lists with the technique called ``name``.

    ``options`` go to the technique: ``k`` for "rrf", ``normalization`` for "weighted".
    Unknown names raise ValueError listing the valid ones.
    """
    return pick(FUSIONS, name, "fusion")(results, weights=weights, **options)


def _weights(weights: Sequence[float] | None, count: int) -> list[float]:
    if weights is None:
        return [1.0] * count
    if len(weights) != count:
        raise ValueError(f"got {len(weights)} weights for {count} result lists")
    checked = [float(w) for w in weights]
    if any(not math.isfinite(w) or w < 0 for w in checked):
        raise ValueError(f"weights must be finite and non-negative, got {list(weights)}")
    return checked


def _check_finite(scores: Mapping[str, float]) -> None:
    bad = [key for key, value in scores.items() if not math.isfinite(value)]
    if bad:
        raise ValueError(f"scores must be finite; not finite for ids {bad[:5]}")


def _sorted(totals: dict[str, float]) -> list[tuple[str, float]]:
    # dicts keep insertion order = first appearance, and sorted() is stable.
    return sorted(totals.items(), key=lambda item: -item[1])
