"""Peak resident memory of this process and every process below it, sampled from /proc."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from types import TracebackType

from ingest.extract import descendants


def _rss_mb(pid: int) -> tuple[str, float] | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()[:60]
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return cmd, int(line.split()[1]) / 1024
    return None


class PeakMemory:
    """``with PeakMemory() as m: ...`` then ``m.peaks()``: pid:command -> peak MB."""

    def __init__(self, interval: float = 0.5) -> None:
        self._interval = interval
        self._stop = threading.Event()
        self._peaks: dict[str, float] = {}
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        for pid in [os.getpid(), *descendants(os.getpid())]:
            found = _rss_mb(pid)
            if found is not None:
                key = f"{pid}:{found[0]}"
                self._peaks[key] = max(self._peaks.get(key, 0.0), found[1])

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            self._sample()

    def __enter__(self) -> PeakMemory:
        self._sample()
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stop.set()
        self._thread.join()

    def peaks(self) -> dict[str, float]:
        """The 12 largest, biggest first (a Ray cluster has dozens of small processes)."""
        top = sorted(self._peaks.items(), key=lambda kv: -kv[1])[:12]
        return {k: round(v, 1) for k, v in top}
