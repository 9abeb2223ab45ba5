"""Significance tests for comparing two techniques on the same labelled questions.

Both tests are paired: question ``i`` of run ``a`` is compared with question ``i`` of run
``b``, which removes the (large) variation in question difficulty from the comparison.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from fractions import Fraction
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

# Resamples are drawn in blocks so memory stays ~8 MB however many questions there are.
_BLOCK_CELLS = 1_000_000


class DeltaCI(NamedTuple):
    """Mean improvement of ``b`` over ``a``, its confidence interval and a two-sided p-value."""

    delta: float
    ci_low: float
    ci_high: float
    p_value: float


class McNemar(NamedTuple):
    """Discordant pair counts and the exact two-sided McNemar p-value."""

    only_a: int
    only_b: int
    p_value: float


def paired_bootstrap(
    a: Sequence[float],
    b: Sequence[float],
    n_resamples: int = 10000,
    seed: int = 0,
    confidence: float = 0.95,
) -> DeltaCI:
    """delta = mean(b) - mean(a), a percentile bootstrap CI and a sign-flip p-value.

    CI: resample question indices with replacement (``numpy.random.default_rng(seed)``)
    and take the (1 - confidence) / 2 and 1 - (1 - confidence) / 2 percentiles (numpy's
    linear interpolation) of the resampled mean differences.

    p-value: paired randomisation (sign-flip) test, recommended for IR comparisons by
    Smucker et al. (2007): under "no difference" each per-question difference is as
    likely negated, so p is the share of sign assignments whose |mean| reaches |delta|.
    All 2**n assignments are enumerated when 2**n <= n_resamples (exact p); otherwise
    ``n_resamples`` random ones are drawn and p = (1 + hits) / (1 + n_resamples), which is
    never 0 (Phipson & Smyth 2010). Identical inputs give delta 0 and p 1.
    """
    diffs = _differences(a, b)
    if isinstance(n_resamples, bool) or not isinstance(n_resamples, int) or n_resamples < 1:
        raise ValueError(f"n_resamples must be a positive integer, got {n_resamples!r}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be strictly between 0 and 1, got {confidence}")
    delta = float(diffs.mean())
    rng = np.random.default_rng(seed)
    means = _bootstrap_means(diffs, n_resamples, rng)
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(means, [tail, 100 - tail])
    return DeltaCI(delta, float(low), float(high), _sign_flip_p(diffs, n_resamples, rng))


def exact_mcnemar(a: Sequence[bool], b: Sequence[bool]) -> McNemar:
    """Exact McNemar test on paired right/wrong outcomes.

    Only discordant pairs carry information: with n = only_a + only_b, under "no
    difference" only_b ~ Binomial(n, 1/2), and p = min(1, 2 * P(X <= min(only_a, only_b))).
    No discordant pairs gives p = 1.
    """
    if len(a) != len(b):
        raise ValueError(f"paired outcomes need equal lengths, got {len(a)} and {len(b)}")
    if not a:
        raise ValueError("no outcomes to compare")
    only_a = sum(bool(x) and not bool(y) for x, y in zip(a, b, strict=True))
    only_b = sum(bool(y) and not bool(x) for x, y in zip(a, b, strict=True))
    n = only_a + only_b
    tail = Fraction(sum(math.comb(n, i) for i in range(min(only_a, only_b) + 1)), 2**n)
    return McNemar(only_a, only_b, float(min(Fraction(1), 2 * tail)))


def _differences(a: Sequence[float], b: Sequence[float]) -> npt.NDArray[np.float64]:
    if len(a) != len(b):
        raise ValueError(f"paired scores need equal lengths, got {len(a)} and {len(b)}")
    if len(a) == 0:
        raise ValueError("no paired scores to compare")
    diffs = np.asarray(b, dtype=np.float64) - np.asarray(a, dtype=np.float64)
    if not np.all(np.isfinite(diffs)):
        raise ValueError("scores must be finite numbers")
    return diffs


def _bootstrap_means(
    diffs: npt.NDArray[np.float64], n_resamples: int, rng: np.random.Generator
) -> npt.NDArray[np.float64]:
    n = len(diffs)
    block = max(1, _BLOCK_CELLS // n)
    parts = []
    for start in range(0, n_resamples, block):
        rows = min(block, n_resamples - start)
        indices = rng.integers(0, n, size=(rows, n))
        parts.append(diffs[indices].mean(axis=1))
    return np.concatenate(parts)


def _sign_flip_p(
    diffs: npt.NDArray[np.float64], n_resamples: int, rng: np.random.Generator
) -> float:
    n = len(diffs)
    observed = abs(float(diffs.mean()))
    # Means of the same numbers summed in another order differ in the last bits.
    threshold = observed - 1e-12 * max(1.0, observed)
    if n <= 30 and 2**n <= n_resamples:
        signs = np.array(list(itertools.product((1.0, -1.0), repeat=n)))
        return float(np.mean(np.abs(signs @ diffs) / n >= threshold))
    hits = 0
    block = max(1, _BLOCK_CELLS // n)
    for start in range(0, n_resamples, block):
        rows = min(block, n_resamples - start)
        signs = rng.choice(np.array([1.0, -1.0]), size=(rows, n))
        hits += int(np.count_nonzero(np.abs(signs @ diffs) / n >= threshold))
    return (1 + hits) / (1 + n_resamples)
