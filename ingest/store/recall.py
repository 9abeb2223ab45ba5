"""Exact nearest neighbours and recall@k, the yardstick for approximate vector search.

Used by ``bench/ann.py`` to score HNSW and int8 settings against brute force; kept here,
free of any engine, so it is unit-tested.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

Matrix = NDArray[np.float32]


def _unit_rows(matrix: NDArray[np.floating], what: str) -> Matrix:
    if matrix.ndim != 2 or matrix.shape[0] == 0 or matrix.shape[1] == 0:
        raise ValueError(f"{what} must be a non-empty 2-d array, got shape {matrix.shape}")
    if not np.all(np.isfinite(matrix)):
        raise ValueError(f"{what} holds NaN or infinite values")
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    if np.any(norms == 0):
        raise ValueError(f"{what} holds an all-zero row (cosine is undefined)")
    unit: Matrix = (matrix / norms).astype(np.float32)
    return unit


def split_held_out(
    n: int, count: int, seed: int = 0
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Row numbers ``(indexed, held_out)``: ``count`` rows drawn as queries, the rest indexed.

    Held-out rows are removed from the indexed set so that a query never finds itself.
    Both are sorted; together they are exactly ``range(n)``.
    """
    if not 0 <= count < n:
        raise ValueError(f"cannot hold out {count} of {n} rows: need 0 <= count < n")
    rng = np.random.default_rng(seed)
    held = np.sort(rng.choice(n, size=count, replace=False)).astype(np.int64)
    keep = np.ones(n, dtype=bool)
    keep[held] = False
    return np.flatnonzero(keep).astype(np.int64), held


def exact_top_k(
    base: NDArray[np.floating],
    queries: NDArray[np.floating],
    k: int,
    allowed: NDArray[np.bool_] | None = None,
) -> NDArray[np.int64]:
    """Row numbers of each query's ``k`` nearest ``base`` rows by cosine, best first.

    ``allowed`` (one bool per base row) restricts the answer to those rows, as a payload
    filter does; every query's list then holds only allowed rows.
    """
    if k <= 0:
        raise ValueError(f"k must be positive, got {k}")
    b, q = _unit_rows(base, "base"), _unit_rows(queries, "queries")
    if b.shape[1] != q.shape[1]:
        raise ValueError(f"base is {b.shape[1]}-d but queries are {q.shape[1]}-d")
    scores = q @ b.T
    if allowed is not None:
        if allowed.shape != (b.shape[0],):
            raise ValueError(f"allowed needs one flag per base row ({b.shape[0]})")
        scores[:, ~allowed] = -np.inf
        k = min(k, int(allowed.sum()))
        if k == 0:
            return np.zeros((q.shape[0], 0), dtype=np.int64)
    k = min(k, b.shape[0])
    top = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    order = np.argsort(-np.take_along_axis(scores, top, axis=1), axis=1, kind="stable")
    return np.take_along_axis(top, order, axis=1).astype(np.int64)


def recall_at_k(found: Sequence[Sequence[int]], truth: NDArray[np.int64]) -> float:
    """Mean over queries of |found ∩ truth| / |truth| (1.0 where the truth is empty)."""
    if len(found) != truth.shape[0]:
        raise ValueError(f"{len(found)} result lists for {truth.shape[0]} queries")
    if not found:
        raise ValueError("no queries to score")
    total = 0.0
    for got, want in zip(found, truth, strict=True):
        expected = {int(i) for i in want}
        total += len(expected & {int(i) for i in got}) / len(expected) if expected else 1.0
    return total / len(found)


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (``fraction`` in [0, 1]) of a non-empty sample."""
    if not values:
        raise ValueError("percentile of an empty sample")
    if not 0.0 <= fraction <= 1.0:
        raise ValueError(f"fraction must be in [0, 1], got {fraction}")
    ordered = sorted(values)
    rank = max(1, int(np.ceil(fraction * len(ordered))))
    return float(ordered[rank - 1])


def gb_per_million(total_bytes: float, points: int) -> float:
    """``total_bytes`` measured for ``points`` points, scaled linearly to 1M points (GB)."""
    if points <= 0:
        raise ValueError(f"points must be positive, got {points}")
    return total_bytes / points * 1_000_000 / 1e9
