"""Names asked side by side on real filings, as JSON.

    python bench/comparisons.py --data-dir DIR [--docs docs.jsonl] [--split SPLIT.json]
        [--list]

Two templates, written once before the first run and never edited to pass, over the
benchmark's own company labels (FinanceBench ``docs.jsonl``), each company of a group
(a half of the frozen company split, or the companies in neither) paired with the next
in alphabetical order within its group:

- ``both``: "Compare {A}'s and {B}'s total revenue." Right: answered, citing a filing of
  each company, each company's lines under its name ("{A}: ...").
- ``absent``: "Compare {A}'s and {X}'s total revenue.", X from ``swapped.HOLDOUT`` (real
  companies with no filing in the library). Right: answered from A's filings only, and
  the answer says it has nothing on X ("No answer for {X}: ...").

``--list`` prints the generated questions and exits. The figures need an index of the
74 filings in DIR (``python bench/ingest.py --data-dir DIR``).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.append(str(ROOT / "bench"))

from swapped import HOLDOUT  # noqa: E402  (bench/ is not a package)

SHARED = ROOT.parent / "shared/benchmarks/financebench"
DEFAULT_SPLIT = ROOT / "bench/splits/financebench-dev.json"


@dataclass(frozen=True, slots=True)
class Pair:
    template: str  # "both" or "absent"
    first: str  # a company in the library
    second: str  # another one ("both"), or one with no filing ("absent")
    question: str


def pairs(companies: Sequence[str], offset: int = 0) -> list[Pair]:
    """Both templates for each company of one group, in alphabetical order; ``offset``
    moves the groups' absent names apart."""
    ordered = sorted(companies)
    out = []
    for index, company in enumerate(ordered):
        other = ordered[(index + 1) % len(ordered)]
        if other != company:
            question = f"Compare {company}'s and {other}'s total revenue."
            out.append(Pair("both", company, other, question))
        absent = HOLDOUT[(offset + index) % len(HOLDOUT)]
        question = f"Compare {company}'s and {absent}'s total revenue."
        out.append(Pair("absent", company, absent, question))
    return out


def _documents(path: Path) -> dict[str, str]:
    """Document name -> company, from the benchmark's labels."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            out[record["doc_name"]] = record["company"]
    return out


def judge(pair: Pair, answer: Any, company_of: dict[str, str]) -> dict[str, Any]:
    """What one answer did, against the template's right outcome."""
    cited = {company_of.get(Path(c.source).stem, "?") for c in answer.citations}
    lines = answer.text.splitlines()
    labelled = {name for name in (pair.first, pair.second) if any(
        line.startswith(f"{name}: ") for line in lines)}  # fmt: skip
    row: dict[str, Any] = {
        "template": pair.template,
        "question": pair.question,
        "outcome": answer.outcome,
        "cited": sorted(cited),
    }
    answered = answer.outcome == "answered"
    if pair.template == "both":
        row["right"] = answered and {pair.first, pair.second} <= cited
        row["labelled"] = answered and labelled == {pair.first, pair.second}
    else:
        row["right"] = answered and cited == {pair.first}
        row["labelled"] = answered and f"No answer for {pair.second}:" in answer.text
    return row


def score(pipeline: Any, items: Sequence[Pair], company_of: dict[str, str]) -> dict[str, Any]:
    rows = [judge(p, pipeline.ask(p.question), company_of) for p in items]
    out: dict[str, Any] = {}
    for template in ("both", "absent"):
        own = [r for r in rows if r["template"] == template]
        if own:
            out[template] = {
                "questions": len(own),
                "right": round(sum(r["right"] for r in own) / len(own), 4),
                "labelled": round(sum(r["labelled"] for r in own) / len(own), 4),
            }
    out["misses"] = [r for r in rows if not (r["right"] and r["labelled"])]
    return out


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--docs", type=Path, default=SHARED / "docs.jsonl")
    parser.add_argument("--split", type=Path, default=DEFAULT_SPLIT)
    parser.add_argument("--list", action="store_true", help="print the questions and exit")
    args = parser.parse_args(argv)
    company_of = _documents(args.docs)
    split = json.loads(args.split.read_text(encoding="utf-8"))
    groups: dict[str, list[str]] = defaultdict(list)
    for company in sorted(set(company_of.values())):
        half = next((h for h in ("train", "test") if company in split[h]), "unsplit")
        groups[half].append(company)
    items = {
        half: pairs(members, offset=10 * number)
        for number, (half, members) in enumerate(sorted(groups.items()))
    }
    if args.list:
        for half, own in items.items():
            for pair in own:
                sys.stdout.write(json.dumps({"half": half, **dataclasses.asdict(pair)}) + "\n")
        return
    if args.data_dir is None:
        parser.error("--data-dir is required (an index of the FinanceBench filings)")
    from assistant.pipeline import Pipeline
    from core.settings import Settings

    started = time.perf_counter()
    pipeline = Pipeline.from_settings(Settings(data_dir=args.data_dir))
    report: dict[str, Any] = {"benchmark": "comparisons"}
    try:
        for half in ("train", "test", "unsplit"):
            report[half] = score(pipeline, items.get(half, []), company_of)
    finally:
        pipeline.close()
    report["wall_s"] = round(time.perf_counter() - started, 1)
    sys.stdout.write(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
