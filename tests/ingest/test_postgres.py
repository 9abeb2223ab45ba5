"""The same ingestion job with its catalogue in PostgreSQL instead of SQLite.

The test starts a throwaway PostgreSQL cluster on a loopback port (``.ci/run`` installs
the server from Debian's packages when it is missing) and stops it afterwards.
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.errors import ConfigError
from ingest.db import connect
from ingest.index import index_lock
from ingest.jobs import JobLog
from ingest.pipeline import run_ingest
from tests.ingest.helpers import index_state, settings, write_corpus

pytestmark = [pytest.mark.slow, pytest.mark.integration]


def _pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if not initdb or not pg_ctl:
        pytest.skip("PostgreSQL server binaries not installed (.ci/run installs them)")
    pytest.importorskip("psycopg", reason="pip install 'psycopg[binary]'")
    # Not under pytest's temp root: that is private to root, and the server runs as postgres.
    root = Path(tempfile.mkdtemp(prefix="researchdesk-pg-"))
    data = root / "data"
    # PostgreSQL refuses to run as root; CI runs as root, so run it as 'postgres'.
    prefix: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        prefix = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    subprocess.run(
        [*prefix, initdb, "-D", str(data), "-A", "trust", "-U", "postgres"],
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1"
    subprocess.run(
        [*prefix, pg_ctl, "-D", str(data), "-o", options, "-w", "-l", str(root / "log"), "start"],
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*prefix, pg_ctl, "-D", str(data), "-m", "immediate", "stop"], capture_output=True
        )


def test_ingest_with_a_postgres_catalogue(
    tmp_path: Path, data_dir: Path, postgres_url: str
) -> None:
    write_corpus(tmp_path / "c", files=2)
    config = settings(data_dir, database_url=postgres_url)
    report = run_ingest([tmp_path / "c"], config)
    assert report.count("added") == 2
    again = run_ingest([tmp_path / "c"], config)
    assert again.count("unchanged") == 2
    assert len(index_state(config)) == 2
    assert not (data_dir / "researchdesk.sqlite3").exists()  # nothing went to SQLite
    jobs = JobLog(connect(postgres_url)).recent()
    assert [j.status for j in jobs][:2] == ["succeeded", "succeeded"]


def test_advisory_lock_keeps_a_job_on_another_host_off_the_index(
    tmp_path: Path, postgres_url: str
) -> None:
    """Two data directories (two hosts) sharing one PostgreSQL catalogue: one job at a time."""
    host_a = settings(tmp_path / "host_a", database_url=postgres_url)
    host_b = settings(tmp_path / "host_b", database_url=postgres_url)
    other_index = settings(tmp_path / "host_b", database_url=postgres_url, index="other")
    write_corpus(tmp_path / "c", files=1)
    with index_lock(host_a):
        # The file lock cannot see host A's job (another data dir); the database lock does.
        with pytest.raises(ConfigError, match="advisory lock"):
            run_ingest([tmp_path / "c"], host_b)
        with index_lock(other_index):  # another index is not blocked
            pass
    # Released with the job: host B can now run.
    assert run_ingest([tmp_path / "c"], host_b).count("added") == 1


def test_advisory_lock_is_released_when_the_holding_process_dies(
    tmp_path: Path, postgres_url: str
) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from core.settings import Settings\n"
            "from ingest.index import index_lock\n"
            f"s = Settings(data_dir={str(tmp_path / 'a')!r}, database_url={postgres_url!r})\n"
            "with index_lock(s):\n"
            "    print('locked', flush=True)\n"
            "    time.sleep(600)\n",
        ],
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    other = settings(tmp_path / "b", database_url=postgres_url)
    with pytest.raises(ConfigError, match="advisory lock"), index_lock(other):
        pass
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=30)
    deadline = time.monotonic() + 30
    while True:  # the server notices the dead connection and frees its locks
        try:
            with index_lock(other):
                break
        except ConfigError:
            assert time.monotonic() < deadline, "the lock outlived its holder"
            time.sleep(0.2)
