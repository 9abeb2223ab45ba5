"""Company-swapped questions: FinanceBench questions about a company the library lacks.

    python bench/swapped.py [--questions dev.jsonl] [--holdout] > swapped.jsonl

Each question's company (as the question writes it: full name, short name, initialism)
is replaced by a real, well-known company with no filing in the FinanceBench library, so
the right outcome is a refusal, never another company's figures. The list below was
written from general knowledge of large listed companies, not from the benchmark; it
includes names that are also common words (Target, Oracle, Visa, Apple) and companies
that filings mention as competitors or customers. Questions whose company cannot be
found in their text are skipped (the count is printed to stderr). Nothing is written
into the repository: the output is derived from ../shared at run time.

``HOLDOUT`` is a second list, written on 2026-12-06 after every refusal rule existed and
used for nothing but measuring (``--holdout``, and ``swapped_holdout`` in
bench/knowledge.py): a check that the refusal rules were not shaped around ``ABSENT``'s
names. It too mixes names that are words (Gap, Shell, Dow, Target's kind) or carry an
ampersand (AT&T), and companies the filings mention as competitors, suppliers or
customers (Kroger, Lowe's, Alphabet, AT&T). A name that fails there must not be fixed by
naming it: fix the rule, and say that the list is no longer held out.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from experiments.datasets import LabelledQuestion
from retrieval.routing import initialisms

ABSENT = (
    "Honeywell",
    "Apple",
    "Tesla",
    "Nvidia",
    "Intel",
    "Oracle",
    "Salesforce",
    "Caterpillar",
    "Deere & Company",
    "Procter & Gamble",
    "Home Depot",
    "Target",
    "Starbucks",
    "McDonald's",
    "ExxonMobil",
    "Chevron",
    "Merck",
    "AbbVie",
    "UnitedHealth Group",
    "Visa",
    "Mastercard",
    "Goldman Sachs",
    "Wells Fargo",
    "Comcast",
    "Walt Disney",
    "General Electric",
    "Ford Motor",
    "IBM",
    "Cisco Systems",
    "Qualcomm",
    "Texas Instruments",
    "Colgate-Palmolive",
    "Mondelez",
    "Hershey",
    "Raytheon",
    "FedEx",
    "Delta Air Lines",
    "Marriott",
    "PayPal",
    "eBay",
)
HOLDOUT = (
    "Alphabet",
    "Meta Platforms",
    "Berkshire Hathaway",
    "Bank of America",
    "Citigroup",
    "Morgan Stanley",
    "Lowe's",
    "Kroger",
    "Dollar General",
    "Southwest Airlines",
    "United Parcel Service",
    "Union Pacific",
    "Halliburton",
    "Gilead Sciences",
    "Eli Lilly",
    "Bristol-Myers Squibb",
    "Abbott Laboratories",
    "Medtronic",
    "Northrop Grumman",
    "General Dynamics",
    "AT&T",
    "T-Mobile",
    "Charter Communications",
    "Booking Holdings",
    "Uber",
    "Moderna",
    "Chipotle",
    "Kellogg",
    "Tyson Foods",
    "Whirlpool",
    "TJX",
    "Gap",
    "Macy's",
    "Shell",
    "Unilever",
    "Siemens",
    "Toyota",
    "Sony",
    "Nestle",
    "Dow",
)
_SUFFIX = re.compile(r"\s*\b(?:inc|corp|corporation|company|co|plc|ltd)\.?$", re.I)


def name_forms(company: str) -> list[str]:
    """How a question may write ``company``, longest first."""
    base = _SUFFIX.sub("", company).strip()
    forms = {company, base, base.replace("&", "and")}
    words = re.findall(r"[A-Za-z0-9]+", base)
    if len(words) > 1 and len(words[0]) >= 3:
        forms.add(words[0])  # "MGM" for MGM Resorts, "Johnson" is excluded below
    forms |= {f.upper() for f in initialisms(base)}
    forms |= {f for f in initialisms(base)}
    # A lone first word that is a common surname or word would swap the wrong thing.
    forms.discard("Johnson")
    forms.discard("American")
    forms.discard("General")
    return sorted((f for f in forms if f), key=len, reverse=True)


def swap(question: str, company: str, new: str) -> str | None:
    """``question`` about ``new`` instead of ``company``; None if the company is not named."""
    text = re.sub(r"\s*\((?:formerly|previously)[^)]*\)", "", question, flags=re.I)
    for form in name_forms(company):
        pattern = re.compile(rf"(?<![\w&]){re.escape(form)}(?![\w&])", re.I)
        if pattern.search(text):
            return pattern.sub(new, text)
    return None


def swap_questions(
    records: Iterable[Mapping[str, Any]], companies: Sequence[str] = ABSENT
) -> list[LabelledQuestion]:
    """One refusal question per record whose company its text names, about one of
    ``companies`` (picked by the question id's hash)."""
    out: list[LabelledQuestion] = []
    skipped = 0
    for record in records:
        qid = str(record["id"])
        digest = int(hashlib.sha256(qid.encode()).hexdigest(), 16)
        new = companies[digest % len(companies)]
        text = swap(str(record["question"]), str(record.get("company", "")), new)
        if text is None:
            skipped += 1
            continue
        out.append(
            LabelledQuestion(
                id=f"{qid}:swapped",
                question=text,
                expected_behavior="refuse",
                answer=None,
                evidence=(),
                groups=(),
                question_type="company-swapped",
            )
        )
    print(f"swapped {len(out)} questions, skipped {skipped}", file=sys.stderr)
    return out


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parents[2] / "shared/benchmarks/financebench/dev.jsonl"
    parser.add_argument("--questions", type=Path, default=default)
    parser.add_argument("--holdout", action="store_true", help="swap in HOLDOUT's names")
    args = parser.parse_args(argv)
    records = [json.loads(x) for x in args.questions.read_text(encoding="utf-8").splitlines()]
    for q in swap_questions(records, HOLDOUT if args.holdout else ABSENT):
        print(json.dumps({"id": q.id, "question": q.question, "expected_behavior": "refuse"}))


if __name__ == "__main__":
    main()
