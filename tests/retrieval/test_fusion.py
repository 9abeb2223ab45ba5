"""Exact-number tests for rank fusion; expected values are worked out by hand in comments."""

from __future__ import annotations

import math

import pytest

from retrieval.fusion import (
    FUSIONS,
    NORMALIZATIONS,
    blend_orders,
    fuse,
    minmax,
    normalize,
    rrf,
    weighted,
    zscore,
)


def test_rrf_sums_reciprocal_ranks() -> None:
    # k=1: a = 1/(1+1) = 0.5; b = 1/(1+2) + 1/(1+1) = 1/3 + 1/2 = 5/6;
    # c = 1/(1+3) + 1/(1+2) = 1/4 + 1/3 = 7/12; d = 1/(1+3) = 1/4.
    fused = rrf([["a", "b", "c"], ["b", "c", "d"]], k=1)
    assert [doc for doc, _ in fused] == ["b", "c", "a", "d"]
    assert [score for _, score in fused] == pytest.approx([5 / 6, 7 / 12, 0.5, 0.25])


def test_rrf_default_k_is_60() -> None:
    # b = 1/62 + 1/61 = 0.0325224748810153...; a = 1/61 = 0.0163934426229508...
    fused = dict(rrf([["a", "b"], ["b"]]))
    assert fused["b"] == pytest.approx(1 / 62 + 1 / 61)
    assert fused["a"] == pytest.approx(1 / 61)


def test_rrf_weights_scale_each_list() -> None:
    # k=0, weights (2, 1): a = 2/1 + 1/2 = 2.5; b = 2/2 + 1/1 = 2.0.
    assert rrf([["a", "b"], ["b", "a"]], k=0, weights=[2.0, 1.0]) == [("a", 2.5), ("b", 2.0)]


def test_rrf_ties_keep_first_appearance() -> None:
    # k=0: x = 1/1 + 1/2 = 1.5 and y = 1/2 + 1/1 = 1.5; the id seen first wins the tie.
    assert rrf([["x", "y"], ["y", "x"]], k=0) == [("x", 1.5), ("y", 1.5)]
    assert rrf([["y", "x"], ["x", "y"]], k=0) == [("y", 1.5), ("x", 1.5)]


def test_rrf_counts_only_first_occurrence_within_a_list() -> None:
    # k=0: a at rank 1 -> 1.0 (its repeat at rank 2 is ignored); b keeps its position, rank 3.
    assert rrf([["a", "a", "b"]], k=0) == [("a", 1.0), ("b", pytest.approx(1 / 3))]


def test_rrf_empty_input_gives_empty_result() -> None:
    assert rrf([]) == []
    assert rrf([[], []]) == []


@pytest.mark.parametrize("k", [-1, 1.5, True])
def test_rrf_rejects_bad_k(k: object) -> None:
    with pytest.raises(ValueError, match="k must be"):
        rrf([["a"]], k=k)  # type: ignore[arg-type]


def test_weights_must_match_lists_and_be_non_negative() -> None:
    with pytest.raises(ValueError, match="2 weights for 1 result lists"):
        rrf([["a"]], weights=[1.0, 1.0])
    with pytest.raises(ValueError, match="non-negative"):
        weighted([{"a": 1.0}], weights=[-1.0])
    with pytest.raises(ValueError, match="non-negative"):
        rrf([["a"]], weights=[math.nan])


def test_minmax() -> None:
    # range 6 - 2 = 4: a = 0/4, b = 2/4, c = 4/4.
    assert minmax({"a": 2.0, "b": 4.0, "c": 6.0}) == {"a": 0.0, "b": 0.5, "c": 1.0}
    assert minmax({"a": 3.0, "b": 3.0}) == {"a": 1.0, "b": 1.0}
    assert minmax({}) == {}


def test_zscore() -> None:
    # mean 2, population variance (1 + 0 + 1) / 3 = 2/3, std = sqrt(2/3) = 0.8164965809...
    # a = -1 / 0.8164965809 = -1.2247448714, c = +1.2247448714.
    assert zscore({"a": 1.0, "b": 2.0, "c": 3.0}) == {
        "a": pytest.approx(-1.224744871391589),
        "b": 0.0,
        "c": pytest.approx(1.224744871391589),
    }
    assert zscore({"a": 5.0, "b": 5.0}) == {"a": 0.0, "b": 0.0}
    assert zscore({}) == {}


def test_normalizations_reject_non_finite_scores() -> None:
    for name in NORMALIZATIONS:
        with pytest.raises(ValueError, match="finite"):
            normalize(name, {"a": math.inf})


