"""Frozen group splits: loading, membership, and the runner's per-half ladder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from experiments.config import ExperimentConfigError, load_config
from experiments.splits import SplitError, load_split
from tests.experiments.test_runner import QUESTIONS, run
from tests.experiments.test_runner import experiment as experiment  # the fixture

SPLIT = {"questions": "questions.jsonl", "key": "company", "train": ["Acme"], "test": ["Other"]}


def _questions(tmp_path: Path) -> Path:
    path = tmp_path / "questions.jsonl"
    rows = [{"id": "a", "company": "Acme"}, {"id": "b", "company": "Other"}, {"id": "c"}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    return path


def _split(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "split.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path


def test_members_by_group(tmp_path: Path) -> None:
    split = load_split(_split(tmp_path, SPLIT))
    assert split.members(_questions(tmp_path)) == {
        "train": frozenset({"a"}),
        "test": frozenset({"b"}),
    }


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("", "not a JSON document"),
        ("[1, 2]", "must be a JSON object"),
        ({**SPLIT, "key": None}, "must be strings"),
        ({k: v for k, v in SPLIT.items() if k != "test"}, "missing 'test'"),
        ({**SPLIT, "train": []}, "non-empty list"),
        ({**SPLIT, "test": ["Acme"]}, "groups in both halves: Acme"),
    ],
)
def test_bad_split_files_are_clear_errors(tmp_path: Path, data: Any, message: str) -> None:
    with pytest.raises(SplitError, match=message):
        load_split(_split(tmp_path, data))


def test_missing_huge_and_binary_split_files(tmp_path: Path) -> None:
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00junk")
    with pytest.raises(SplitError, match="not a JSON document"):
        load_split(binary)
    with pytest.raises(SplitError, match="cannot read split"):
        load_split(tmp_path / "nope.json")
    huge = tmp_path / "huge.json"
    huge.write_bytes(b" " * 5_000_001)
    with pytest.raises(SplitError, match="larger than"):
        load_split(huge)


def test_split_for_another_question_file_is_refused(tmp_path: Path) -> None:
    split = load_split(_split(tmp_path, {**SPLIT, "questions": "dev.jsonl"}))
    with pytest.raises(SplitError, match=r"is for dev\.jsonl"):
        split.members(_questions(tmp_path))


def _split_by_company(experiment: Path, lines: str) -> None:
    """q1, q3 are Acme's (train), q2, q4 Beta's (test); ``lines`` head the config."""
    groups = {"q1": "Acme", "q2": "Beta", "q3": "Acme", "q4": "Beta"}
    rows = [{**q, "company": groups[q["id"]]} for q in QUESTIONS]
    corpus = experiment.parent / "corpus"
    (corpus / "questions.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    split = {"questions": "questions.jsonl", "key": "company", "train": ["Acme"], "test": ["Beta"]}
    (experiment.parent / "split.json").write_text(json.dumps(split))
    experiment.write_text(lines + experiment.read_text())


def test_runner_reports_every_rung_on_each_half(experiment: Path, tmp_path: Path) -> None:
    _split_by_company(experiment, 'split = "split.json"\n')
    summary = run(experiment, tmp_path / "out")
    halves = summary["halves"]
    assert halves["key"] == "company"
    train = {r["name"]: r for r in halves["train"]}
    test = {r["name"]: r for r in halves["test"]}
    assert train["base"]["n"] == 2 and test["base"]["n"] == 2
    # q1 (train) is a gold hit in both rungs; q2 (test) only in 'better'.
    assert train["base"]["metrics"]["hit@10"] == 1.0
    assert test["base"]["metrics"]["hit@10"] == 0.0
    assert test["better"]["metrics"]["hit@10"] == 1.0
    assert train["llm"]["skipped"] and test["llm"]["skipped"]


def test_config_with_a_split_that_does_not_fit_is_an_error(experiment: Path) -> None:
    (experiment.parent / "split.json").write_text(json.dumps({**SPLIT, "questions": "x.jsonl"}))
    experiment.write_text('split = "split.json"\n' + experiment.read_text())
    with pytest.raises(ExperimentConfigError, match=r"is for x\.jsonl"):
        load_config(experiment)


def test_half_runs_only_that_half_of_the_split(experiment: Path, tmp_path: Path) -> None:
    _split_by_company(experiment, 'split = "split.json"\nhalf = "test"\n')
    summary = run(experiment, tmp_path / "out")
    assert {r["name"]: r["n"] for r in summary["rungs"] if not r.get("skipped")} == {
        "base": 2,
        "better": 2,
    }
    assert "train" not in summary["halves"] and summary["halves"]["test"][0]["n"] == 2
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["questions"]["half"] == "test"
    assert manifest["questions"]["ids"] == ["q2", "q4"]


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ('half = "test"\n', "needs a split"),
        ('split = "split.json"\nhalf = "dev"\n', "half"),
    ],
)
def test_a_half_without_a_split_or_of_another_name_is_an_error(
    experiment: Path, lines: str, message: str
) -> None:
    (experiment.parent / "split.json").write_text(json.dumps(SPLIT))
    experiment.write_text(lines + experiment.read_text())
    with pytest.raises(ExperimentConfigError, match=message):
        load_config(experiment)
