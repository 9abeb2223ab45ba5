"""Prompt length and latency of LLM answers from a local server, as JSON lines.

    researchdesk llm serve --model qwen2.5-1.5b --port 8081 &     # in another terminal
    python bench/local_llm.py --data-dir DIR --base-url http://127.0.0.1:8081/v1 \
        --model qwen2.5-1.5b [--limit 2] [--sources 5] [--prompt answer-v2]

DIR holds an ingested sample corpus (``researchdesk ingest data/sample_corpus``). For each
answerable question, ``Pipeline.ask`` runs with ``generator = "openai"``; printed are the
prompt and completion tokens the server counted, the generation time and the whole answer's
time, the outcome and the answer. The last line is a summary.
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

from assistant.config import PipelineConfig
from assistant.pipeline import Pipeline
from core.settings import Settings

QUESTIONS = Path(__file__).resolve().parents[1] / "data/sample_corpus/questions.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--model", required=True)
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    parser.add_argument("--ids", default="", help="Comma-separated question ids to run.")
    parser.add_argument("--limit", type=int, default=2)
    parser.add_argument("--sources", type=int, default=5)
    parser.add_argument("--prompt", default="answer-v2")
    parser.add_argument("--source-chars", type=int, default=4000)
    parser.add_argument("--answer-tokens", type=int, default=None)
    parser.add_argument("--timeout", type=float, default=300.0)
    args = parser.parse_args()

    rows = [json.loads(line) for line in args.questions.read_text().splitlines() if line]
    wanted = {i for i in args.ids.split(",") if i}
    rows = [r for r in rows if r.get("expected_behavior", "answer") == "answer"]
    rows = [r for r in rows if r["id"] in wanted] if wanted else rows[: args.limit]
    settings = Settings(
        data_dir=args.data_dir,
        openai_base_url=args.base_url,
        llm_model=args.model,
        llm_timeout_s=args.timeout,
    )
    config = PipelineConfig(
        generator="openai",
        sources=args.sources,
        source_chars=args.source_chars,
        answer_tokens=args.answer_tokens,
        prompt_version=args.prompt,
        classify=False,
    )
    pipeline = Pipeline.from_settings(settings, config)
    seconds: list[float] = []
    try:
        for row in rows:
            started = time.perf_counter()
            answer = pipeline.ask(row["question"])
            total = time.perf_counter() - started
            usage = answer.usage
            generate_s = answer.timings_ms.get("generate", 0.0) / 1000
            seconds.append(generate_s)
            print(
                json.dumps(
                    {
                        "id": row["id"],
                        "prompt_tokens": usage.prompt_tokens if usage else None,
                        "completion_tokens": usage.completion_tokens if usage else None,
                        "generate_s": round(generate_s, 2),
                        "total_s": round(total, 2),
                        "outcome": answer.outcome,
                        "answer": answer.text,
                        "gold": row.get("answer"),
                    }
                ),
                flush=True,
            )
    finally:
        pipeline.close()
    print(
        json.dumps(
            {
                "summary": True,
                "model": args.model,
                "prompt": args.prompt,
                "sources": args.sources,
                "source_chars": args.source_chars,
                "questions": len(seconds),
                "max_generate_s": round(max(seconds, default=0.0), 2),
            }
        )
    )


if __name__ == "__main__":
    main()
