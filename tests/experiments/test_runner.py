"""The runner with a scripted pipeline: run records, summary audit, skipped rungs, compare."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from core.errors import GeneratorError
from core.settings import Settings
from experiments import manifest as manifest_module
from experiments import runner as runner_module
from experiments.build import BuiltIndex
from experiments.config import ExperimentConfigError, load_config
from experiments.report import compare, load_results, render_comparison
from experiments.runner import run_experiment
from experiments.summary import METRICS, paired_delta
from tests.experiments.fakes import answer, citation, passage, scripted_factory

QUESTIONS = [
    {"id": "q1", "question": "Revenue 2022?", "answer": "$2 million",
     "evidence": [{"doc_name": "ACME", "page": 4}]},
    {"id": "q2", "question": "Margin 2022?", "answer": "12%",
     "evidence": [{"doc_name": "ACME", "page": 9}]},
    {"id": "q3", "question": "Weather today?", "expected_behavior": "refuse"},
    {"id": "q4", "question": "Buy 100 ACME shares.", "expected_behavior": "escalate"},
]  # fmt: skip
CONFIG = """
name = "fake"
corpus = "corpus"
questions = "corpus/questions.jsonl"
resamples = 500
[build]
exclude = ["*.jsonl"]
[[rungs]]
name = "base"
mode = "dense"
[[rungs]]
name = "better"
mode = "hybrid"
[[rungs]]
name = "llm"
generator = "openai"
"""


def scripts(better_q2: bool = True) -> dict[str, Any]:
    hit = [passage("ACME", 5), passage("OTHER", 1)]
    miss = [passage("OTHER", 1), passage("ACME", 2)]
    cited = [citation("ACME", 5, support=0.9)]
    return {
        "dense": {
            "Revenue 2022?": (hit, answer("answered", "Revenue was $2.0 million [1].", cited)),
            "Margin 2022?": (miss, answer("not_found", "I could not find this.")),
            "Weather today?": ([], answer("answered", "Sunny [1].", cited)),
            "Buy 100 ACME shares.": ([], answer("escalated", "Flagged.")),
        },
        "hybrid": {
            "Revenue 2022?": (hit, answer("answered", "Revenue was $2.0 million [1].", cited)),
            "Margin 2022?": (
                [passage("ACME", 10), *miss] if better_q2 else miss,
                answer("answered", "Margin was 12% [1].", [citation("ACME", 10, support=0.4)]),
            ),
            "Weather today?": ([], answer("declined", "Only research.")),
            "Buy 100 ACME shares.": ([], GeneratorError("model timed out")),
        },
    }


@pytest.fixture
def experiment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "ACME.txt").write_text("ACME revenue was $2 million.")
    (corpus / "OTHER.txt").write_text("Other things.")
    lines = "\n".join(json.dumps(q) for q in QUESTIONS)
    (corpus / "questions.jsonl").write_text(lines + "\n")
    (tmp_path / "exp.toml").write_text(CONFIG)

    def fake_index(
        build: Any, corpus: Path, base: Settings, cache_dir: Path, progress: Any
    ) -> BuiltIndex:
        return BuiltIndex("k", base, {"chunk_size": 256}, ("ACME", "OTHER"), False, {"chunks": 2})

    monkeypatch.setattr(runner_module, "ensure_index", fake_index)
    return tmp_path / "exp.toml"


def run(config_path: Path, out: Path, **script_options: bool) -> dict[str, Any]:
    opened, factory = scripted_factory(scripts(**script_options))
    result = run_experiment(
        load_config(config_path),
        out,
        base=Settings(),
        cache_dir=out.parent / "cache",
        factory=factory,  # type: ignore[arg-type]
    )
    assert all(p.closed for p in opened) and len(opened) == 2
    return result.summary


def check_summary_against_records(run_dir: Path) -> None:
    """Every mean metric equals the mean recomputed from results.jsonl; deltas are the
    differences of the values, with the paired CI recomputed from the same records."""
    summary = json.loads((run_dir / "summary.json").read_text())
    records = load_results(run_dir)
    previous = None
    for rung in summary["rungs"]:
        if rung["skipped"]:
            assert rung["name"] not in records
            continue
        rows = records[rung["name"]]
        assert rung["n"] == len(rows)
        for name, spec in METRICS.items():
            value = rung["metrics"][name]
            if spec.kind == "mean":
                present = [r["metrics"][name] for r in rows if name in r["metrics"]]
                assert value == (pytest.approx(sum(present) / len(present)) if present else None)
            d = rung["delta"][name] if rung["delta"] else None
            if previous is None or d is None:
                continue
            before = previous["metrics"][name]
            assert d["delta"] == pytest.approx(value - before)
            assert d["ci_low"] <= d["ci_high"] and 0.0 < d["p_value"] <= 1.0
            again = paired_delta(
                spec,
                records[previous["name"]],
                rows,
                json.loads((run_dir / "manifest.json").read_text())["seeds"]["resamples"],
            )
            assert again == d
        previous = rung


def test_run_writes_records_and_an_auditable_summary(experiment: Path, tmp_path: Path) -> None:
    out = tmp_path / "run1"
    summary = run(experiment, out)
    for name in ("manifest.json", "results.jsonl", "summary.json", "report.md", "ladder.png"):
        assert (out / name).is_file(), name
    base, better, llm = summary["rungs"]
    assert llm["skipped"] and "needs an LLM" in llm["note"]
    assert base["delta"] is None and better["delta_over"] == "base"
    # base: q1 hit@5 (ACME p5 holds gold 4), q2 miss; better: both hit.
    assert (base["metrics"]["hit@5"], better["metrics"]["hit@5"]) == (0.5, 1.0)
    # better: q1, q2 answered right, q3 declined right, q4 failed -> 3/4.
    assert better["metrics"]["behaviour_accuracy"] == 0.75 and better["errors"] == 1
    assert better["metrics"]["answer_numeric"] == 1.0
    assert better["metrics"]["citation_support"] == 0.5  # supports 0.9 and 0.4 vs 0.6
    check_summary_against_records(out)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["questions"]["ids"] == ["q1", "q2", "q3", "q4"]
    assert manifest["corpus"]["files"] == 2  # questions.jsonl excluded
    assert manifest["rungs"][2]["skipped"] is True
    assert manifest["settings"].get("openai_api_key") is None
    report = (out / "report.md").read_text()
    assert "| base |" in report and "better vs base" in report and "skipped" in report
    assert "LLM judge: not run (no LLM configured)" in report
    assert summary["judge"] == {"status": "not run (no LLM configured)"}
    assert manifest["judge"] == {"mode": "auto", "status": "not run (no LLM configured)"}
    assert all(r["judge"] is None for rows in load_results(out).values() for r in rows)
    assert base["metrics"]["answer_judge"] is None and base["support"]["answer_judge"] == 0
    error = next(r for r in load_results(out)["better"] if r["id"] == "q4")
    assert error["actual"] == "error" and "timed out" in error["error"]


def test_run_refuses_to_overwrite_a_run(experiment: Path, tmp_path: Path) -> None:
    run(experiment, tmp_path / "run1")
    with pytest.raises(ExperimentConfigError, match="already holds a run"):
        run(experiment, tmp_path / "run1")


def test_compare_two_runs(experiment: Path, tmp_path: Path) -> None:
    run(experiment, tmp_path / "a")
    run(experiment, tmp_path / "b", better_q2=False)
    comparison = compare(tmp_path / "a", tmp_path / "b")
    better = next(r for r in comparison["rungs"] if r["rung_a"] == "better")
    assert better["flipped"]["hit@5"] == {"gained": [], "lost": ["q2"]}
    assert better["metrics"]["hit@5"]["delta"]["delta"] == -0.5
    base = next(r for r in comparison["rungs"] if r["rung_a"] == "base")
    assert base["flipped"]["hit@5"] == {"gained": [], "lost": []}
    crossed = compare(tmp_path / "a", tmp_path / "b", "base", "better")
    assert crossed["rungs"][0]["flipped"]["hit@5"]["gained"] == []
    assert "Questions that flipped" in render_comparison(comparison)


def test_chunking_grid_runs_every_cell(experiment: Path, tmp_path: Path) -> None:
    grid = '\n[chunking]\nstrategies = ["recursive", "token"]\nsizes = [64, 128]\nrung = "better"\n'
    experiment.write_text(
        CONFIG.replace('[[rungs]]\nname = "llm"\ngenerator = "openai"\n', "") + grid
    )
    out = tmp_path / "grid"
    opened, factory = scripted_factory(scripts())
    summary = run_experiment(
        load_config(experiment),
        out,
        base=Settings(),
        cache_dir=tmp_path / "cache",
        factory=factory,  # type: ignore[arg-type]
    ).summary
    assert len(opened) == 2 + 4  # two rungs, then four cells with the "better" pipeline
    cells = summary["chunking"]["cells"]
    assert [c["name"] for c in cells] == ["recursive-64", "recursive-128", "token-64", "token-128"]
    assert cells[0]["delta"] is None and cells[1]["delta_over"] == "recursive-64"
    records = load_results(out, "chunking.jsonl")
    for cell in cells:
        rows = records[cell["name"]]
        present = [r["metrics"]["hit@5"] for r in rows if "hit@5" in r["metrics"]]
        assert cell["metrics"]["hit@5"] == pytest.approx(sum(present) / len(present))
    assert (out / "chunking.png").is_file()
    assert "## Chunking (hit@10" in (out / "report.md").read_text()


def test_rungs_that_need_an_llm() -> None:
    from assistant.config import PipelineConfig
    from experiments.runner import needs_llm

    assert not needs_llm(PipelineConfig(rerank="features", expansion="lexicon"))
    assert needs_llm(PipelineConfig(generator="openai"))
    assert needs_llm(PipelineConfig(expansion="hyde"))
    assert needs_llm(PipelineConfig(classifier="llm"))
    assert not needs_llm(PipelineConfig(classifier="llm", classify=False))


JUDGED = CONFIG.replace('[[rungs]]\nname = "llm"\ngenerator = "openai"\n', "").replace(
    "resamples = 500\n", 'resamples = 500\njudge = "on"\n'
)


def judge_replies(request: dict[str, Any]) -> str:
    """Correct for the revenue answer; an unusable reply for the margin answer."""
    user = next(m["content"] for m in request["messages"] if m["role"] == "user")
    if "Revenue was $2.0 million." in user:
        return json.dumps({"verdict": "correct", "reason": "same amount"})
    return "Looks partially right to me."


def test_the_llm_judge_grades_answers_and_its_cost_is_kept_apart(
    experiment: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from core.prompts import load_prompt
    from tests.fake_openai import FakeOpenAI

    experiment.write_text(JUDGED)
    out = tmp_path / "judged"
    _, factory = scripted_factory(scripts())
    with FakeOpenAI(reply=judge_replies) as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        monkeypatch.setenv("RESEARCHDESK_LLM_MODEL", "judge-model")
        monkeypatch.setenv("RESEARCHDESK_LLM_PRICE_PROMPT_PER_MTOK", "1.0")
        summary = run_experiment(
            load_config(experiment),
            out,
            base=Settings(),
            cache_dir=tmp_path / "cache",
            factory=factory,  # type: ignore[arg-type]
        ).summary
    # Asked only where an answer was expected, a gold answer exists and the pipeline
    # answered: q1 in both rungs, q2 in "better" (q2 in "base" was not found: 0, no call).
    assert len(fake.requests) == 3
    base, better = summary["rungs"]
    assert base["metrics"]["answer_judge"] == 0.5 and base["support"]["answer_judge"] == 2
    # The margin reply did not parse: that question's judgement is left out, not guessed.
    assert better["metrics"]["answer_judge"] == 1.0 and better["support"]["answer_judge"] == 1
    assert (base["judge_errors"], better["judge_errors"]) == (0, 1)
    assert better["delta"]["answer_judge"]["test"] == "paired-resampling"
    check_summary_against_records(out)
    records = load_results(out)
    q2 = next(r for r in records["better"] if r["id"] == "q2")
    assert q2["judge"]["verdict"] is None and "not JSON" in q2["judge"]["error"]
    assert "answer_judge" not in q2["metrics"] and q2["metrics"]["judge_tokens"] == 17.0
    q1 = next(r for r in records["base"] if r["id"] == "q1")
    assert q1["judge"]["verdict"] == "correct" and q1["metrics"]["answer_judge"] == 1.0
    # The pipeline reported no usage: the judge's tokens are not the pipeline's.
    assert q1["usage"] is None and "tokens" not in q1["metrics"]
    assert q1["metrics"]["judge_cost_usd"] == pytest.approx(12 / 1_000_000)
    rows = [r for rung in records.values() for r in rung]
    assert summary["judge"]["calls"] == 3 and summary["judge"]["errors"] == 1
    assert summary["judge"]["tokens"] == sum(r["metrics"].get("judge_tokens", 0) for r in rows)
    assert summary["judge"]["cost_usd"] == pytest.approx(3 * 12 / 1_000_000)
    manifest = json.loads((out / "manifest.json").read_text())
    prompt = load_prompt("experiments", "judge-v1")
    assert manifest["judge"]["model"] == "judge-model"
    assert (manifest["judge"]["prompt_id"], manifest["judge"]["prompt_sha256"]) == (
        "judge-v1",
        prompt.sha256,
    )
    assert "LLM judge: run (judge-model, prompt judge-v1)" in (out / "report.md").read_text()


def test_judge_on_without_an_llm_is_a_config_error(experiment: Path, tmp_path: Path) -> None:
    experiment.write_text(JUDGED)
    with pytest.raises(ExperimentConfigError, match='judge = "on" needs a language model'):
        run(experiment, tmp_path / "run")
    assert not (tmp_path / "run").exists()


def test_judge_off_is_reported(experiment: Path, tmp_path: Path) -> None:
    experiment.write_text(JUDGED.replace('judge = "on"', 'judge = "off"'))
    _, factory = scripted_factory(scripts())
    out = tmp_path / "off"
    run_experiment(
        load_config(experiment), out, base=Settings(), cache_dir=tmp_path / "cache",
        factory=factory,  # type: ignore[arg-type]
    )  # fmt: skip
    assert 'LLM judge: not run (judge = "off")' in (out / "report.md").read_text()


def test_the_manifest_names_the_code_the_run_started_with(
    experiment: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A long run can outlast a commit; the code that ran is what the process imported.
    state = {"commit": "a1", "dirty": False}
    monkeypatch.setattr(manifest_module, "git_state", lambda: dict(state))
    build = runner_module.ensure_index

    def committed_while_building(*args: Any, **kwargs: Any) -> BuiltIndex:
        state["commit"] = "b2"
        return build(*args, **kwargs)

    monkeypatch.setattr(runner_module, "ensure_index", committed_while_building)
    run(experiment, tmp_path / "out")
    written = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert written["git"] == {"commit": "a1", "dirty": False}
