"""The sample ladder end to end through the CLI: real index, real pipeline, audited numbers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import app
from experiments.config import load_config
from tests.conftest import SAMPLE_CORPUS
from tests.experiments.test_runner import check_summary_against_records

CONFIGS = Path(__file__).resolve().parents[2] / "experiments" / "configs"
runner = CliRunner()


def small_ladder(tmp_path: Path, sample_index: Path) -> Path:
    """The shipped ladder's first rungs on 20 questions, over the session's sample index."""
    shipped = load_config(CONFIGS / "ladder-sample.toml")
    rungs = "".join(
        f'[[rungs]]\nname = "{r.name}"\n'
        + "".join(f"{k} = {json.dumps(v)}\n" for k, v in r.changes.items())
        for r in shipped.rungs
        if r.name in ("dense", "hybrid", "classify-route", "llm-answer-v1")
    )
    path = tmp_path / "ladder.toml"
    path.write_text(
        f'name = "ladder-small"\ncorpus = "{SAMPLE_CORPUS}"\n'
        f'questions = "{SAMPLE_CORPUS / "questions.jsonl"}"\n'
        "limit = 20\nresamples = 1000\n"
        f'[build]\ndata_dir = "{sample_index}"\nexclude = ["*.jsonl"]\n' + rungs
    )
    return path


@pytest.mark.slow
@pytest.mark.integration
def test_sample_ladder_end_to_end(tmp_path: Path, sample_index: Path) -> None:
    out = tmp_path / "run"
    result = runner.invoke(
        app, ["experiment", "run", str(small_ladder(tmp_path, sample_index)), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "ladder-small" in result.output and "skipped" in result.output
    summary = json.loads((out / "summary.json").read_text())
    names = [r["name"] for r in summary["rungs"]]
    assert names == ["dense", "hybrid", "classify-route", "llm-answer-v1"]
    assert summary["rungs"][3]["skipped"]
    assert all(r["n"] == 20 for r in summary["rungs"][:3])
    check_summary_against_records(out)
    # classification is what escalates requests to act; without it nothing is escalated.
    dense, _, classified = summary["rungs"][:3]
    assert dense["metrics"]["escalate_recall"] in (0.0, None)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["index"]["reused"] and manifest["index"]["documents"] == 26
    assert manifest["corpus"]["files"] == 26 and classified["n"] == 20
    assert (out / "ladder.png").stat().st_size > 1000

    # One pipeline through `eval` on the same index, then compared with the ladder's rung.
    pipeline = tmp_path / "pipeline.toml"
    pipeline.write_text('[pipeline]\nmode = "hybrid"\nrouting = "boost"\nrerank = "none"\n')
    other = tmp_path / "eval"
    result = runner.invoke(
        app,
        [
            "eval",
            "--questions",
            str(SAMPLE_CORPUS / "questions.jsonl"),
            "--corpus",
            str(SAMPLE_CORPUS),
            "--data-dir",
            str(sample_index),
            "--config",
            str(pipeline),
            "--out",
            str(other),
            "--limit",
            "30",
        ],
    )
    assert result.exit_code == 0, result.output
    check_summary_against_records(other)
    result = runner.invoke(
        app, ["experiment", "compare", str(out), str(other), "--rung-a", "classify-route", "--json"]
    )
    assert result.exit_code == 0, result.output
    comparison = json.loads(result.output)
    assert comparison["rungs"][0]["questions"] == 20  # paired over the ids both asked
    assert "hit@10" in comparison["rungs"][0]["flipped"]


def test_cli_usage_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("name = ")
    result = runner.invoke(app, ["experiment", "run", str(bad)])
    assert result.exit_code == 2 and "malformed TOML" in result.output
    result = runner.invoke(app, ["experiment", "compare", str(tmp_path), str(tmp_path)])
    assert result.exit_code == 2 and "not a finished run" in result.output
    result = runner.invoke(
        app,
        [
            "eval",
            "--questions",
            str(tmp_path / "none.jsonl"),
            "--corpus",
            str(tmp_path),
            "--out",
            str(tmp_path / "o"),
        ],
    )
    assert result.exit_code == 2 and "does not exist" in result.output


def test_cli_half_needs_a_split_and_a_known_name(tmp_path: Path) -> None:
    config = tmp_path / "ladder.toml"
    config.write_text(
        f'name = "no-split"\ncorpus = "{SAMPLE_CORPUS}"\n'
        f'questions = "{SAMPLE_CORPUS / "questions.jsonl"}"\n[[rungs]]\nname = "base"\n'
    )
    result = runner.invoke(app, ["experiment", "run", str(config), "--half", "test"])
    assert result.exit_code == 2 and "--half test needs a split" in result.output
    result = runner.invoke(app, ["experiment", "run", str(config), "--half", "dev"])
    assert result.exit_code == 2 and "dev" in result.output
