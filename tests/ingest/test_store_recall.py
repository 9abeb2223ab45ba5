"""The exact-search yardstick bench/ann.py scores approximate search against."""

from __future__ import annotations

import numpy as np
import pytest

from ingest.store.recall import (
    exact_top_k,
    gb_per_million,
    percentile,
    recall_at_k,
    split_held_out,
)


def test_split_held_out_partitions_rows_and_is_seeded() -> None:
    kept, held = split_held_out(100, 10, seed=3)
    assert len(held) == 10 and len(kept) == 90
    assert sorted(np.concatenate([kept, held]).tolist()) == list(range(100))
    assert not set(kept.tolist()) & set(held.tolist())
    again, held_again = split_held_out(100, 10, seed=3)
    assert held.tolist() == held_again.tolist() and kept.tolist() == again.tolist()
    assert split_held_out(100, 10, seed=4)[1].tolist() != held.tolist()


@pytest.mark.parametrize(("n", "count"), [(10, 10), (10, 11), (10, -1), (0, 0)])
def test_split_held_out_rejects_impossible_counts(n: int, count: int) -> None:
    with pytest.raises(ValueError, match="cannot hold out"):
        split_held_out(n, count)


def test_exact_top_k_ranks_by_cosine_not_length() -> None:
    # By dot product row 1 wins (10 > 1); by cosine row 0 does (0.995 > 0.894).
    base = np.array([[1.0, 0.1], [10.0, 5.0], [0.0, 1.0], [-1.0, 0.0]], dtype=np.float32)
    query = np.array([[1.0, 0.0]], dtype=np.float32)
    assert exact_top_k(base, query, 4)[0].tolist() == [0, 1, 2, 3]
    assert exact_top_k(base, query, 2)[0].tolist() == [0, 1]


def test_exact_top_k_matches_a_full_sort_on_random_data() -> None:
    rng = np.random.default_rng(0)
    base = rng.standard_normal((500, 16)).astype(np.float32)
    queries = rng.standard_normal((20, 16)).astype(np.float32)
    top = exact_top_k(base, queries, 10)
    unit = base / np.linalg.norm(base, axis=1, keepdims=True)
    for q, got in zip(queries, top, strict=True):
        assert got.tolist() == np.argsort(-(unit @ (q / np.linalg.norm(q))))[:10].tolist()


def test_exact_top_k_honours_the_allowed_mask() -> None:
    rng = np.random.default_rng(1)
    base = rng.standard_normal((50, 8)).astype(np.float32)
    allowed = np.arange(50) % 3 == 0
    top = exact_top_k(base, base[:5], 4, allowed)
    assert top.shape == (5, 4)
    assert all(allowed[i] for i in top.ravel())
    few = np.zeros(50, dtype=bool)
    few[[7, 9]] = True
    assert sorted(exact_top_k(base, base[:1], 4, few)[0].tolist()) == [7, 9]
    assert exact_top_k(base, base[:2], 4, np.zeros(50, dtype=bool)).shape == (2, 0)


@pytest.mark.parametrize(
    ("base", "queries", "message"),
    [
        (np.zeros((0, 4)), np.ones((1, 4)), "non-empty 2-d"),
        (np.ones(4), np.ones((1, 4)), "non-empty 2-d"),
        (np.ones((3, 4)), np.ones((1, 5)), "4-d but queries are 5-d"),
        (np.array([[1.0, np.nan]]), np.ones((1, 2)), "NaN"),
        (np.array([[0.0, 0.0], [1.0, 0.0]]), np.ones((1, 2)), "all-zero row"),
    ],
)
def test_exact_top_k_rejects_bad_input(base: np.ndarray, queries: np.ndarray, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        exact_top_k(base, queries, 1)


def test_exact_top_k_rejects_bad_k_and_mask() -> None:
    base = np.eye(3, dtype=np.float32)
    with pytest.raises(ValueError, match="k must be positive"):
        exact_top_k(base, base, 0)
    with pytest.raises(ValueError, match="one flag per base row"):
        exact_top_k(base, base, 1, np.ones(2, dtype=bool))


def test_recall_at_k_counts_overlap_per_query() -> None:
    truth = np.array([[1, 2, 3, 4], [5, 6, 7, 8]])
    assert recall_at_k([[1, 2, 3, 4], [5, 6, 7, 8]], truth) == 1.0
    assert recall_at_k([[4, 3, 9, 9], [8, 0, 0, 0]], truth) == pytest.approx((0.5 + 0.25) / 2)
    assert recall_at_k([[], [5]], truth) == pytest.approx(0.125)
    assert recall_at_k([[1]], np.zeros((1, 0), dtype=np.int64)) == 1.0


def test_recall_at_k_rejects_mismatched_or_empty_input() -> None:
    with pytest.raises(ValueError, match="2 result lists for 1 queries"):
        recall_at_k([[1], [2]], np.array([[1]]))
    with pytest.raises(ValueError, match="no queries"):
        recall_at_k([], np.zeros((0, 10), dtype=np.int64))


def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 0.5) == 50.0
    assert percentile(values, 0.95) == 95.0
    assert percentile(list(reversed(values)), 1.0) == 100.0
    assert percentile([7.0], 0.0) == 7.0
    with pytest.raises(ValueError, match="empty"):
        percentile([], 0.5)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        percentile([1.0], 95)


def test_gb_per_million_scales_linearly() -> None:
    assert gb_per_million(1_536 * 35_000, 35_000) == pytest.approx(1.536)
    with pytest.raises(ValueError, match="positive"):
        gb_per_million(1.0, 0)
