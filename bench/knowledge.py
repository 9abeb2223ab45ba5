"""Does the assistant know what the library holds? Retrieval, answers and refusals, as JSON.

    python bench/knowledge.py --data-dir DIR [--questions dev.jsonl] [--split SPLIT.json]
        [--sample-dir DIR] [--curve OUT.json]

On FinanceBench (an index of its 74 filings in DIR), per half of the frozen company split
(``bench/splits/financebench-dev.json``): gold-page hit@10, document hit@5 and the share
of answerable questions answered. Then a company-swapped set built from the same
questions (``bench/swapped.py``: the company replaced by a real one with no filing in the
library, so the right outcome is a refusal) and, with ``--sample-dir`` (an index of
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

from swapped import swap_questions  # noqa: E402  (bench/ is not a package)

from assistant.pipeline import Pipeline, PipelineConfig, User  # noqa: E402
from experiments.datasets import LabelledQuestion, load_questions  # noqa: E402
from experiments.metrics import doc_hit_at_k, page_hit_at_k  # noqa: E402
from experiments.scoring import retrieved_of  # noqa: E402
from ingest.config import Settings  # noqa: E402

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
        rows.append(_row(q, answer.outcome, answer.evidence, answer.reason))
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
        rows.append(_row(q, answer.outcome, answer.evidence, answer.reason))
    return {"questions": len(questions), "refused": _rate(refused), "rows": rows}


def _row(q: LabelledQuestion, outcome: str, score: float | None, reason: str) -> dict[str, Any]:
    return {
        "id": q.id,
        "expected": q.expected_behavior,
        "outcome": outcome,
        "score": None if score is None else round(score, 4),
        "reason": reason,
        "question": q.question,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--questions", type=Path, default=SHARED / "dev.jsonl")
    parser.add_argument("--split", type=Path, default=DEFAULT_SPLIT)
    parser.add_argument("--sample-dir", type=Path, default=None)
    parser.add_argument("--curve", type=Path, default=None, help="per-question scores (JSON)")
    parser.add_argument("--threshold", type=float, default=None, help="override the threshold")
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
    if args.curve is not None:
        args.curve.write_text(json.dumps(report, indent=1), encoding="utf-8")
    print(json.dumps(_summary(report), indent=2))


def _summary(report: dict[str, Any]) -> dict[str, Any]:
    """The report without its per-question rows."""
    return {
        k: ({kk: vv for kk, vv in v.items() if kk != "rows"} if isinstance(v, dict) else v)
        for k, v in report.items()
    }


if __name__ == "__main__":
    main()
