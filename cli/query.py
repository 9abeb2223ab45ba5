"""``researchdesk search``, ``ask`` and ``calibrate``: the commands that query an index.

``ask`` takes the governed turn (``assistant.turn``), the same path as the HTTP service:
personal data is masked before the question reaches the pipeline or the audit trail, the
input guardrails refuse instructions aimed at the assistant, requests to act are
escalated to the approval queue (never executed), advice for a client carries the firm's
disclaimer, and every question is recorded in the index's audit trail (kind ``cli.ask``).
"""

from __future__ import annotations

import getpass
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from assistant.answer import ANSWERED
from cli.base import DataDir, IndexName, JsonFlag, out
from cli.base import fail as _fail
from cli.base import guarded as _guarded
from cli.base import require_index as _require_index
from cli.base import settings_of as _settings
from cli.output import cited

if TYPE_CHECKING:
    from assistant.keys import Principal
    from assistant.turn import Governed

CLI_PRINCIPAL = "cli"  # the audit's principal id for questions asked on the command line

app = typer.Typer()  # the commands are registered on the main app by ``register``


def _pipeline_config(path: Path | None) -> Any:
    from assistant.config import PipelineConfig

    if path is None:
        return PipelineConfig()
    return _guarded(lambda: PipelineConfig.from_toml(path))


def _groups(value: str | None) -> tuple[str, ...]:
    return tuple(g.strip() for g in value.split(",") if g.strip()) if value else ()


def _read_batch(path: Path) -> list[tuple[str | None, str]]:
    """(id, question) per line of a JSONL file; a bad line stops with its line number."""
    items: list[tuple[str | None, str]] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        _fail(f"cannot read {path}: {exc}")
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            _fail(f"{path} line {number}: not JSON ({exc.msg})")
        if not isinstance(item, dict) or not isinstance(item.get("question"), str):
            _fail(f"{path} line {number}: expected an object with a string 'question'")
        if not item["question"].strip():
            _fail(f"{path} line {number}: empty question")
        raw_id = item.get("id")
        items.append((None if raw_id is None else str(raw_id), item["question"]))
    if not items:
        _fail(f"{path} holds no questions")
    return items


@app.command()
def search(
    query: Annotated[str | None, typer.Argument(help="The question or keywords.")] = None,
    k: Annotated[int, typer.Option("--k", min=1, max=200, help="How many passages.")] = 10,
    batch: Annotated[
        Path | None,
        typer.Option("--batch", help="JSONL file of {'id', 'question'}: one result per line."),
    ] = None,
    config: Annotated[Path | None, typer.Option("--config", help="Pipeline config (TOML).")] = None,
    groups: Annotated[
        str | None,
        typer.Option("--groups", help="Comma-separated groups you belong to (entitlements)."),
    ] = None,
    data_dir: DataDir = None,
    index: IndexName = None,
    json_out: JsonFlag = False,
) -> None:
    """Search the index: ranked passages with document, pages (1-based) and score."""
    from retrieval.pipeline import Searcher

    if (query is None) == (batch is None):
        _fail("give either a QUERY or --batch FILE", code=2)
    if query is not None and not query.strip():
        _fail("the query is empty", code=2)
    settings = _settings(data_dir=data_dir, index=index)
    search_config = _pipeline_config(config)
    items = _read_batch(batch) if batch is not None else [(None, query or "")]
    _require_index(settings)
    searcher = _guarded(lambda: Searcher.from_settings(settings, search_config))
    try:
        for item_id, question in items:
            result = _guarded(
                lambda q=question: searcher.search(q, groups=_groups(groups), k=k)  # type: ignore[misc]
            )
            data = result.to_json()
            if item_id is not None:
                data = {"id": item_id, **data}
            if json_out:
                out.print(json.dumps(data, ensure_ascii=False), highlight=False, soft_wrap=True)
                continue
            out.print(f"[bold]{question}[/]", highlight=False)
            for row in data["results"]:
                pages = (
                    f"p. {row['page_start']}"
                    if row["page_start"] == row["page_end"]
                    else f"pp. {row['page_start']}-{row['page_end']}"
                )
                label = f"{row['title']} ({pages})"
                if row["page_start"] is None:
                    label = cited(row["title"], None, row["section"])
                snippet = " ".join(row["text"].split())[:160]
                out.print(
                    f"{row['rank']:>2}. {row['score']:.4f}  {label}\n    {snippet}",
                    highlight=False,
                    markup=False,
                )
    finally:
        searcher.close()


