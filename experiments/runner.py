"""Run an experiment: build its indexes once, run every rung over every question, record.

A run directory holds ``manifest.json`` (code, data, settings, models, seeds, machine,
wall time), ``results.jsonl`` (one line per rung x question), ``chunking.jsonl`` when a
grid was run, ``summary.json`` (per rung: every metric and its delta over the previous
rung that ran, with a paired bootstrap 95% CI and a paired p-value), ``report.md`` and
PNG plots. Summaries are computed from the records as written, so they can be audited.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant.config import PipelineConfig
from assistant.pipeline import Pipeline
from assistant.turn import AnsweringPipeline
from core.settings import Settings
from experiments import manifest
from experiments.asking import ask_one, experiment_desk
from experiments.build import BuiltIndex, corpus_fingerprint, ensure_index
from experiments.config import BuildConfig, ExperimentConfig, ExperimentConfigError, Rung
from experiments.datasets import LabelledQuestion, load_questions
from experiments.judge import LLMJudge, judge_status, open_judge
from experiments.report import load_results
from experiments.summary import METRICS, judge_totals, paired_delta, summarize
from ingest.discover import discover
from ingest.models import sha256_file
from ingest.pipeline import Progress as IngestProgress

RESULTS = "results.jsonl"
# How questions were asked (experiments.asking): the governed turn, minus a reviewer.
GOVERNANCE = {"path": "assistant.turn.GovernedDesk", "kind": "experiment", "approval_queue": False}
CHUNKING = "chunking.jsonl"


PipelineFactory = Callable[[Settings, PipelineConfig], AnsweringPipeline]


@dataclass(frozen=True, slots=True)
class RunEvent:
    """Progress of a run: ``stage`` is "build", "rung" or "question"."""

    stage: str
    label: str
    done: int
    total: int


ProgressFn = Callable[[RunEvent], None]


@dataclass(frozen=True, slots=True)
class RunResult:
    run_dir: Path
    summary: dict[str, Any]


def default_run_id(name: str, now: float | None = None) -> str:
    stamp = datetime.fromtimestamp(now or time.time(), tz=UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"{stamp}-{name}"


def needs_llm(config: PipelineConfig) -> bool:
    """Whether a rung calls a language model (so cannot run offline).

    Follow-up rewriting is left out: experiment questions come without history.
    """
    return (
        config.generator == "openai"
        or config.rerank == "llm"
        or config.expansion not in ("none", "lexicon")
        or (config.classify and config.classifier == "llm")
    )


def run_experiment(
    config: ExperimentConfig,
    run_dir: Path,
    *,
    base: Settings,
    cache_dir: Path,
    progress: ProgressFn | None = None,
    factory: PipelineFactory | None = None,
) -> RunResult:
    """Run ``config`` and write its records to ``run_dir`` (created; must not hold a run)."""
    notify = progress or (lambda _event: None)
    open_pipeline: PipelineFactory = factory or Pipeline.from_settings
    started = time.time()
    if (run_dir / "manifest.json").exists():
        raise ExperimentConfigError(
            f"{run_dir} already holds a run; choose another --out or remove it"
        )
    base = base.model_copy(update={"database_url": None})
    judge = open_judge(config, base)
    run_dir.mkdir(parents=True, exist_ok=True)
    # The code that runs is the code at the start: a long run may outlast commits.
    code = manifest.git_state()
    questions = select_questions(config)
    fingerprint = corpus_fingerprint(config.corpus, config.build)
    index = _ensure(config.build, config, base, cache_dir, notify, "index")
    rung_records: list[tuple[Rung, list[dict[str, Any]] | None, str]] = []
    with (run_dir / RESULTS).open("w", encoding="utf-8") as sink:
        for number, rung in enumerate(config.rungs, start=1):
            label = f"rung {number}/{len(config.rungs)} {rung.name}"
            if needs_llm(rung.config) and not base.llm_configured:
                note = "skipped: needs an LLM (set OPENAI_API_KEY or OPENAI_BASE_URL)"
                rung_records.append((rung, None, note))
                notify(RunEvent("rung", f"{label} ({note})", number, len(config.rungs)))
                continue
            records = run_rung(
                open_pipeline, index.settings, rung, questions, config, notify, label, judge
            )
            for record in records:
                sink.write(json.dumps({"rung": rung.name, **record}, ensure_ascii=False) + "\n")
            rung_records.append((rung, records, ""))
    summary: dict[str, Any] = {
        "run_id": run_dir.name,
        "name": config.name,
        "questions": len(questions),
        "rungs": ladder_summary(rung_records, config),
    }
    if config.split is not None:
        summary["halves"] = split_summary(rung_records, config)
    grid: list[dict[str, Any]] | None = None
    if config.chunking is not None:
        grid, summary["chunking"] = _run_grid(
            config, base, cache_dir, questions, run_dir, notify, open_pipeline, judge
        )
    summary["judge"] = {"status": judge_status(config, judge)}
    if judge is not None:  # over every record as written, ladder and grid
        written = [load_results(run_dir, name).values() for name in (RESULTS, CHUNKING)]
        summary["judge"].update(judge_totals([r for g in written for rows in g for r in rows]))
    ended = time.time()
    record = _manifest(
        config, run_dir, base, index, fingerprint, questions, rung_records, grid, code
    )
    record["judge"] = {
        "mode": config.judge,
        "status": summary["judge"]["status"],
        **(judge.describe() if judge is not None else {}),
    }
    record.update(
        {
            "started_at": datetime.fromtimestamp(started, tz=UTC).isoformat(),
            "ended_at": datetime.fromtimestamp(ended, tz=UTC).isoformat(),
            "wall_s": round(ended - started, 1),
        }
    )
    summary["wall_s"] = record["wall_s"]
    _write_json(run_dir / "manifest.json", record)
    _write_json(run_dir / "summary.json", summary)
    from experiments.report import write_report  # matplotlib is imported only to report

    write_report(run_dir)
    return RunResult(run_dir, summary)


def select_questions(config: ExperimentConfig) -> list[LabelledQuestion]:
    """The config's questions (its split's half, subset, then limit); evidence must name
    corpus documents."""
    known = {p.stem for p in discover([config.corpus], config.build.include, config.build.exclude)}
    questions = list(load_questions(config.questions, known_docs=known))
    if config.half is not None:
        assert config.split is not None  # parse_config requires one
        members = config.split.members(config.questions)[config.half]
        questions = [q for q in questions if q.id in members]
    if config.subset:
        by_id = {q.id: q for q in questions}
        missing = [i for i in config.subset if i not in by_id]
        if missing:
            raise ExperimentConfigError(
                f"subset names {len(missing)} question id(s) not in {config.questions.name}: "
                + ", ".join(missing[:5])
            )
        questions = [by_id[i] for i in dict.fromkeys(config.subset)]
    return questions[: config.limit] if config.limit else questions


def run_rung(
    open_pipeline: PipelineFactory,
    settings: Settings,
    rung: Rung,
    questions: Sequence[LabelledQuestion],
    config: ExperimentConfig,
    notify: ProgressFn,
    label: str,
    judge: LLMJudge | None = None,
) -> list[dict[str, Any]]:
    """Every question through one pipeline, governed as advisors get it (``asking``);
    a failing question is recorded, not fatal.

    With a ``judge``, every answer it should grade (``needs_judging``) is graded here.
    """
    pipeline = open_pipeline(settings, rung.config)
    desk = experiment_desk(settings)
    records = []
    try:
        pipeline.ready()  # load models now, so the first question's latency is not a load time
        for done, question in enumerate(questions, start=1):
            records.append(ask_one(pipeline, desk, question, config.support_threshold, judge))
            notify(RunEvent("question", label, done, len(questions)))
    finally:
        pipeline.close()
    return records


def ladder_summary(
    rungs: Sequence[tuple[Rung, list[dict[str, Any]] | None, str]], config: ExperimentConfig
) -> list[dict[str, Any]]:
    """Each rung's metrics and its deltas over the previous rung that ran."""
    out: list[dict[str, Any]] = []
    previous: tuple[str, list[dict[str, Any]]] | None = None
    for rung, records, note in rungs:
        entry: dict[str, Any] = {
            "name": rung.name,
            "description": rung.description,
            "changes": rung.changes,
            "skipped": records is None,
            "note": note,
        }
        if records is not None:
            entry.update(summarize(records, config.resamples, config.seed))
            entry["delta_over"] = previous[0] if previous else None
            entry["delta"] = _deltas(previous[1], records, config) if previous is not None else None
            previous = (rung.name, records)
        out.append(entry)
    return out