def test_weighted_minmax() -> None:
    # list 1 minmax: a = 0, b = 1; list 2 minmax: b = 0, c = 1.
    # weights (0.7, 0.3): a = 0, b = 0.7 * 1 + 0.3 * 0 = 0.7, c = 0.3 * 1 = 0.3.
    lists = [{"a": 1.0, "b": 3.0}, {"b": 10.0, "c": 20.0}]
    fused = weighted(lists, weights=[0.7, 0.3])
    assert [doc for doc, _ in fused] == ["b", "c", "a"]
    assert [score for _, score in fused] == pytest.approx([0.7, 0.3, 0.0])
    # equal weights: a = 0, b = 1, c = 1; b and c tie and b was seen first.
    assert weighted(lists) == [("b", 1.0), ("c", 1.0), ("a", 0.0)]


def test_weighted_zscore_and_none() -> None:
    # zscore of (1, 2, 3) is (-1.2247, 0, 1.2247); times weight 2: (-2.4495, 0, 2.4495).
    fused = weighted([{"a": 1.0, "b": 2.0, "c": 3.0}], weights=[2.0], normalization="zscore")
    assert fused == [
        ("c", pytest.approx(2.449489742783178)),
        ("b", 0.0),
        ("a", pytest.approx(-2.449489742783178)),
    ]
    # raw sums: a = 1, b = 3 + 10 = 13.
    assert weighted([{"a": 1.0, "b": 3.0}, {"b": 10.0}], normalization="none") == [
        ("b", 13.0),
        ("a", 1.0),
    ]


def test_unknown_normalization_lists_valid_ones() -> None:
    with pytest.raises(ValueError, match="unknown normalization 'l2'; valid: minmax, none, zscore"):
        weighted([{"a": 1.0}], normalization="l2")


def test_fuse_by_name() -> None:
    results = [[("a", 9.0), ("b", 1.0)], [("b", 5.0)]]
    # rrf, k=0: a = 1/1 = 1; b = 1/2 + 1/1 = 1.5.
    assert fuse("rrf", results, k=0) == [("b", 1.5), ("a", 1.0)]
    # weighted, raw scores: a = 9, b = 1 + 5 = 6.
    assert fuse("weighted", results, normalization="none") == [("a", 9.0), ("b", 6.0)]
    # weighted, minmax: list 1 a = 1, b = 0; list 2 b = 1 (single item); weights (1, 3):
    # a = 1, b = 0 + 3 * 1 = 3.
    assert fuse("weighted", results, weights=[1.0, 3.0]) == [("b", 3.0), ("a", 1.0)]


def test_fuse_weighted_keeps_best_ranked_score_of_repeated_id() -> None:
    # raw scores: a keeps 2.0 (its first, best-ranked entry), b = 1.
    assert fuse("weighted", [[("a", 2.0), ("b", 1.0), ("a", 0.5)]], normalization="none") == [
        ("a", 2.0),
        ("b", 1.0),
    ]


def test_unknown_fusion_lists_valid_ones() -> None:
    assert sorted(FUSIONS) == ["rrf", "weighted"]
    with pytest.raises(ValueError, match="unknown fusion 'borda'; valid: rrf, weighted"):
        fuse("borda", [])


def test_blend_orders_by_equal_weight_rrf_of_both_ranks() -> None:
    # k=0: a 1/1+1/3, b 1/2+1/4, c 1/3+1/2, d 1/4+1/1.
    assert blend_orders(["a", "b", "c", "d"], ["d", "c", "a", "b"], k=0) == ["a", "d", "c", "b"]
    # k=60: a and c tie (1/61 + 1/63) just above b (2/62); the tie keeps first's order.
    assert blend_orders(["a", "b", "c"], ["c", "b", "a"]) == ["a", "c", "b"]


def test_blend_orders_ties_keep_the_first_order_and_missing_ids_rank_last() -> None:
    assert blend_orders(["a", "b"], ["b", "a"], k=0) == ["a", "b"]
    assert blend_orders(["a"], ["x", "a"], k=0) == ["a", "x"]  # x: 1/2 + 1/1, a: 1/1 + 1/2
    assert blend_orders([], []) == []
    assert blend_orders(["a"], ["a", "a"]) == ["a"]  # repeated ids count once


@pytest.mark.parametrize("k", [-1, 1.5, True])
def test_blend_orders_rejects_bad_k(k: object) -> None:
    with pytest.raises(ValueError, match="blend k"):
        blend_orders(["a"], ["a"], k=k)  # type: ignore[arg-type]
