"""``researchdesk eval`` and ``researchdesk experiment run|compare``: the experiments' edge.

Exit codes as the rest of the CLI: 0 done; 2 bad usage (including a malformed experiment
config, question set or run directory given on the command line); 3 the run could not
happen (index, store, model or database error; the message says what to do).
"""

from __future__ import annotations

import dataclasses
import enum
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from cli.base import EXIT_USAGE, err, fail, out
from cli.base import guarded as _guarded_base
from cli.base import settings_of as _settings

if TYPE_CHECKING:
    from core.settings import Settings
    from experiments.runner import RunEvent, RunResult

T = TypeVar("T")
DEFAULT_RUNS = Path("experiments/runs")
SUMMARY_COLUMNS = (
    "hit@10",
    "mrr@10",
    "doc_hit@5",
    "behaviour_accuracy",
    "answer_numeric",
    "answer_judge",
)


class Half(enum.StrEnum):
    train = "train"
    test = "test"


experiment_app = typer.Typer(
    help="Experiments: run a ladder of pipeline configs, compare two runs.",
    no_args_is_help=True,
)

CacheDir = Annotated[
    Path | None,
    typer.Option(
        "--cache-dir",
        help="Where built indexes are kept and reused "
        "[default: RESEARCHDESK_DATA_DIR/experiments].",
    ),
]


def register(app: typer.Typer) -> None:
    """Add ``eval`` and the ``experiment`` sub-app to the main ``researchdesk`` app."""
    app.command("eval")(eval_command)
    app.add_typer(experiment_app, name="experiment")


def eval_command(
    questions: Annotated[Path, typer.Option("--questions", help="Labelled questions (JSONL).")],
    corpus: Annotated[Path, typer.Option("--corpus", help="Folder of documents to search.")],
    out_dir: Annotated[Path, typer.Option("--out", help="Run directory to write.")],
    config: Annotated[
        Path | None, typer.Option("--config", help="Pipeline config (TOML, [pipeline] table).")
    ] = None,
    data_dir: Annotated[
        Path | None,
        typer.Option("--data-dir", help="Use this existing index as it is instead of building."),
    ] = None,
    exclude: Annotated[
        list[str] | None, typer.Option("--exclude", help="Glob of corpus files to skip.")
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="Only the first N questions.")
    ] = None,
    cache_dir: CacheDir = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print summary.json.")] = False,
) -> None:
    """Evaluate one pipeline on labelled questions (builds the index if needed).

    Writes a run record to --out and prints the summary.
    """
    from assistant.config import PipelineConfig
    from experiments.config import parse_config

    pipeline = _usage(lambda: PipelineConfig.from_toml(config)) if config else PipelineConfig()
    settings = _settings()
    skip = list(exclude or [])
    inside = _relative(questions, corpus)
    if inside is not None:
        skip.append(inside)  # never index the question set kept beside the documents
    build: dict[str, Any] = {
        "chunk_strategy": settings.chunk_strategy,
        "chunk_size": settings.chunk_size,
        "chunk_overlap": settings.chunk_overlap,
        "contextual_header": settings.contextual_header,
        "pdf_tables": settings.pdf_tables,
        "embedding_model": settings.embedding_model,
        "exclude": skip,
    }
    if data_dir is not None:
        build["data_dir"] = str(data_dir)
    data = {
        "name": "eval",
        "corpus": str(corpus),
        "questions": str(questions),
        "build": build,
        "limit": limit,
        "rungs": [{"name": "eval", **pipeline.model_dump(exclude_unset=True)}],
    }
    experiment = _usage(lambda: parse_config(data, base_dir=Path.cwd()))
    result = _run(experiment, out_dir, settings, cache_dir)
    _print_summary(result, json_out)