def split_summary(
    rungs: Sequence[tuple[Rung, list[dict[str, Any]] | None, str]], config: ExperimentConfig
) -> dict[str, Any]:
    """The ladder on each half of the config's split: the train-test gap per metric."""
    assert config.split is not None
    out: dict[str, Any] = {"split": str(config.split.path), "key": config.split.key}
    for half, ids in config.split.members(config.questions).items():
        if config.half is not None and half != config.half:
            continue  # not run
        kept = [
            (rung, None if records is None else [r for r in records if r["id"] in ids], note)
            for rung, records, note in rungs
        ]
        out[half] = ladder_summary(kept, config)
    return out


def _deltas(
    a: list[dict[str, Any]], b: list[dict[str, Any]], config: ExperimentConfig
) -> dict[str, Any]:
    return {
        name: paired_delta(spec, a, b, resamples=config.resamples, seed=config.seed)
        for name, spec in METRICS.items()
    }


def _ensure(
    build: BuildConfig,
    config: ExperimentConfig,
    base: Settings,
    cache_dir: Path,
    notify: ProgressFn,
    label: str,
) -> BuiltIndex:
    def on_ingest(event: IngestProgress) -> None:
        notify(RunEvent("build", f"build {label}", event.done, event.total))

    return ensure_index(build, config.corpus, base, cache_dir, on_ingest)


