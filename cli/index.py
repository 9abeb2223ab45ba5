"""``researchdesk ingest``, ``jobs`` and ``documents``: the commands that fill and list an index."""

from __future__ import annotations

from contextlib import nullcontext
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from cli.base import EXIT_FILES_FAILED, DataDir, IndexName, JsonFlag, err, out
from cli.base import guarded as _guarded
from cli.base import require_index as _require_index
from cli.base import settings_of as _settings
from cli.output import table

app = typer.Typer()  # ingest and documents are registered on the main app by ``register``
jobs_app = typer.Typer(help="Ingestion jobs: list them, or show one with its files.")


def _table(headers: list[str], rows: list[list[str]], title: str | None = None) -> None:
    table(out, headers, rows, title)


def _when(timestamp: float | None) -> str:
    if timestamp is None:
        return "-"
    return datetime.fromtimestamp(timestamp, tz=UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to ingest.")],
    include: Annotated[
        list[str] | None, typer.Option("--include", help="Glob of files to take (repeatable).")
    ] = None,
    exclude: Annotated[
        list[str] | None, typer.Option("--exclude", help="Glob of files to skip (repeatable).")
    ] = None,
    prune: Annotated[
        bool, typer.Option("--prune", help="Remove indexed documents whose file is gone.")
    ] = False,
    data_dir: DataDir = None,
    index: IndexName = None,
    workers: Annotated[int | None, typer.Option(help="Extraction processes.")] = None,
    chunk_strategy: Annotated[
        str | None, typer.Option(help="recursive, token, page or section.")
    ] = None,
    chunk_size: Annotated[int | None, typer.Option(help="Chunk size in embedder tokens.")] = None,
    chunk_overlap: Annotated[int | None, typer.Option(help="Overlap in tokens.")] = None,
    engine: Annotated[
        str | None,
        typer.Option(help="local or ray (needs researchdesk[ray]) [env RESEARCHDESK_ENGINE]."),
    ] = None,
    ray_address: Annotated[
        str | None,
        typer.Option(help="Ray cluster host:port; unset starts a local Ray [env RAY_ADDRESS]."),
    ] = None,
    follow_symlinks: Annotated[
        bool,
        typer.Option(
            "--follow-symlinks",
            help="Also index symbolic links that lead outside the given folders "
            "(refused and reported as failed by default).",
        ),
    ] = False,
    json_out: JsonFlag = False,
) -> None:
    """Ingest research files into the index: new and changed files are (re)indexed,
    unchanged ones skipped, failures reported per file, and pages that could not be read
    as text (scans) warned about. Exit 1 if any file failed."""
    from ingest.pipeline import Progress as JobProgress
    from ingest.pipeline import run_ingest

    settings = _settings(
        data_dir=data_dir,
        index=index,
        workers=workers,
        chunk_strategy=chunk_strategy,
        chunk_size=chunk_size,
        chunk_overlap=chunk_overlap,
        engine=engine,
        ray_address=ray_address,
    )
    interactive = err.is_terminal and not json_out
    bar = Progress(
        TextColumn("[bold]ingest"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=err,
        transient=True,
    )
    task = bar.add_task("", total=None)

    def on_progress(event: JobProgress) -> None:
        if interactive:
            bar.update(
                task,
                completed=event.done,
                total=event.total,
                description=f"{_pace(event)} {Path(event.path).name if event.path else ''}",
            )
        elif event.path:
            err.print(
                f"ingest: [{event.done}/{event.total}] {event.status} {event.path} {_pace(event)}",
                highlight=False,
                markup=False,
            )

    def run() -> Any:
        with bar if interactive else nullcontext():
            return run_ingest(
                paths,
                settings,
                include=include or (),
                exclude=exclude or (),
                prune=prune,
                progress=on_progress,
                follow_symlinks=follow_symlinks,
            )

    report = _guarded(run)
    if json_out:
        out.print_json(data=report.to_json())
    else:
        summary = report.to_json()
        out.print(
            f"job {report.job_id}: {summary['added']} added, {summary['updated']} updated, "
            f"{summary['unchanged']} unchanged, {summary['deleted']} deleted, "
            f"{len(summary['failed'])} failed; {report.chunks} chunks written "
            f"in {summary['seconds']:.1f}s",
            highlight=False,
        )
        if report.recovered:
            out.print(
                f"repaired {len(report.recovered)} document(s) left half-done by a killed job",
                highlight=False,
            )
        for warned in report.warned:
            err.print(f"[yellow]warning[/] {warned.path}: {warned.reason}", highlight=False)
        for failure in report.failed:
            err.print(f"[red]failed[/] {failure.path}: {failure.reason}", highlight=False)
    if report.failed:
        raise typer.Exit(EXIT_FILES_FAILED)


def _pace(event: Any) -> str:
    """'12.3 chunks/s, ETA 4m05s' once known, for the progress bar and log lines."""
    parts = []
    if event.chunks_per_s is not None:
        parts.append(f"{event.chunks_per_s:.1f} chunks/s")
    if event.eta_s is not None:
        parts.append(f"ETA {int(event.eta_s) // 60}m{int(event.eta_s) % 60:02d}s")
    return ", ".join(parts)


@jobs_app.callback(invoke_without_command=True)
def jobs_list(
    ctx: typer.Context,
    data_dir: DataDir = None,
    json_out: JsonFlag = False,
    limit: Annotated[int, typer.Option(min=1, max=10000, help="How many, newest first.")] = 50,
) -> None:
    """List ingestion jobs, newest first."""
    if ctx.invoked_subcommand is not None:
        return
    from ingest.db import connect
    from ingest.jobs import JobLog

    settings = _settings(data_dir=data_dir)
    records = _guarded(lambda: JobLog(connect(settings.resolved_database_url)).recent(limit))
    if json_out:
        out.print_json(
            data=[
                {
                    "id": r.id,
                    "index": r.index_name,
                    "status": r.status,
                    "started_at": r.started_at,
                    "ended_at": r.ended_at,
                    "paths": r.paths,
                    **r.counts,
                }
                for r in records
            ]
        )
        return
    kinds = ("added", "updated", "unchanged", "deleted", "failed", "warned", "chunks")
    _table(
        ["job", "index", "status", "started", *kinds],
        [
            [r.id, r.index_name, r.status, _when(r.started_at)]
            + [str(r.counts.get(k, 0)) for k in kinds]
            for r in records
        ],
    )


@jobs_app.command("show")
def jobs_show(
    job_id: Annotated[str, typer.Argument(help="A job id from `researchdesk jobs`.")],
    data_dir: DataDir = None,
    json_out: JsonFlag = False,
) -> None:
    """Show one job: its settings, counts, progress and every file's outcome."""
    import time
    from dataclasses import asdict

    from ingest.db import connect
    from ingest.jobs import JobLog, job_progress

    settings = _settings(data_dir=data_dir)
    record, files = _guarded(lambda: JobLog(connect(settings.resolved_database_url)).get(job_id))
    pace = job_progress(record.counts, record.started_at, record.ended_at or time.time())
    if json_out:
        out.print_json(
            data={
                "id": record.id,
                "index": record.index_name,
                "status": record.status,
                "paths": record.paths,
                "settings": record.settings,
                "started_at": record.started_at,
                "ended_at": record.ended_at,
                "counts": record.counts,
                "progress": asdict(pace),
                "error": record.error,
                "files": [
                    {
                        "path": f.path,
                        "status": f.status,
                        "document_id": f.document_id,
                        "reason": f.reason,
                        "chunks": f.chunks,
                    }
                    for f in files
                ],
            }
        )
        return
    out.print(f"job {record.id} on index {record.index_name}: {record.status}", highlight=False)
    out.print(f"started {_when(record.started_at)}, ended {_when(record.ended_at)}")
    line = f"files {pace.done}/{pace.total}, {pace.chunks} chunks {_pace(pace)}"
    out.print(line, highlight=False)
    if record.error:
        out.print(f"error: {record.error}", highlight=False)
    _table(
        ["status", "file", "chunks", "reason"],
        [
            [f.status, f.path, "" if f.chunks is None else str(f.chunks), f.reason or ""]
            for f in files
        ],
    )


@app.command()
def documents(
    data_dir: DataDir = None, index: IndexName = None, json_out: JsonFlag = False
) -> None:
    """List the documents in the index."""
    from ingest.catalog import Catalog
    from ingest.db import connect

    settings = _settings(data_dir=data_dir, index=index)
    where = _require_index(settings)
    entries = _guarded(
        lambda: Catalog(connect(settings.resolved_database_url), settings.index).all()
    )
    if json_out:
        out.print_json(
            data=[
                {
                    "id": e.id,
                    "source": e.source,
                    "title": e.title,
                    "pages": e.pages,
                    "chunks": e.chunks,
                    "format": e.format,
                    "allowed_groups": list(e.allowed_groups),
                    "unread_pages": list(e.unread_pages),
                }
                for e in entries
            ]
        )
        return
    headers = ["title", "file", "format", "pages", "unread", "chunks", "groups"]
    rows = [
        [
            e.title,
            Path(e.source).name,
            e.format,
            "" if e.pages is None else str(e.pages),
            str(len(e.unread_pages)) if e.unread_pages else "",
            str(e.chunks),
            ",".join(e.allowed_groups) or "all",
        ]
        for e in entries
    ]
    summary = f"{len(entries)} documents in index {settings.index!r} at {where}"
    if out.is_terminal:
        _table(headers, rows, title=summary)
    else:
        err.print(summary, highlight=False, markup=False)
        _table(headers, rows)
    if not entries:
        err.print(
            "The index is empty; fill it with: researchdesk ingest PATH [--include GLOB]",
            highlight=False,
            markup=False,
        )


def register(main: typer.Typer) -> None:
    """Add ``ingest``, ``documents`` and the ``jobs`` group to the main ``researchdesk`` app."""
    for command in app.registered_commands:
        main.registered_commands.append(command)
    main.add_typer(jobs_app, name="jobs")