@app.command(
    help="Ask a question: a cited answer quoted from the library, a refusal, or an escalation."
    "\n\nThe same governance as the HTTP service applies: personal data (account, card and "
    "phone numbers, e-mail addresses, ...) is masked before the question is searched or "
    "recorded; a message that reads as an instruction to the assistant is refused "
    "(outcome 'blocked'); off-topic questions are declined; requests to trade, move money "
    "or contact clients are escalated to the approval queue, never executed; advice for a "
    "client carries the firm's disclaimer. Every question is recorded, masked, in the "
    "index's audit trail (kind 'cli.ask')."
)
def ask(
    question: Annotated[str, typer.Argument(help="The question.")],
    groups: Annotated[
        str | None,
        typer.Option("--groups", help="Comma-separated groups you belong to (entitlements)."),
    ] = None,
    config: Annotated[Path | None, typer.Option("--config", help="Pipeline config (TOML).")] = None,
    data_dir: DataDir = None,
    index: IndexName = None,
    json_out: JsonFlag = False,
) -> None:
    from assistant.approvals import ApprovalQueue
    from assistant.audit import AuditLog
    from assistant.pipeline import Pipeline
    from assistant.tables import open_database
    from assistant.turn import GovernedDesk, TurnOptions
    from ingest.catalog import Catalog

    if not question.strip():
        _fail("the question is empty", code=2)
    settings = _settings(data_dir=data_dir, index=index)
    _require_index(settings)
    engine = _guarded(lambda: open_database(settings.resolved_database_url))
    desk = GovernedDesk(
        TurnOptions.from_settings(settings, kind="cli.ask"),
        AuditLog(engine),
        catalog=Catalog(engine, settings.index),
        approvals=ApprovalQueue(engine),
    )
    pipeline = _guarded(lambda: Pipeline.from_settings(settings, _pipeline_config(config)))
    try:
        governed = _guarded(lambda: desk.run(cli_principal(_groups(groups)), question, pipeline))
    finally:
        pipeline.close()
        engine.dispose()
    if json_out:
        out.print(json.dumps(governed_json(governed), ensure_ascii=False), highlight=False)
        return
    _show(governed)


def cli_principal(groups: tuple[str, ...]) -> Principal:
    """Who asks on the command line: the local user, as an advisor with ``--groups``."""
    from assistant.keys import Principal

    try:
        login = getpass.getuser()
    except (OSError, KeyError):  # no login name in this environment (a bare container)
        login = "unknown user"
    return Principal(CLI_PRINCIPAL, f"command line ({login})", ("advisor",), groups)


def governed_json(governed: Governed) -> dict[str, Any]:
    """``ask --json``: the answer object with the text shown and the governance decisions."""
    answer = governed.answer
    data: dict[str, Any]
    if answer is None:  # blocked before any answer: the answer object's keys, empty
        data = {
            "question": governed.turn.masked.text,
            "standalone_question": governed.turn.masked.text,
            "citations": [],
            "refused": True,
            "escalated": False,
            "reason": governed.record.reason,
            "closest_documents": [],
            "model": "none",
            "usage": None,
            "timings_ms": governed.record.timings_ms,
            "trace_id": governed.trace_id,
        }
    else:
        data = answer.to_json()
    data["outcome"] = governed.outcome
    data["answer"] = governed.text
    data["governance"] = governed.to_json()
    return data


def _show(governed: Governed) -> None:
    out.print(governed.text, highlight=False, markup=False)
    answer = governed.answer
    if answer is None:
        return
    for c in answer.citations:
        out.print(
            f"[{c.number}] {cited(c.title, c.page_start, c.section)} {c.source}",
            highlight=False,
            markup=False,
        )
    if answer.outcome == "not_found" or answer.reason != ANSWERED:
        # An answer with a note (a compared company the library lacks) says it too.
        out.print(f"Why: {answer.reason}", highlight=False, markup=False)
    if answer.outcome == "not_found" and answer.closest_documents:
        out.print(
            "Closest documents: " + "; ".join(answer.closest_documents),
            highlight=False,
            markup=False,
        )


@app.command()
def calibrate(
    questions: Annotated[
        Path, typer.Option("--questions", help="Labelled questions (JSONL) over this index.")
    ],
    config: Annotated[Path | None, typer.Option("--config", help="Pipeline config (TOML).")] = None,
    data_dir: DataDir = None,
    index: IndexName = None,
    json_out: JsonFlag = False,
) -> None:
    """Choose the abstention threshold on labelled questions and store it with the index."""
    from assistant.abstention import calibration_key
    from assistant.pipeline import Pipeline
    from experiments.calibration import calibrate as run_calibration
    from experiments.calibration import store
    from experiments.datasets import load_questions

    settings = _settings(data_dir=data_dir, index=index)
    labelled = _guarded(lambda: load_questions(questions))
    pipeline_config = _pipeline_config(config).model_copy(update={"abstain_threshold": 0.0})
    pipeline = _guarded(lambda: Pipeline.from_settings(settings, pipeline_config))
    try:
        result = _guarded(lambda: run_calibration(pipeline, list(labelled), str(questions)))
        assert pipeline.catalog is not None
        catalog = pipeline.catalog
        _guarded(lambda: store(catalog, calibration_key(pipeline_config), result))
    finally:
        pipeline.close()
    if json_out:
        out.print(json.dumps(result.to_json()), highlight=False)
        return
    out.print(
        f"threshold {result.threshold:.4f} on {result.signal}: balanced accuracy "
        f"{result.balanced_accuracy:.2f} (answers {result.answer_recall:.0%} of "
        f"{result.answerable} answerable, refuses {result.refuse_recall:.0%} of "
        f"{result.unanswerable} unanswerable); stored with index {settings.index!r}",
        highlight=False,
    )


def register(main: typer.Typer) -> None:
    """Add ``search``, ``ask`` and ``calibrate`` to the main ``researchdesk`` app."""
    for command in app.registered_commands:
        main.registered_commands.append(command)
