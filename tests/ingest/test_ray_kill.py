"""Kill the driver of a Ray ingest job (SIGKILL) and check the next job repairs the index."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ingest.db import connect
from ingest.extract import descendants
from ingest.jobs import JobLog
from ingest.pipeline import run_ingest
from tests.ingest.helpers import index_state, settings, still_running, write_corpus

pytest.importorskip("ray", reason="pip install 'researchdesk[ray]'")

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.integration
def test_sigkill_of_the_ray_driver_is_recovered_by_the_next_job(
    tmp_path: Path, data_dir: Path
) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus, files=6, paragraphs=24)
    env = {**os.environ, "RESEARCHDESK_DATA_DIR": str(data_dir), "PYTHONPATH": str(REPO)}
    env.pop("RAY_ADDRESS", None)
    cmd = [sys.executable, "-m", "cli", "ingest", str(corpus), "--engine", "ray"]
    cmd += ["--chunk-size", "64", "--chunk-overlap", "8"]
    proc = subprocess.Popen(cmd, env=env, cwd=tmp_path, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    deadline = time.monotonic() + 400
    for line in proc.stderr:
        if " added " in line:
            time.sleep(0.3)  # land inside the next document's embedding or upsert
            break
        assert time.monotonic() < deadline, "ingest produced no progress"
    ray_processes = descendants(proc.pid)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "the job finished before it could be killed"

    config = settings(data_dir)
    report = run_ingest([corpus], config)  # the next job, on the local engine
    assert report.count("failed") == 0
    assert report.count("added") + report.count("unchanged") == 6
    assert report.count("unchanged") >= 1
    assert len(index_state(config)) == 6
    statuses = [job.status for job in JobLog(connect(config.resolved_database_url)).recent()]
    assert statuses == ["succeeded", "interrupted"]

    # The local Ray the killed driver started goes with it (no orphaned cluster).
    assert still_running(ray_processes, within=60) == []
