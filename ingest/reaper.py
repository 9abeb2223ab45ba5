"""Stop a local Ray instance when the process that started it dies, even by SIGKILL.

``ray.init`` starts the head processes (GCS, raylet, agents) as children of the driver;
after ``kill -9`` of the driver, its dashboard and runtime-env agents stayed alive with
parent pid 1. The engine starts this watchdog in its own session for the local instance it
started: ``python -m ingest.reaper DRIVER_PID PID...`` waits for the driver to end, then
kills the listed processes that are still Ray's. A clean job stops it after
``ray.shutdown()``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

POLL_S = 0.5


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return _signal_alive(pid)
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _signal_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _is_ray(pid: int) -> bool:
    """Guards against pid reuse: only a process that still looks like Ray is killed."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return b"ray" in cmdline


def start(driver: int, pids: list[int]) -> subprocess.Popen[bytes]:
    """The watchdog process, in its own session so the driver's death does not reach it."""
    return subprocess.Popen(
        [sys.executable, "-m", "ingest.reaper", str(driver), *map(str, pids)],
        start_new_session=True,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def main(argv: list[str]) -> int:
    driver, *pids = (int(a) for a in argv)
    while alive(driver):
        time.sleep(POLL_S)
    for pid in pids:
        if alive(pid) and _is_ray(pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