def _run_grid(
    config: ExperimentConfig,
    base: Settings,
    cache_dir: Path,
    questions: Sequence[LabelledQuestion],
    run_dir: Path,
    notify: ProgressFn,
    open_pipeline: PipelineFactory,
    judge: LLMJudge | None,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Strategies x sizes, each its own index, all with one rung's pipeline."""
    grid = config.chunking
    assert grid is not None
    rung = config.rung(grid.rung) if grid.rung else config.rungs[0]
    overlap = config.build.chunk_overlap if grid.overlap is None else grid.overlap
    cells: list[dict[str, Any]] = []
    all_records: list[list[dict[str, Any]]] = []
    with (run_dir / CHUNKING).open("w", encoding="utf-8") as sink:
        for strategy in grid.strategies:
            for size in grid.sizes:
                name = f"{strategy}-{size}"
                build = config.build.with_chunking(strategy, size, overlap)
                index = _ensure(build, config, base, cache_dir, notify, f"chunking {name}")
                records = run_rung(
                    open_pipeline, index.settings, rung, questions, config, notify, name, judge
                )
                for record in records:
                    line = {"cell": name, "strategy": strategy, "size": size, **record}
                    sink.write(json.dumps(line, ensure_ascii=False) + "\n")
                cells.append(
                    {
                        "name": name,
                        "strategy": strategy,
                        "size": size,
                        "overlap": overlap,
                        "index": {"key": index.key, "chunks": _chunks(index)},
                        **summarize(records, config.resamples, config.seed),
                    }
                )
                all_records.append(records)
    # Each cell against the first, the grid's reference, as the ladder's table shows it.
    for cell, records in zip(cells, all_records, strict=True):
        cell["delta_over"] = cells[0]["name"] if cell is not cells[0] else None
        cell["delta"] = _deltas(all_records[0], records, config) if cell is not cells[0] else None
    return cells, {"rung": rung.name, "metric": grid.metric, "cells": cells}


def _chunks(index: BuiltIndex) -> int | None:
    report = index.ingest or {}
    return int(report["chunks"]) if "chunks" in report else None


def _manifest(
    config: ExperimentConfig,
    run_dir: Path,
    base: Settings,
    index: BuiltIndex,
    fingerprint: dict[str, Any],
    questions: Sequence[LabelledQuestion],
    rungs: Sequence[tuple[Rung, list[dict[str, Any]] | None, str]],
    grid: list[dict[str, Any]] | None,
    code: dict[str, Any],
) -> dict[str, Any]:
    return {
        "run_id": run_dir.name,
        "name": config.name,
        "description": config.description,
        "config_file": str(config.source) if config.source else None,
        "config": config.raw,
        "git": code,
        "corpus": {"path": str(config.corpus), **fingerprint},
        "questions": {
            "path": str(config.questions),
            "sha256": sha256_file(config.questions),
            "used": len(questions),
            "half": config.half,
            "subset": list(config.subset),
            "limit": config.limit,
            "ids": [q.id for q in questions],
        },
        "index": {
            "key": index.key,
            "data_dir": str(index.settings.data_dir),
            "name": index.settings.index,
            "reused": index.reused,
            "params": index.params,
            "documents": len(index.documents),
            "ingest": index.ingest,
        },
        "settings": manifest.settings_record(index.settings),
        "rungs": [
            {
                "name": rung.name,
                "changes": rung.changes,
                "config": rung.config.model_dump(mode="json"),
                "skipped": records is None,
                "note": note,
                "models": {
                    "embedding": index.settings.embedding_model,
                    "llm": base.llm_model if needs_llm(rung.config) else None,
                    "prompt_version": rung.config.prompt_version
                    if rung.config.generator == "openai"
                    else None,
                    "reranker": rung.config.rerank_model or rung.config.rerank,
                },
            }
            for rung, records, note in rungs
        ],
        "chunking": [
            {k: c[k] for k in ("name", "strategy", "size", "overlap", "index")} for c in grid
        ]
        if grid
        else None,
        "governance": GOVERNANCE,
        "seeds": {"bootstrap": config.seed, "resamples": config.resamples},
        "support_threshold": config.support_threshold,
        "machine": manifest.machine(),
        "versions": manifest.versions(),
    }


def _write_json(path: Path, data: Any) -> None:
    # default=str: a TOML date in the config as written must not lose a finished run.
    text = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    path.write_text(text + "\n", encoding="utf-8")
