"""Extraction workers never outlive the ingesting process (issue 12, finding 8)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ingest.extract import descendants
from tests.ingest.helpers import still_running, write_corpus

REPO = Path(__file__).resolve().parents[2]


def _wait_for_children(proc: subprocess.Popen[str], count: int, timeout: float) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        kids = descendants(proc.pid)
        if len(kids) >= count:
            return kids
        time.sleep(0.2)
    raise AssertionError(f"the parent did not start {count} worker processes")


def test_pool_workers_exit_when_their_parent_is_sigkilled(tmp_path: Path) -> None:
    script = tmp_path / "parent.py"
    script.write_text(
        "import multiprocessing, os, time\n"
        "from concurrent.futures import ProcessPoolExecutor\n"
        "from ingest.extract import die_with_parent\n"
        "if __name__ == '__main__':\n"
        "    pool = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context('spawn'),\n"
        "                               initializer=die_with_parent, initargs=(os.getpid(),))\n"
        "    list(pool.map(abs, range(8)))\n"
        "    print('ready', flush=True)\n"
        "    time.sleep(600)\n",
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, str(script)], env=env, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    workers = _wait_for_children(proc, 2, 30)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert still_running(workers, within=10) == [], "workers outlived their killed parent"


@pytest.mark.slow
@pytest.mark.integration
def test_cli_ingest_sigkilled_leaves_no_extraction_workers(tmp_path: Path, data_dir: Path) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus, files=8, paragraphs=24)
    # One embedding call per document, so the job is killed between documents as meant.
    env = {**os.environ, "RESEARCHDESK_DATA_DIR": str(data_dir), "PYTHONPATH": str(REPO)}
    env["RESEARCHDESK_EMBED_GROUP"] = "1"
    cmd = [sys.executable, "-m", "cli", "ingest", str(corpus), "--workers", "2"]
    cmd += ["--chunk-size", "64", "--chunk-overlap", "8"]
    proc = subprocess.Popen(cmd, env=env, cwd=tmp_path, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    for line in proc.stderr:
        if " added " in line:
            break
    workers = descendants(proc.pid)
    assert len(workers) >= 2, "the extraction pool was not running"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert still_running(workers, within=10) == [], "extraction workers outlived the killed CLI"


def test_the_note_lists_runs_of_pages_and_stops_at_a_limit() -> None:
    from ingest.extract import MAX_RUNS_SHOWN, unread_note

    assert unread_note([], 10) is None
    assert unread_note([7], 10) == (
        "1 of 10 pages could not be read as text (images without a text layer, as scanned, "
        "or unparseable): 7; it is not searchable (OCR is not configured)"
    )
    assert (unread_note([9, 2, 3, 4], None) or "").startswith(
        "4 pages could not be read as text (images without a text layer, as scanned, or "
        "unparseable): 2-4, 9; they are"
    )
    many = unread_note(list(range(1, 1000, 2)), 1000) or ""
    assert many.startswith("500 of 1000 pages could not be read")
    listed = many.split(": ", 1)[1].split(";", 1)[0]
    assert listed.count(", ") == MAX_RUNS_SHOWN and listed.endswith(", ...")
