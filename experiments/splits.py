"""Frozen group splits of a question set: design on one half, report both.

A split file (``bench/splits/*.json``) names the question file it divides, the record
field that groups questions (``"key": "company"``) and the groups of each half::

    {"questions": "dev.jsonl", "key": "company", "train": ["3M", ...], "test": [...]}

Questions about one company never sit in both halves, so a rule or weight shaped on the
train half is scored on companies it never saw. The train-test gap is the overfitting an
in-sample number hides.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.errors import ConfigError

HALVES = ("train", "test")
MAX_SPLIT_BYTES = 5_000_000


class SplitError(ConfigError):
    """A split file that cannot be read or does not fit its question set."""


@dataclass(frozen=True, slots=True)
class Split:
    path: Path
    questions: str  # the question file's name the split was drawn for
    key: str
    groups: dict[str, frozenset[str]]  # half -> group values

    def members(self, questions_path: Path) -> dict[str, frozenset[str]]:
        """Question ids of each half, reading the group field from the question file."""
        if Path(self.questions).name != questions_path.name:
            raise SplitError(
                f"split {self.path} is for {Path(self.questions).name}, not {questions_path.name}"
            )
        ids: dict[str, set[str]] = {half: set() for half in HALVES}
        for number, line in enumerate(
            questions_path.read_text(encoding="utf-8").splitlines(), start=1
        ):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise SplitError(f"{questions_path}:{number}: not JSON: {exc.msg}") from exc
            if not isinstance(record, dict):
                raise SplitError(f"{questions_path}:{number}: not a JSON object")
            for half in HALVES:
                if record.get(self.key) in self.groups[half]:
                    ids[half].add(str(record.get("id")))
        return {half: frozenset(v) for half, v in ids.items()}


def load_split(path: Path) -> Split:
    """Read and check a split file; every problem is a SplitError naming the file."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SplitError(f"cannot read split {path}: {exc.strerror or exc}") from exc
    if len(raw) > MAX_SPLIT_BYTES:
        raise SplitError(f"split {path}: larger than {MAX_SPLIT_BYTES} bytes")
    try:
        data: Any = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SplitError(f"split {path}: not a JSON document: {exc}") from exc
    if not isinstance(data, dict):
        raise SplitError(f"split {path}: must be a JSON object")
    for field in ("questions", "key", *HALVES):
        if field not in data:
            raise SplitError(f"split {path}: missing {field!r}")
    if not isinstance(data["questions"], str) or not isinstance(data["key"], str):
        raise SplitError(f"split {path}: 'questions' and 'key' must be strings")
    groups: dict[str, frozenset[str]] = {}
    for half in HALVES:
        values = data[half]
        if not isinstance(values, list) or not values:
            raise SplitError(f"split {path}: {half!r} must be a non-empty list")
        groups[half] = frozenset(str(v) for v in values)
    shared = groups["train"] & groups["test"]
    if shared:
        raise SplitError(f"split {path}: groups in both halves: {', '.join(sorted(shared))}")
    return Split(path, data["questions"], data["key"], groups)
