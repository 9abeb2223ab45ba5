"""Does the assistant know what the library holds? Retrieval, answers and refusals, as JSON.

    python bench/knowledge.py --data-dir DIR [--questions dev.jsonl] [--split SPLIT.json]
        [--sample-dir DIR] [--curve OUT.json] [--plot OUT.png] [--threshold T]

On FinanceBench (an index of its 74 filings in DIR), per half of the frozen company split
(``bench/splits/financebench-dev.json``): gold-page hit@10, document hit@5 and the share
of answerable questions answered. Then a company-swapped set built from the same
questions (``bench/swapped.py``: the company replaced by a real one with no filing in the
library, so the right outcome is a refusal), the same with a held-out list of absent
companies (``swapped_holdout``, never used for design) and, with ``--sample-dir`` (an index of
``data/sample_corpus``), the sample set's not-in-library questions: refusal rates. Every
question goes through ``Pipeline.ask`` with the index's settings, as an advisor's would.
``--curve`` writes each question's answerability score for the threshold trade-off plot.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from swapped import HOLDOUT, swap_questions  # noqa: E402  (bench/ is not a package)

from assistant.answerability import Answerability  # noqa: E402
from assistant.config import PipelineConfig  # noqa: E402
from assistant.pipeline import Pipeline, User  # noqa: E402
from core.settings import Settings  # noqa: E402
from experiments.calibration import choose_threshold  # noqa: E402
from experiments.datasets import LabelledQuestion, load_questions  # noqa: E402
from experiments.metrics import doc_hit_at_k, page_hit_at_k  # noqa: E402
from experiments.scoring import retrieved_of  # noqa: E402

SHARED = ROOT.parent / "shared/benchmarks/financebench"
DEFAULT_SPLIT = ROOT / "bench/splits/financebench-dev.json"


def _rate(values: Sequence[float]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def _answerable(pipeline: Pipeline, questions: Sequence[LabelledQuestion]) -> dict[str, Any]:
    hit10, doc5, answered, rows = [], [], [], []
    for q in questions:
        result = pipeline.search(q.question, user=User(groups=q.groups))
        retrieved = [retrieved_of(p) for p in result.passages]
        hit10.append(float(page_hit_at_k(retrieved, q.gold(), 10)))
        doc5.append(float(doc_hit_at_k(retrieved, q.gold(), 5)))
        answer = pipeline.ask(q.question, user=User(groups=q.groups))
        answered.append(1.0 if answer.outcome == "answered" else 0.0)
        rows.append(_row(q, answer.outcome, answer.evidence, answer.reason, answer.answerability))
    return {
        "questions": len(questions),
        "page_hit@10": _rate(hit10),
        "doc_hit@5": _rate(doc5),
        "answered": _rate(answered),
        "rows": rows,
    }


def _refusals(pipeline: Pipeline, questions: Sequence[LabelledQuestion]) -> dict[str, Any]:
    refused, rows = [], []
    for q in questions:
        answer = pipeline.ask(q.question, user=User(groups=q.groups))
        refused.append(1.0 if answer.refused else 0.0)
        rows.append(_row(q, answer.outcome, answer.evidence, answer.reason, answer.answerability))
    return {"questions": len(questions), "refused": _rate(refused), "rows": rows}


def _row(
    q: LabelledQuestion,
    outcome: str,
    score: float | None,
    reason: str,
    checks: Answerability | None = None,
) -> dict[str, Any]:
    return {
        "id": q.id,
        "expected": q.expected_behavior,
        "outcome": outcome,
        "score": None if score is None else round(score, 4),
        "reason": reason,
        "question": q.question,
        "checks": None if checks is None else checks.to_json(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--questions", type=Path, default=SHARED / "dev.jsonl")
    parser.add_argument("--split", type=Path, default=DEFAULT_SPLIT)
    parser.add_argument("--sample-dir", type=Path, default=None)
    parser.add_argument("--curve", type=Path, default=None, help="per-question scores (JSON)")
    parser.add_argument("--threshold", type=float, default=None, help="override the threshold")
    parser.add_argument("--plot", type=Path, default=None, help="threshold trade-off PNG")
    args = parser.parse_args()

    split = json.loads(args.split.read_text(encoding="utf-8"))
    raw = [json.loads(line) for line in args.questions.read_text(encoding="utf-8").splitlines()]
    company = {r["id"]: r.get(split["key"], "") for r in raw}
    questions = list(load_questions(args.questions))
    halves = {
        half: [q for q in questions if company.get(q.id) in set(split[half])]
        for half in ("train", "test")
    }
    started = time.perf_counter()
    config = PipelineConfig(abstain_threshold=args.threshold)
    pipeline = Pipeline.from_settings(Settings(data_dir=args.data_dir), config)
    report: dict[str, Any] = {"benchmark": "knowledge", "threshold": pipeline.abstain_threshold}
    try:
        for half, subset in halves.items():
            report[f"financebench_{half}"] = _answerable(pipeline, subset)
        swapped = swap_questions(raw)
        swapped_sets = {
            half: [q for q in swapped if company.get(q.id.split(":")[0]) in set(split[half])]
            for half in ("train", "test")
        }
        for half, subset in swapped_sets.items():
            report[f"swapped_{half}"] = _refusals(pipeline, subset)
        # Other absent companies, never used to design anything: both halves together.
        report["swapped_holdout"] = _refusals(pipeline, swap_questions(raw, HOLDOUT))
    finally:
        pipeline.close()
    if args.sample_dir is not None:
        sample = Pipeline.from_settings(Settings(data_dir=args.sample_dir), config)
        try:
            items = list(load_questions(ROOT / "data/sample_corpus/questions.jsonl"))
            research = [
                q for q in items if sample.classifier.classify(q.question).intent == "research"
            ]
            report["sample_answerable"] = _answerable(
                sample, [q for q in research if q.expected_behavior == "answer" and q.evidence]
            )
            report["sample_not_in_library"] = _refusals(
                sample, [q for q in research if q.expected_behavior == "refuse"]
            )
        finally:
            sample.close()
    report["wall_s"] = round(time.perf_counter() - started, 1)
    report["tradeoff"] = tradeoff(report)
    if pipeline.abstain_threshold == 0.0:
        report["fitted_on_train"] = fit_threshold(report)
    if args.curve is not None:
        args.curve.write_text(json.dumps(report, indent=1), encoding="utf-8")
    if args.plot is not None:
        plot(report["tradeoff"], args.plot)
    print(json.dumps(_summary(report), indent=2))


def tradeoff(report: dict[str, Any], steps: int = 20) -> list[dict[str, Any]]:
    """Answered and refused shares per threshold, from the per-question scores.

    A question refused for another reason than its score (a name the library lacks, no
    supported sentence) stays refused at every threshold; the others are answered when
    their score reaches the threshold.
    """

    def answered(row: dict[str, Any], threshold: float) -> bool:
        return _by_score(row) and row["score"] is not None and row["score"] >= threshold

    curve = []
    for step in range(steps + 1):
        t = round(step / steps, 4)
        point: dict[str, Any] = {"threshold": t}
        for key, part in report.items():
            if isinstance(part, dict) and "rows" in part:
                share = [answered(r, t) for r in part["rows"]]
                value = sum(share) / len(share) if share else None
                is_refusal = all(r["expected"] == "refuse" for r in part["rows"])
                name = "refused" if is_refusal else "answered"
                point[f"{key}_{name}"] = (
                    None if value is None else round(1 - value if is_refusal else value, 4)
                )
        curve.append(point)
    return curve


def fit_threshold(report: dict[str, Any]) -> dict[str, Any]:
    """The threshold ``choose_threshold`` picks on the design half only: FinanceBench train
    and the sample set's answerable questions against the swapped train questions and the
    sample set's not-in-library ones. Run with ``--threshold 0`` so every score is seen."""

    def scores(key: str) -> list[float]:
        rows = report.get(key, {}).get("rows", [])
        return [r["score"] if r["score"] is not None and _by_score(r) else 0.0 for r in rows]

    answerable = scores("financebench_train") + scores("sample_answerable")
    refusals = scores("swapped_train") + scores("sample_not_in_library")
    threshold, balanced, kept, refused = choose_threshold(answerable, refusals)
    return {
        "threshold": round(threshold, 4),
        "balanced_accuracy": round(balanced, 4),
        "answered": round(kept, 4),
        "refused": round(refused, 4),
        "answerable": len(answerable),
        "unanswerable": len(refusals),
    }


def _by_score(row: dict[str, Any]) -> bool:
    """Answered, or refused only because the score was under the threshold."""
    return bool(row["outcome"] == "answered" or row["reason"].startswith("answerability"))


def plot(curve: list[dict[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4))
    xs = [p["threshold"] for p in curve]
    for key in curve[0]:
        if key != "threshold":
            ax.plot(xs, [p[key] for p in curve], label=key.replace("_", " "))
    ax.set_xlabel("abstention threshold on the answerability score")
    ax.set_ylabel("share of questions")
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="lower left")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _summary(report: dict[str, Any]) -> dict[str, Any]:
    """The report without its per-question rows."""
    return {
        k: ({kk: vv for kk, vv in v.items() if kk != "rows"} if isinstance(v, dict) else v)
        for k, v in report.items()
        if k != "tradeoff"
    }


if __name__ == "__main__":
    main()
