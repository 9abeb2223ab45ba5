"""Retrieval quality per configuration over a labelled question set, as JSON.

    python bench/retrieval.py --data-dir DIR [--questions FILE.jsonl] [--out-dir DIR]
        [--only NAME ...] [--split bench/splits/financebench-dev.json] [--rerank-model ID]

For each configuration: gold-page hit@1/5/10, MRR@10 and document hit@5 (FinanceBench's
definitions: a chunk hits when it comes from the evidence document and its 1-based page
range contains a zero-based evidence page + 1). With --out-dir, each configuration's
results are also written in the ``researchdesk search --batch --json`` format, so
``score_search.py`` can check the numbers independently. With --split (a frozen company
split), every configuration is also reported per half, so a rule shaped on the train
half shows what it does on the test half.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.settings import Settings
from experiments.datasets import load_questions
from experiments.metrics import doc_hit_at_k, mrr_at_k, page_hit_at_k
from experiments.scoring import retrieved_of
from experiments.splits import load_split
from retrieval.config import SearchConfig
from retrieval.pipeline import Searcher

DEFAULT_QUESTIONS = Path(__file__).resolve().parents[2] / "shared/benchmarks/financebench/dev.jsonl"
CONFIGS: dict[str, dict[str, object]] = {
    "dense": {"mode": "dense", "routing": "off", "rerank": "none"},
    "sparse": {"mode": "sparse", "routing": "off", "rerank": "none"},
    "hybrid": {"mode": "hybrid", "routing": "off", "rerank": "none"},
    "hybrid+routing(boost)": {"mode": "hybrid", "routing": "boost", "rerank": "none"},
    "hybrid+routing(filter)": {"mode": "hybrid", "routing": "filter", "rerank": "none"},
    "dense+routing(boost)": {"mode": "dense", "routing": "boost", "rerank": "none"},
    "hybrid+routing(boost)+expansion": {
        "mode": "hybrid",
        "routing": "boost",
        "expansion": "lexicon",
        "rerank": "none",
    },
    # The default. The shipped reranker was fit on FinanceBench dev and the sample set, so
    # on those questions this row is in-sample: quote the cross-validated numbers of
    # `python -m experiments.rerank_training` instead (docs/benchmarks.md).
    "hybrid+routing(boost)+rerank(features)": {
        "mode": "hybrid",
        "routing": "boost",
        "rerank": "features",
    },
    # The statement leg (routed filings' balance sheet / income / cash flow pages of the
    # kinds the question's line items name) on and off, with and without reranking.
    "hybrid+routing(boost)+statements(off)": {
        "mode": "hybrid",
        "routing": "boost",
        "statements": "off",
        "rerank": "none",
    },
    "hybrid+routing(boost)+statements(leg)": {
        "mode": "hybrid",
        "routing": "boost",
        "statements": "leg",
        "rerank": "none",
    },
    "hybrid+routing(boost)+statements(off)+rerank(features)": {
        "mode": "hybrid",
        "routing": "boost",
        "statements": "off",
        "rerank": "features",
    },
}
METRICS = ("hit@1", "hit@5", "hit@10", "mrr@10", "doc_hit@5")


def _halves(split_path: Path | None, questions_path: Path) -> dict[str, frozenset[str]]:
    """Question ids per half of a frozen split (``bench/splits``), none without one."""
    return load_split(split_path).members(questions_path) if split_path else {}


def _means(rows: list[tuple[float, ...]]) -> dict[str, float]:
    n = max(len(rows), 1)
    return {metric: round(sum(r[i] for r in rows) / n, 3) for i, metric in enumerate(METRICS)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--questions", type=Path, default=DEFAULT_QUESTIONS)
    parser.add_argument("--out-dir", type=Path, default=None)
    parser.add_argument("--only", nargs="*", default=None, help="configuration names")
    parser.add_argument("--split", type=Path, default=None, help="report each half too")
    parser.add_argument("--rerank-model", default=None, help="features model id or JSON file")
    args = parser.parse_args()
    halves = _halves(args.split, args.questions)
    questions = [q for q in load_questions(args.questions) if q.evidence]
    settings = Settings(data_dir=args.data_dir)
    table: dict[str, dict[str, float]] = {}
    if args.rerank_model:
        print(f"features reranker: {args.rerank_model}", file=sys.stderr)
    for name, options in CONFIGS.items():
        if args.only and name not in args.only:
            continue
        if args.rerank_model and options.get("rerank") == "features":
            options = {**options, "rerank_model": args.rerank_model}
        searcher = Searcher.from_settings(settings, SearchConfig(**options))  # type: ignore[arg-type]
        rows: list[tuple[float, ...]] = []
        ids: list[str] = []
        lines = []
        for q in questions:
            result = searcher.search(q.question, groups=q.groups, k=10)
            retrieved = [retrieved_of(p) for p in result.passages]
            gold = q.gold()
            rows.append(
                (
                    float(page_hit_at_k(retrieved, gold, 1)),
                    float(page_hit_at_k(retrieved, gold, 5)),
                    float(page_hit_at_k(retrieved, gold, 10)),
                    float(mrr_at_k(retrieved, gold, 10)),
                    float(doc_hit_at_k(retrieved, gold, 5)),
                )
            )
            ids.append(q.id)
            lines.append(json.dumps({"id": q.id, **result.to_json()}))
        searcher.close()
        table[name] = _means(rows)
        for half, members in halves.items():
            table[f"{name} [{half}]"] = _means(
                [r for r, i in zip(rows, ids, strict=True) if i in members]
            )
        if args.out_dir:
            args.out_dir.mkdir(parents=True, exist_ok=True)
            safe = name.replace("+", "_").replace("(", "_").replace(")", "")
            (args.out_dir / f"{safe}.jsonl").write_text("\n".join(lines) + "\n")
    print(
        json.dumps(
            {
                "benchmark": "retrieval",
                "questions": str(args.questions),
                "n": len(questions),
                "results": table,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
