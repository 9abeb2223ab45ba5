"""Kill a real ingest process mid-job (SIGKILL) and check the next run repairs everything."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ingest.db import connect
from ingest.jobs import JobLog
from ingest.pipeline import run_ingest
from tests.ingest.helpers import index_state, settings, write_corpus

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.integration
@pytest.mark.parametrize("kill_after_files", [1, 3])
def test_sigkill_mid_job_then_rerun_leaves_a_consistent_index(
    tmp_path: Path, data_dir: Path, kill_after_files: int
) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus, files=8, paragraphs=24)
    # One embedding call per document, so the job is killed between documents as meant.
    env = {**os.environ, "RESEARCHDESK_DATA_DIR": str(data_dir), "PYTHONPATH": str(REPO)}
    env["RESEARCHDESK_EMBED_GROUP"] = "1"
    cmd = [
        sys.executable,
        "-m",
        "cli",
        "ingest",
        str(corpus),
        "--workers",
        "1",
        "--chunk-size",
        "64",
        "--chunk-overlap",
        "8",
    ]
    proc = subprocess.Popen(cmd, env=env, cwd=tmp_path, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    seen = 0
    deadline = time.monotonic() + 300
    for line in proc.stderr:
        if " added " in line:
            seen += 1
            if seen == kill_after_files:
                time.sleep(0.3)  # land inside the next document's embedding or upsert
                proc.send_signal(signal.SIGKILL)
                break
        assert time.monotonic() < deadline, "ingest produced no progress"
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "the job finished before it could be killed"

    config = settings(data_dir)
    report = run_ingest([corpus], config)
    assert report.count("failed") == 0
    assert report.count("added") + report.count("unchanged") == 8
    assert report.count("unchanged") >= kill_after_files
    assert len(index_state(config)) == 8
    statuses = [job.status for job in JobLog(connect(config.resolved_database_url)).recent()]
    assert statuses == ["succeeded", "interrupted"]
