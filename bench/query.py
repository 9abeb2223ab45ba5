"""Search latency over an existing index, as JSON: p50/p95 per configuration.

    python bench/query.py --data-dir DIR [--questions FILE.jsonl] [--repeat 1]

Each configuration is loaded once, warmed up, then times ``Searcher.search`` for every
question; the ratios to the first configuration are measured in the same run. Last,
``Pipeline.ask`` with the default configuration (extractive answerer) is timed the same way.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.pipeline import Pipeline
from core.settings import Settings
from experiments.metrics import percentile
from retrieval.config import SearchConfig
from retrieval.pipeline import Searcher

DEFAULT_QUESTIONS = Path(__file__).resolve().parents[2] / "shared/benchmarks/financebench/dev.jsonl"
CONFIGS: dict[str, dict[str, object]] = {
    "dense": {"mode": "dense", "routing": "off", "rerank": "none"},
    "sparse": {"mode": "sparse", "routing": "off", "rerank": "none"},
    "hybrid": {"mode": "hybrid", "routing": "off", "rerank": "none"},
    "hybrid+routing": {"mode": "hybrid", "routing": "boost", "rerank": "none"},
    "hybrid+routing+expansion": {
        "mode": "hybrid",
        "routing": "boost",
        "expansion": "lexicon",
        "rerank": "none",
    },
    "hybrid+routing+rerank (default)": {"mode": "hybrid", "routing": "boost"},
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--questions", type=Path, default=DEFAULT_QUESTIONS)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    questions = [
        json.loads(line)["question"]
        for line in args.questions.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    settings = Settings(data_dir=args.data_dir)
    results: dict[str, dict[str, float]] = {}
    for name, options in CONFIGS.items():
        searcher = Searcher.from_settings(settings, SearchConfig(**options))  # type: ignore[arg-type]
        searcher.warm_up()
        times = []
        for _ in range(args.repeat):
            for question in questions:
                started = time.perf_counter()
                searcher.search(question, groups=())
                times.append((time.perf_counter() - started) * 1000)
        searcher.close()
        results[name] = {
            "p50_ms": round(percentile(times, 50), 1),
            "p95_ms": round(percentile(times, 95), 1),
            "n": len(times),
        }
    pipeline = Pipeline.from_settings(settings)
    pipeline.ready()
    times = []
    for question in questions:
        started = time.perf_counter()
        pipeline.ask(question)
        times.append((time.perf_counter() - started) * 1000)
    pipeline.close()
    results["ask (default pipeline)"] = {
        "p50_ms": round(percentile(times, 50), 1),
        "p95_ms": round(percentile(times, 95), 1),
        "n": len(times),
    }
    base = results["dense"]["p95_ms"]
    for row in results.values():
        row["p95_ratio_to_dense"] = round(row["p95_ms"] / base, 2)
    print(
        json.dumps({"benchmark": "query", "index": str(args.data_dir), "search": results}, indent=2)
    )


if __name__ == "__main__":
    main()