@experiment_app.command("run")
def run_command(
    config: Annotated[Path, typer.Argument(help="Experiment config (TOML).")],
    out_dir: Annotated[
        Path | None,
        typer.Option("--out", help="Run directory [default: experiments/runs/<run-id>]."),
    ] = None,
    cache_dir: CacheDir = None,
    half: Annotated[
        Half | None,
        typer.Option(
            "--half", help="Only this half of the config's split [default: the config's half]."
        ),
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print summary.json.")] = False,
) -> None:
    """Run every rung of an experiment config over its questions and write the run record."""
    from experiments.config import load_config
    from experiments.runner import default_run_id

    experiment = _usage(lambda: load_config(config))
    if half is not None:
        if experiment.split is None:
            fail(f"--half {half.value} needs a split in {config}", EXIT_USAGE)
        experiment = dataclasses.replace(experiment, half=half.value)
    target = out_dir or DEFAULT_RUNS / default_run_id(experiment.name)
    result = _run(experiment, target, _settings(), cache_dir)
    _print_summary(result, json_out)


@experiment_app.command("compare")
def compare_command(
    run_a: Annotated[Path, typer.Argument(help="The baseline run directory.")],
    run_b: Annotated[Path, typer.Argument(help="The run compared with it.")],
    rung_a: Annotated[
        str | None, typer.Option("--rung-a", help="Rung of RUN_A [default: same names].")
    ] = None,
    rung_b: Annotated[str | None, typer.Option("--rung-b", help="Rung of RUN_B.")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Per-metric deltas of RUN_B over RUN_A with 95% CIs, and the questions that flipped."""
    from experiments.report import compare, render_comparison

    comparison = _usage(lambda: compare(run_a, run_b, rung_a, rung_b))
    if json_out:
        out.print(json.dumps(comparison, ensure_ascii=False), highlight=False, markup=False)
    else:
        out.print(render_comparison(comparison), highlight=False, markup=False)


def _run(experiment: Any, out_dir: Path, settings: Settings, cache_dir: Path | None) -> RunResult:
    from experiments.runner import run_experiment

    cache = cache_dir or settings.data_dir / "experiments"
    with _progress() as notify:
        return _guarded(
            lambda: run_experiment(
                experiment, out_dir, base=settings, cache_dir=cache, progress=notify
            )
        )


@contextmanager
def _progress() -> Iterator[Callable[[RunEvent], None]]:
    """A rich bar on a terminal; one line per finished stage otherwise (logs, CI)."""
    if not err.is_terminal:
        printed: set[tuple[str, int]] = set()

        def log(event: RunEvent) -> None:
            finished = event.done == event.total or event.stage == "rung"
            if finished and (event.label, event.done) not in printed:
                printed.add((event.label, event.done))
                err.print(f"{event.label}: {event.done}/{event.total}", highlight=False)

        yield log
        return
    bar = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )
    task = bar.add_task("starting", total=None)
    with bar:
        yield lambda e: bar.update(task, description=e.label, completed=e.done, total=e.total)


def _print_summary(result: RunResult, json_out: bool) -> None:
    summary = result.summary
    if json_out:
        out.print(json.dumps(summary, ensure_ascii=False), highlight=False, markup=False)
        return
    title = f"{summary['name']}: {summary['questions']} questions (change over previous rung)"
    table = Table("rung", *SUMMARY_COLUMNS, title=title)
    for rung in summary["rungs"]:
        if rung["skipped"]:
            table.add_row(rung["name"], "skipped", *[""] * (len(SUMMARY_COLUMNS) - 1))
            continue
        cells = []
        for metric in SUMMARY_COLUMNS:
            value = rung["metrics"].get(metric)
            d = (rung.get("delta") or {}).get(metric)
            text = "-" if value is None else f"{value:.3f}"
            cells.append(text if d is None else f"{text} ({d['delta']:+.3f})")
        table.add_row(rung["name"], *cells)
    out.print(table)
    for rung in summary["rungs"]:
        if rung["skipped"]:
            out.print(f"{rung['name']}: {rung['note']}", highlight=False)
    if "judge" in summary:
        out.print(f"LLM judge: {summary['judge']['status']}", highlight=False)
    grid = summary.get("chunking")
    if grid:
        sizes = sorted({c["size"] for c in grid["cells"]})
        table = Table("strategy", *map(str, sizes), title=f"chunking: {grid['metric']}")
        for strategy in dict.fromkeys(c["strategy"] for c in grid["cells"]):
            by_size = {
                c["size"]: c["metrics"].get(grid["metric"])
                for c in grid["cells"]
                if c["strategy"] == strategy
            }
            table.add_row(
                strategy, *("-" if by_size.get(s) is None else f"{by_size[s]:.3f}" for s in sizes)
            )
        out.print(table)
    out.print(f"report: {result.run_dir / 'report.md'}", highlight=False)


def _relative(path: Path, folder: Path) -> str | None:
    try:
        return path.resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        return None


def _usage(action: Callable[[], T]) -> T:
    """Errors in what the user pointed us at (config, questions, runs) are usage errors."""
    return _guarded_base(action, EXIT_USAGE)


def _guarded(action: Callable[[], T]) -> T:
    from experiments.config import ExperimentConfigError
    from experiments.datasets import DatasetError

    return _guarded_base(action, usage=(ExperimentConfigError, DatasetError))
