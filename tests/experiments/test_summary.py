"""Rung summaries and paired deltas: exact values worked out by hand in the comments."""

from __future__ import annotations

from typing import Any

import pytest

from experiments.stats import exact_mcnemar, paired_bootstrap
from experiments.summary import METRICS, flips, metric_value, paired_delta, summarize


def rec(
    qid: str, expected: str, actual: str, latency: float | None = None, **metrics: float
) -> dict[str, Any]:
    return {
        "id": qid,
        "expected": expected,
        "actual": actual,
        "latency_ms": latency,
        "metrics": metrics,
    }


A = [
    rec("1", "answer", "answer", 10.0, **{"hit@5": 1.0, "mrr@10": 1.0}),
    rec("2", "answer", "refuse", 20.0, **{"hit@5": 0.0, "mrr@10": 0.0}),
    rec("3", "refuse", "answer", 30.0),
    rec("4", "escalate", "escalate", 40.0),
    rec("5", "answer", "answer", None, **{"hit@5": 1.0, "mrr@10": 0.5}),
]


def test_values_are_means_and_ratios_of_the_records() -> None:
    s = summarize(A, resamples=200)
    m = s["metrics"]
    assert m["hit@5"] == pytest.approx(2 / 3)
    assert m["mrr@10"] == pytest.approx(0.5)  # (1 + 0 + 0.5) / 3
    # answer: predicted for 1, 3, 5; right for 1 and 5 -> precision 2/3; expected 1, 2, 5
    # and got for 1, 5 -> recall 2/3. refuse: predicted only for 2 (wrong) -> 0; expected
    # only for 3 (missed) -> 0. escalate: 1/1 both.
    assert m["answer_precision"] == pytest.approx(2 / 3)
    assert m["answer_recall"] == pytest.approx(2 / 3)
    assert (m["refuse_precision"], m["refuse_recall"]) == (0.0, 0.0)
    assert (m["escalate_precision"], m["escalate_recall"]) == (1.0, 1.0)
    # latencies 10, 20, 30, 40 (question 5 has none): p50 = 25, p95 = 30 + 0.85 * 10.
    assert m["latency_p50_ms"] == 25.0
    assert m["latency_p95_ms"] == pytest.approx(38.5)
    assert m["answer_numeric"] is None and s["ci"]["answer_numeric"] is None
    assert s["support"]["hit@5"] == 3 and s["support"]["answer_precision"] == 3
    assert s["behaviour"] == {
        "answer->answer": 2,
        "answer->refuse": 1,
        "escalate->escalate": 1,
        "refuse->answer": 1,
    }
    low, high = s["ci"]["hit@5"]
    assert 0.0 <= low <= m["hit@5"] <= high <= 1.0


def test_label_only_metric_delta_is_the_stats_module_over_the_same_questions() -> None:
    b = [dict(r, metrics={**r["metrics"]}) for r in A]
    b[1]["metrics"] = {"hit@5": 1.0, "mrr@10": 0.25}
    d = paired_delta(METRICS["hit@5"], A, b, resamples=500, seed=3)
    expected = paired_bootstrap([1.0, 0.0, 1.0], [1.0, 1.0, 1.0], n_resamples=500, seed=3)
    assert d is not None
    assert d["delta"] == pytest.approx(1 / 3)
    assert (d["ci_low"], d["ci_high"]) == (
        pytest.approx(expected.ci_low),
        pytest.approx(expected.ci_high),
    )
    # 0/1 metric: exact McNemar, one discordant pair -> p = 1.
    assert (
        d["test"] == "mcnemar"
        and d["p_value"] == exact_mcnemar([True, False, True], [True, True, True]).p_value
    )
    assert d["n"] == 3
    mrr = paired_delta(METRICS["mrr@10"], A, b, resamples=500, seed=3)
    assert mrr is not None and mrr["test"] == "sign-flip"
    assert mrr["delta"] == pytest.approx(0.25 / 3)


def test_rung_dependent_metrics_use_paired_resampling() -> None:
    b = [dict(r) for r in A]
    b[2] = rec("3", "refuse", "refuse", 30.0)  # now refused correctly
    d = paired_delta(METRICS["answer_precision"], A, b, resamples=2000, seed=0)
    assert d is not None and d["test"] == "paired-resampling"
    # b answers 1 and 5, both right: precision 1.0 - 2/3.
    assert d["delta"] == pytest.approx(1 / 3, abs=1e-6)
    assert d["ci_low"] <= d["delta"] <= d["ci_high"]
    assert 0.0 < d["p_value"] <= 1.0
    # deterministic for a seed
    assert paired_delta(METRICS["answer_precision"], A, b, resamples=2000, seed=0) == d
    same = paired_delta(METRICS["latency_p50_ms"], A, A, resamples=300)
    assert same is not None and same["delta"] == 0.0 and same["p_value"] == 1.0


def test_undefined_metric_has_no_delta_and_misaligned_runs_fail() -> None:
    assert paired_delta(METRICS["answer_numeric"], A, A) is None
    with pytest.raises(ValueError, match="same questions"):
        paired_delta(METRICS["hit@5"], A, A[::-1])
    assert metric_value(METRICS["cost_usd"], A) is None


def test_flips_lists_gained_and_lost_questions() -> None:
    b = [dict(r) for r in A]
    b[0] = rec("1", "answer", "answer", 10.0, **{"hit@5": 0.0})
    b[1] = rec("2", "answer", "refuse", 20.0, **{"hit@5": 1.0})
    assert flips(A, b, "hit@5") == {"gained": ["2"], "lost": ["1"]}
    assert flips(A, b, "answer_numeric") == {"gained": [], "lost": []}
