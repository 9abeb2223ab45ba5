"""Tests for the paired significance tests; exact p-values are worked out in comments."""

from __future__ import annotations

import numpy as np
import pytest

from experiments.stats import DeltaCI, McNemar, exact_mcnemar, paired_bootstrap


def _noisy_pair(n: int, gain: float) -> tuple[list[float], list[float]]:
    rng = np.random.default_rng(123)
    a = rng.uniform(0.0, 1.0, size=n)
    b = a + gain + rng.normal(0.0, 0.05, size=n)
    return a.tolist(), b.tolist()


def test_deterministic_for_a_seed() -> None:
    a, b = _noisy_pair(40, 0.02)
    first = paired_bootstrap(a, b, n_resamples=2000, seed=7)
    assert paired_bootstrap(a, b, n_resamples=2000, seed=7) == first
    assert paired_bootstrap(a, b, n_resamples=2000, seed=8) != first


def test_ci_follows_the_documented_recipe_and_contains_delta() -> None:
    a, b = _noisy_pair(40, 0.02)
    result = paired_bootstrap(a, b, n_resamples=2000, seed=3, confidence=0.9)
    diffs = np.asarray(b) - np.asarray(a)
    rng = np.random.default_rng(3)
    means = diffs[rng.integers(0, 40, size=(2000, 40))].mean(axis=1)
    assert result.delta == pytest.approx(float(np.mean(b) - np.mean(a)))
    assert result.ci_low == pytest.approx(float(np.percentile(means, 5)))
    assert result.ci_high == pytest.approx(float(np.percentile(means, 95)))
    assert result.ci_low <= result.delta <= result.ci_high


def test_identical_inputs_give_no_difference() -> None:
    a = [0.0, 1.0, 0.5, 1.0] * 10
    assert paired_bootstrap(a, list(a)) == DeltaCI(0.0, 0.0, 0.0, 1.0)


def test_large_consistent_improvement_is_significant() -> None:
    a, b = _noisy_pair(60, 0.3)
    result = paired_bootstrap(a, b)
    assert result.p_value < 0.01
    assert 0.2 < result.ci_low <= result.delta <= result.ci_high < 0.4
    # every difference is +1: no random sign assignment other than all-plus reaches mean 1,
    # so p = (1 + 0) / (1 + 10000); every bootstrap mean is 1.
    always = paired_bootstrap([0.0] * 50, [1.0] * 50)
    assert always[:3] == (1.0, 1.0, 1.0)
    assert always.p_value == pytest.approx(1 / 10001)


def test_small_samples_use_the_exact_sign_flip_test() -> None:
    # diffs (1, 1, 1): of the 2**3 = 8 sign assignments only +++ and --- reach |mean| 1: 2/8.
    assert paired_bootstrap([0, 0, 0], [1, 1, 1]).p_value == 0.25
    # diffs (3, -1, 0, 2), |sum| 4: signed sums of 3, 1, 2 are 6, 2, 4, 0, 0, -4, -2, -6,
    # 4 of 8 reach 4 (the 0 doubles both counts): p = 0.5.
    assert paired_bootstrap([0, 1, 0, 0], [3, 0, 0, 2]).p_value == 0.5


@pytest.mark.parametrize(
    ("a", "b", "message"),
    [
        ([], [], "no paired scores"),
        ([1.0], [1.0, 2.0], "equal lengths, got 1 and 2"),
        ([1.0], [float("nan")], "finite"),
    ],
)
def test_bootstrap_rejects_bad_input(a: list[float], b: list[float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        paired_bootstrap(a, b)


def test_bootstrap_rejects_bad_settings() -> None:
    with pytest.raises(ValueError, match="n_resamples"):
        paired_bootstrap([1.0], [1.0], n_resamples=0)
    with pytest.raises(ValueError, match="confidence"):
        paired_bootstrap([1.0], [1.0], confidence=1.0)


def test_exact_mcnemar_hand_computed() -> None:
    # 1 pair only a right, 9 only b right: n = 10, P(X <= 1) = (C(10,0) + C(10,1)) / 2**10
    # = 11/1024, p = 2 * 11/1024 = 0.021484375.
    a = [True] * 5 + [True] + [False] * 9 + [False] * 3
    b = [True] * 5 + [False] + [True] * 9 + [False] * 3
    assert exact_mcnemar(a, b) == McNemar(1, 9, 0.021484375)
    # 0 vs 5: P(X <= 0) = 1/32, p = 2/32 = 0.0625.
    assert exact_mcnemar([False] * 5, [True] * 5) == McNemar(0, 5, 0.0625)
    # 3 vs 3: P(X <= 3) = (1 + 6 + 15 + 20) / 64 = 42/64; doubled exceeds 1 -> p = 1.
    assert exact_mcnemar([True] * 3 + [False] * 3, [False] * 3 + [True] * 3).p_value == 1.0
    # no discordant pairs: p = 1.
    assert exact_mcnemar([True, False], [True, False]) == McNemar(0, 0, 1.0)


def test_exact_mcnemar_agrees_with_scipy() -> None:
    stats = pytest.importorskip("scipy.stats")
    for only_a, only_b in [(1, 9), (4, 11), (20, 35), (7, 7), (0, 1)]:
        a = [True] * only_a + [False] * only_b
        b = [False] * only_a + [True] * only_b
        expected = stats.binomtest(only_b, only_a + only_b, 0.5).pvalue
        assert exact_mcnemar(a, b).p_value == pytest.approx(expected)


def test_exact_mcnemar_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="equal lengths"):
        exact_mcnemar([True], [True, False])
    with pytest.raises(ValueError, match="no outcomes"):
        exact_mcnemar([], [])
