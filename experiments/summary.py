"""From per-question records to a rung's metrics and its change over another rung.

Every metric is recomputed from the per-question records (``experiments.scoring``), so a
summary can always be checked against the JSONL it came from. Kinds:

- ``mean``: the mean of a per-question value over the questions that have it.
- ``recall``: behaviour recall, the share of questions expecting a behaviour that got it.
- ``precision``: behaviour precision, sum(expected and got) / sum(got); its denominator
  depends on the rung, so it is a ratio of sums rather than a mean.
- ``p50``/``p95``: latency percentiles of ``latency_ms``.

Deltas are paired over the same questions. When both rungs score the same questions
(every label-only metric) the delta is ``experiments.stats.paired_bootstrap`` over them,
with the exact McNemar p-value for 0/1 metrics and the sign-flip p-value otherwise. For
the rest (precision, percentiles, metrics that exist only where something was cited or
an LLM was called, ``answer_judge`` when the judge failed on a question in one rung only)
questions are resampled jointly and the statistic recomputed on each resample; the
p-value comes from randomly swapping the two rungs' records per question, which is the
same paired randomisation test generalised to any statistic.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from experiments.metrics import percentile
from experiments.stats import exact_mcnemar, paired_bootstrap

Kind = Literal["mean", "recall", "precision", "p50", "p95"]
Record = Mapping[str, Any]
Array = npt.NDArray[np.float64]
_BLOCK_CELLS = 1_000_000


@dataclass(frozen=True, slots=True)
class MetricSpec:
    name: str
    kind: Kind
    group: str  # retrieval, behaviour, answer, citations, latency, cost
    higher_is_better: bool = True
    behaviour: str | None = None  # for recall/precision


def _specs() -> dict[str, MetricSpec]:
    specs = [
        *(
            MetricSpec(n, "mean", "retrieval")
            for n in ("hit@1", "hit@5", "hit@10", "recall@10", "mrr@10", "ndcg@10", "doc_hit@5")
        ),
        MetricSpec("behaviour_accuracy", "mean", "behaviour"),
    ]
    for b in ("answer", "refuse", "escalate"):
        specs.append(MetricSpec(f"{b}_precision", "precision", "behaviour", behaviour=b))
        specs.append(MetricSpec(f"{b}_recall", "recall", "behaviour", behaviour=b))
    specs += [
        MetricSpec("answer_numeric", "mean", "answer"),
        MetricSpec("answer_f1", "mean", "answer"),
        # Present only when the run has an LLM judge; absent where the judge failed.
        MetricSpec("answer_judge", "mean", "answer"),
        MetricSpec("citation_precision", "mean", "citations"),
        MetricSpec("citation_recall", "mean", "citations"),
        MetricSpec("citation_support", "mean", "citations"),
        MetricSpec("latency_p50_ms", "p50", "latency", higher_is_better=False),
        MetricSpec("latency_p95_ms", "p95", "latency", higher_is_better=False),
        MetricSpec("tokens", "mean", "cost", higher_is_better=False),
        MetricSpec("cost_usd", "mean", "cost", higher_is_better=False),
        # The judge's own calls, kept apart from what the pipeline spent.
        MetricSpec("judge_tokens", "mean", "cost", higher_is_better=False),
        MetricSpec("judge_cost_usd", "mean", "cost", higher_is_better=False),
    ]
    return {s.name: s for s in specs}


METRICS: dict[str, MetricSpec] = _specs()


def columns(spec: MetricSpec, records: Sequence[Record]) -> tuple[Array, Array]:
    """Per-question numerator and denominator; denominator 0 = the question does not count."""
    num = np.zeros(len(records))
    den = np.zeros(len(records))
    for i, r in enumerate(records):
        if spec.kind == "mean":
            value = r["metrics"].get(spec.name)
            if value is not None:
                num[i], den[i] = float(value), 1.0
        elif spec.kind == "recall":
            if r["expected"] == spec.behaviour:
                num[i], den[i] = float(r["actual"] == spec.behaviour), 1.0
        elif spec.kind == "precision":
            if r["actual"] == spec.behaviour:
                num[i], den[i] = float(r["expected"] == spec.behaviour), 1.0
        elif r.get("latency_ms") is not None:
            num[i], den[i] = float(r["latency_ms"]), 1.0
    return num, den


def metric_value(spec: MetricSpec, records: Sequence[Record]) -> float | None:
    """The metric over these records; None when no question counts for it."""
    num, den = columns(spec, records)
    if not den.any():
        return None
    if spec.kind in ("p50", "p95"):
        return percentile(list(num[den > 0]), 50 if spec.kind == "p50" else 95)
    return float(num.sum() / den.sum())


def summarize(records: Sequence[Record], resamples: int = 10_000, seed: int = 0) -> dict[str, Any]:
    """A rung's metrics with bootstrap 95% CIs, the questions each rests on, and its
    behaviour confusion (``"expected->actual": count``)."""
    metrics: dict[str, float | None] = {}
    support: dict[str, int] = {}
    intervals: dict[str, list[float] | None] = {}
    for name, spec in METRICS.items():
        metrics[name] = metric_value(spec, records)
        num, den = columns(spec, records)
        support[name] = int(den.sum())
        intervals[name] = value_ci(spec.kind, num, den, resamples, seed) if den.any() else None
    confusion: dict[str, int] = {}
    for r in records:
        key = f"{r['expected']}->{r['actual']}"
        confusion[key] = confusion.get(key, 0) + 1
    return {
        "n": len(records),
        "errors": sum(1 for r in records if r.get("error")),
        "judge_errors": sum(1 for r in records if (r.get("judge") or {}).get("error")),
        "metrics": metrics,
        "ci": intervals,
        "support": support,
        "behaviour": dict(sorted(confusion.items())),
    }


def judge_totals(records: Sequence[Record]) -> dict[str, Any]:
    """The LLM judge's calls over a run's records: how many, how many failed, and the
    tokens and dollars they cost in total (the pipeline's own usage is not included)."""
    calls = [r["judge"] for r in records if r.get("judge")]
    usages = [c["usage"] for c in calls if c.get("usage")]
    return {
        "calls": len(calls),
        "errors": sum(1 for c in calls if c.get("error")),
        "tokens": sum(int(u["total_tokens"]) for u in usages),
        "cost_usd": sum(float(u["cost_usd"]) for u in usages),
    }


def paired_delta(
    spec: MetricSpec,
    a: Sequence[Record],
    b: Sequence[Record],
    resamples: int = 10_000,
    seed: int = 0,
) -> dict[str, Any] | None:
    """Change of ``spec`` from ``a`` to ``b`` (same questions, same order) with a 95% CI."""
    if [r["id"] for r in a] != [r["id"] for r in b]:
        raise ValueError("paired records must hold the same questions in the same order")
    num_a, den_a = columns(spec, a)
    num_b, den_b = columns(spec, b)
    value_a, value_b = metric_value(spec, a), metric_value(spec, b)
    if value_a is None or value_b is None:
        return None
    if spec.kind in ("mean", "recall") and np.array_equal(den_a, den_b):
        keep = den_a > 0
        x, y = num_a[keep], num_b[keep]
        result = paired_bootstrap(list(x), list(y), n_resamples=resamples, seed=seed)
        binary = bool(np.isin(x, (0.0, 1.0)).all() and np.isin(y, (0.0, 1.0)).all())
        p_value, test = result.p_value, "sign-flip"
        if binary:
            p_value, test = exact_mcnemar(list(x == 1.0), list(y == 1.0)).p_value, "mcnemar"
        return _delta(value_b - value_a, result.ci_low, result.ci_high, p_value, test, len(x))
    low, high, p_value = _resampled(spec.kind, (num_a, den_a), (num_b, den_b), resamples, seed)
    return _delta(value_b - value_a, low, high, p_value, "paired-resampling", len(a))


def flips(a: Sequence[Record], b: Sequence[Record], metric: str) -> dict[str, list[str]]:
    """Questions whose 0/1 ``metric`` changed from ``a`` to ``b``: gained and lost ids."""
    before = {r["id"]: r["metrics"].get(metric) for r in a}
    gained: list[str] = []
    lost: list[str] = []
    for r in b:
        old, new = before.get(r["id"]), r["metrics"].get(metric)
        if old is None or new is None or old == new or {old, new} - {0.0, 1.0}:
            continue
        (gained if new == 1.0 else lost).append(r["id"])
    return {"gained": gained, "lost": lost}


def value_ci(kind: Kind, num: Array, den: Array, resamples: int, seed: int) -> list[float]:
    """Percentile-bootstrap 95% CI of one rung's value (questions resampled)."""
    rng = np.random.default_rng(seed)
    n = len(num)
    block = max(1, _BLOCK_CELLS // n)
    parts = []
    for start in range(0, resamples, block):
        idx = rng.integers(0, n, size=(min(block, resamples - start), n))
        parts.append(_stat(kind, num[idx], den[idx]))
    values = np.concatenate(parts)
    values = values[np.isfinite(values)]
    low, high = np.percentile(values, [2.5, 97.5])
    return [float(low), float(high)]


def _delta(
    delta: float, low: float, high: float, p_value: float, test: str, n: int
) -> dict[str, Any]:
    return {
        "delta": delta,
        "ci_low": low,
        "ci_high": high,
        "p_value": p_value,
        "test": test,
        "n": n,
    }


def _resampled(
    kind: Kind,
    a: tuple[Array, Array],
    b: tuple[Array, Array],
    resamples: int,
    seed: int,
) -> tuple[float, float, float]:
    """Percentile-bootstrap CI and swap-randomisation p-value for any statistic."""
    rng = np.random.default_rng(seed)
    n = len(a[0])
    observed = _stat(kind, b[0][None, :], b[1][None, :]) - _stat(kind, a[0][None, :], a[1][None, :])
    block = max(1, _BLOCK_CELLS // n)
    diffs, swapped = [], []
    for start in range(0, resamples, block):
        rows = min(block, resamples - start)
        idx = rng.integers(0, n, size=(rows, n))
        diffs.append(_stat(kind, b[0][idx], b[1][idx]) - _stat(kind, a[0][idx], a[1][idx]))
        swap = rng.random((rows, n)) < 0.5
        sa = [np.where(swap, y, x) for x, y in zip(a, b, strict=True)]
        sb = [np.where(swap, x, y) for x, y in zip(a, b, strict=True)]
        swapped.append(_stat(kind, sb[0], sb[1]) - _stat(kind, sa[0], sa[1]))
    boot = np.concatenate(diffs)
    boot = boot[np.isfinite(boot)]
    null = np.concatenate(swapped)
    null = null[np.isfinite(null)]
    target = abs(float(observed[0]))
    threshold = target - 1e-12 * max(1.0, target)
    hits = int(np.count_nonzero(np.abs(null) >= threshold))
    p_value = (1 + hits) / (1 + len(null))
    if not len(boot):
        return float("nan"), float("nan"), p_value
    low, high = np.percentile(boot, [2.5, 97.5])
    return float(low), float(high), float(p_value)


def _stat(kind: Kind, num: Array, den: Array) -> Array:
    """The statistic per row of a (rows, questions) resample; NaN where nothing counts."""
    if kind in ("p50", "p95"):
        values = np.where(den > 0, num, np.nan)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # rows where nothing counts
            return np.asarray(np.nanpercentile(values, 50 if kind == "p50" else 95, axis=1))
    totals = den.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(totals > 0, num.sum(axis=1) / totals, np.nan)
