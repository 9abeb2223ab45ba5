"""Period and document-kind routing on real filings, as JSON.

    python bench/periods.py --data-dir DIR [--docs docs.jsonl] [--split SPLIT.json]
        [--list]

Does a question about a fiscal year, a range of years, an annual metric, or "the latest"
annual report, 10-Q or earnings release land on the filing that reports it? The questions
are generated from the benchmark's own labels of its documents (company, type and period
in FinanceBench's ``docs.jsonl``), never from what ingestion read, so the catalogue's
profiles and the router are checked against an independent answer key. Only companies
with two or more documents are asked about: with one filing, routing cannot go wrong.

The templates are the shapes that failed on the questions kept aside (issue 10), written
once, before the first run, and never edited to pass: a year ("in FY2019"), a year end
("as of the end of FY2018"), a range ("from FY2016 to FY2018": the filing of the last
year, which shows the others), an annual metric that a quarterly release does not give
(quick ratio), the most recent annual report, the latest 10-Q (by the period it reports,
not its file date), the most recent earnings release, and a balance-sheet figure asked
with no period at all (the most recent annual or quarterly report answers; a company
whose latest 10-K and 10-Q carry the same period label is skipped, as the label cannot
order them). The metrics in them are generic
line items; nothing is tuned to an answer.

Scores per half of the frozen company split (``bench/splits/financebench-dev.json``):
``doc@1`` (the first passage is from the expected filing) and ``doc@5``, per template;
``--list`` prints the generated questions and exits. The figures need an index of the 74
filings in DIR (``python bench/ingest.py --data-dir DIR``).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SHARED = ROOT.parent / "shared/benchmarks/financebench"
DEFAULT_SPLIT = ROOT / "bench/splits/financebench-dev.json"


@dataclass(frozen=True, slots=True)
class Doc:
    name: str
    company: str
    kind: str  # "10k", "10q", "8k", "earnings" (lower case, as labelled)
    period: int


@dataclass(frozen=True, slots=True)
class Probe:
    template: str
    company: str
    question: str
    expected: str  # the document name that reports what is asked


def load_docs(path: Path) -> list[Doc]:
    docs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            docs.append(Doc(r["doc_name"], r["company"], r["doc_type"].lower(), r["doc_period"]))
    return docs


def probes(docs: Iterable[Doc]) -> list[Probe]:
    """Every template for every company that has two or more documents."""
    by_company: dict[str, list[Doc]] = defaultdict(list)
    for doc in docs:
        by_company[doc.company].append(doc)
    out: list[Probe] = []
    for company, own in sorted(by_company.items()):
        if len(own) < 2:
            continue
        annual = sorted((d for d in own if d.kind == "10k"), key=lambda d: d.period)
        # Two filings of one kind and period (two 8-Ks of a year) cannot be told apart
        # by period: "latest" is asked only where the latest period is one filing.
        for d in annual:
            p = d.period
            out += [
                Probe("year", company, f"What was {company}'s total revenue in FY{p}?", d.name),
                Probe(
                    "year_end",
                    company,
                    f"What were {company}'s total assets as of the end of FY{p}?",
                    d.name,
                ),
                Probe(
                    "range",
                    company,
                    f"What was {company}'s average operating income from FY{p - 2} to FY{p}?",
                    d.name,
                ),
                Probe("annual_metric", company, f"What was {company}'s FY{p} quick ratio?", d.name),
            ]
        for kind, template, question in (
            ("10k", "latest_annual", "What was {c}'s net income in its most recent annual report?"),
            ("10q", "latest_10q", "What were {c}'s total revenues according to its latest 10-Q?"),
            (
                "earnings",
                "latest_earnings",
                "What did {c} report in its most recent earnings release?",
            ),
        ):
            latest = _latest(own, kind)
            if latest is not None:
                out.append(Probe(template, company, question.format(c=company), latest.name))
        # No period asked: the most recent annual or quarterly report answers.
        newest = _latest(own, ("10k", "10q"))
        if newest is not None:
            for question in (
                "What are {c}'s total assets?",
                "How much cash and cash equivalents does {c} hold?",
            ):
                out.append(Probe("no_period", company, question.format(c=company), newest.name))
    return out


def _latest(docs: Sequence[Doc], kind: str | tuple[str, ...]) -> Doc | None:
    kinds = (kind,) if isinstance(kind, str) else kind
    of_kind = [d for d in docs if d.kind in kinds]
    if not of_kind:
        return None
    top = max(d.period for d in of_kind)
    newest = [d for d in of_kind if d.period == top]
    return newest[0] if len(newest) == 1 else None


def score(pipeline: Any, items: Sequence[Probe]) -> dict[str, Any]:
    """doc@1 and doc@5 per template, and every probe whose first passage missed."""
    from experiments.scoring import doc_name

    per: dict[str, list[tuple[float, float]]] = defaultdict(list)
    misses = []
    for probe in items:
        result = pipeline.search(probe.question)
        docs = list(dict.fromkeys(doc_name(p.source) for p in result.passages))
        first = float(docs[:1] == [probe.expected])
        five = float(probe.expected in [doc_name(p.source) for p in result.passages[:5]])
        per[probe.template].append((first, five))
        if not first:
            misses.append({"question": probe.question, "expected": probe.expected, "got": docs[:3]})
    every = [v for values in per.values() for v in values]
    return {
        "questions": len(every),
        "doc@1": _mean(v[0] for v in every),
        "doc@5": _mean(v[1] for v in every),
        "templates": {
            name: {
                "questions": len(values),
                "doc@1": _mean(v[0] for v in values),
                "doc@5": _mean(v[1] for v in values),
            }
            for name, values in sorted(per.items())
        },
        "misses": misses,
    }


def _mean(values: Iterable[float]) -> float | None:
    items = list(values)
    return round(sum(items) / len(items), 4) if items else None


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--docs", type=Path, default=SHARED / "docs.jsonl")
    parser.add_argument("--split", type=Path, default=DEFAULT_SPLIT)
    parser.add_argument("--list", action="store_true", help="print the questions and exit")
    args = parser.parse_args(argv)
    items = probes(load_docs(args.docs))
    if args.list:
        for probe in items:
            sys.stdout.write(json.dumps(dataclasses.asdict(probe)) + "\n")
        return
    if args.data_dir is None:
        parser.error("--data-dir is required (an index of the FinanceBench filings)")
    from assistant.pipeline import Pipeline
    from core.settings import Settings

    split = json.loads(args.split.read_text(encoding="utf-8"))
    started = time.perf_counter()
    pipeline = Pipeline.from_settings(Settings(data_dir=args.data_dir))
    report: dict[str, Any] = {"benchmark": "periods"}
    try:
        halves = {half: set(split[half]) for half in ("train", "test")}
        for half, members in halves.items():
            report[half] = score(pipeline, [p for p in items if p.company in members])
        # Companies no dev question asks about: in neither half, never designed on.
        rest = [p for p in items if not any(p.company in m for m in halves.values())]
        report["unsplit"] = score(pipeline, rest)
    finally:
        pipeline.close()
    report["wall_s"] = round(time.perf_counter() - started, 1)
    sys.stdout.write(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
