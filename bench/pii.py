"""Recall and false positives of the personal-data masker on a labelled set, as JSON.

    python bench/pii.py [--cases bench/data/pii_labelled.jsonl] [--masker MODULE]

A positive case counts as caught when none of its labelled values is left in the masked
text (compared after the same Unicode normalisation); a negative case is a false
positive when anything in it was masked. ``--masker`` names a module with a
``mask_personal_data`` (default ``assistant.governance``), so an older copy can be
measured on the same cases.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DEFAULT_CASES = Path(__file__).resolve().parent / "data" / "pii_labelled.jsonl"
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"))


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(_INVISIBLE).casefold()


def load_cases(path: Path) -> list[dict[str, Any]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def score(cases: list[dict[str, Any]], mask: Callable[[str], Any]) -> dict[str, Any]:
    """Recall per kind and overall, false-positive rate, and the cases that went wrong."""
    caught: Counter[str] = Counter()
    total: Counter[str] = Counter()
    missed, false_positives = [], []
    negatives = 0
    for case in cases:
        masked = mask(case["text"])
        if case["pii"]:
            total[case["kind"]] += 1
            left = _plain(masked.text)
            if all(_plain(value) not in left for value in case["pii"]):
                caught[case["kind"]] += 1
            else:
                missed.append(case["text"])
        else:
            negatives += 1
            if masked.found:
                false_positives.append({"text": case["text"], "masked": masked.text})
    positives = sum(total.values())
    return {
        "positives": positives,
        "negatives": negatives,
        "recall": round(sum(caught.values()) / positives, 3) if positives else None,
        "recall_by_kind": {k: f"{caught[k]}/{total[k]}" for k in sorted(total)},
        "false_positive_rate": round(len(false_positives) / negatives, 3) if negatives else None,
        "missed": missed,
        "false_positives": false_positives,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=DEFAULT_CASES)
    parser.add_argument("--masker", default="assistant.governance")
    args = parser.parse_args()
    module = importlib.import_module(args.masker)
    result = score(load_cases(args.cases), module.mask_personal_data)
    print(json.dumps({"masker": args.masker, **result}, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
