"""Load and chunk files, in worker processes that never outlive the job's process.

``prepare`` turns one file into its chunks and never raises for a bad file (it returns
``Failed`` with the reason). ``prepared_stream`` runs it in a pool of spawned processes for
the local engine; ``ingest.ray_engine`` runs the same function as Ray tasks.

Worker processes exit when their parent dies, even by SIGKILL (which runs no cleanup): on
Linux the kernel sends them SIGKILL (``PR_SET_PDEATHSIG``), and everywhere a watchdog
thread notices the parent pid change and exits. Without this, ``kill -9`` of the CLI or
the service left idle workers holding ~550 MB each until killed by hand.
"""

from __future__ import annotations

import ctypes
import dataclasses
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from core.errors import ResearchDeskError
from ingest.chunking import ChunkingConfig, chunk_document
from ingest.embedding import load_tokenizer
from ingest.loaders import load_document
from ingest.models import Chunk, DocumentMeta, LoadedDocument
from ingest.profile import DocumentProfile, profile_document
from ingest.statements import statement_pages, with_column_headers

PR_SET_PDEATHSIG = 1
WATCHDOG_INTERVAL_S = 1.0
MAX_RUNS_SHOWN = 20  # runs of unread pages a file's note lists before "..."


@dataclass(frozen=True, slots=True)
class Prepared:
    """One file loaded and chunked, ready to embed."""

    meta: DocumentMeta
    chunks: list[Chunk]
    seconds: float
    profile: DocumentProfile | None = None  # what the document reports (ingest.profile)
    # Pages (1-based) whose content could not be read as text (``LoadedDocument``): they
    # are not searchable, and the job says so for the file (``unread_note``).
    unread_pages: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Failed:
    """A file that could not be prepared, and why (shown to the user per file)."""

    reason: str


def prepare(
    path: str, max_bytes: int, config: ChunkingConfig, model: str, pdf_tables: bool = False
) -> Prepared | Failed:
    """Load and chunk one file (runs in a worker process); never raises for a bad file."""
    started = time.perf_counter()
    try:
        document = load_document(Path(path), max_bytes=max_bytes, pdf_tables=pdf_tables)
        chunks = chunk_document(document, config, load_tokenizer(model))
    except ResearchDeskError as exc:
        return Failed(str(exc))
    except Exception as exc:  # one bad file must never stop the job
        return Failed(f"{type(exc).__name__}: {exc}")
    if not chunks:
        return Failed("no text to index after chunking")
    texts = _page_texts(document)
    profile = profile_of(document, texts)
    statements = {page: texts[page] for page, _ in profile.statement_pages if page in texts}
    chunks = with_column_headers(chunks, statements)
    seconds = time.perf_counter() - started
    return Prepared(document.meta, chunks, seconds, profile, document.unread_pages)


def unread_note(pages: Sequence[int], total: int | None) -> str | None:
    """What a job reports for a file with ``pages`` it could not read; None when none.

    "3 of 40 pages could not be read as text (images without a text layer, as scanned, or
    unparseable): 3-4, 9; they are not searchable (OCR is not configured)"
    """
    if not pages:
        return None
    runs: list[list[int]] = []
    for page in sorted(pages):
        if runs and page == runs[-1][-1] + 1:
            runs[-1].append(page)
        else:
            runs.append([page])
    shown = [f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs]
    listed = ", ".join(shown[:MAX_RUNS_SHOWN]) + (", ..." if len(shown) > MAX_RUNS_SHOWN else "")
    count = f"{len(pages)} of {total}" if total else str(len(pages))
    one = len(pages) == 1
    noun = "page" if one and not total else "pages"  # "1 page", "1 of 10 pages"
    return (
        f"{count} {noun} could not be read as text (images without a text layer, as "
        f"scanned, or unparseable): {listed}; {'it is' if one else 'they are'} not "
        "searchable (OCR is not configured)"
    )


def profile_of(document: LoadedDocument, texts: Mapping[int, str]) -> DocumentProfile:
    """The catalogue profile (issuer, type, period, statement pages) read from a loaded
    document's page texts (``_page_texts``)."""
    profile = profile_document(list(texts.values()), document.meta.title, document.meta.extra)
    # Only real pages (PDF) can be tagged: a chunk of a page-less format has no page range.
    has_pages = any(element.page is not None for element in document.elements)
    tagged = statement_pages(texts) if has_pages else {}
    return dataclasses.replace(profile, statement_pages=tuple(tagged.items()))


def _page_texts(document: LoadedDocument) -> dict[int, str]:
    """Each page's text in reading order (elements without a page count as page 1)."""
    pages: dict[int, list[str]] = {}
    for element in document.elements:
        pages.setdefault(element.page or 1, []).append(element.text)
    return {n: "\n".join(pages[n]) for n in sorted(pages)}


def die_with_parent(parent_pid: int) -> None:
    """Make this (worker) process exit as soon as ``parent_pid`` is gone.

    Runs as the pool initializer. ``PR_SET_PDEATHSIG`` fires when the thread that spawned
    us exits, which in a pool may be earlier than the process; the pool is closed before
    that thread ends, so that is harmless. The watchdog covers other platforms and the
    race where the parent died before the signal was armed.
    """
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # no prctl: the watchdog alone does the job
            pass
    if os.getppid() != parent_pid:
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(WATCHDOG_INTERVAL_S)
            if os.getppid() != parent_pid:
                os._exit(1)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (Linux /proc; empty elsewhere)."""
    found: list[int] = []
    todo = [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                kids = [int(k) for k in (task / "children").read_text().split()]
            except (OSError, ValueError):
                continue
            found += kids
            todo += kids
    return found


def prepared_stream(
    paths: Sequence[str],
    max_bytes: int,
    config: ChunkingConfig,
    model: str,
    workers: int,
    pdf_tables: bool = False,
) -> Iterator[tuple[str, Prepared | Failed]]:
    """Load and chunk files in worker processes, yielding each as soon as it is ready.

    Extraction overlaps with embedding in the main process; at most two files per worker
    are in flight so memory stays bounded on large jobs.
    """
    if workers <= 1 or len(paths) <= 1:
        for path in paths:
            yield path, prepare(path, max_bytes, config, model, pdf_tables)
        return
    # spawn, not fork: the parent may already hold torch's threads.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=die_with_parent,
        initargs=(os.getpid(),),
    ) as pool:
        todo = iter(paths)
        queue: list[tuple[str, Future[Prepared | Failed]]] = []

        def submit_next() -> None:
            path = next(todo, None)
            if path is not None:
                future = pool.submit(prepare, path, max_bytes, config, model, pdf_tables)
                queue.append((path, future))

        for _ in range(2 * workers):
            submit_next()
        while queue:
            path, future = queue.pop(0)
            try:
                result = future.result()
            except Exception as exc:  # a worker died (e.g. out of memory on one file)
                result = Failed(f"extraction process failed: {type(exc).__name__}: {exc}")
            submit_next()
            yield path, result
