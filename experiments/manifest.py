"""What a run records about where it ran, so a number can be traced to code, data and machine."""

from __future__ import annotations

import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

from core.settings import Settings

REPO = Path(__file__).resolve().parents[1]
_PACKAGES = (
    "researchdesk",
    "torch",
    "sentence-transformers",
    "transformers",
    "qdrant-edge-py",
    "qdrant-client",
    "numpy",
    "openai",
)


def git_state(repo: Path = REPO) -> dict[str, Any]:
    """Commit and whether the working tree differs from it (read-only git calls)."""
    try:
        commit = _git(repo, "rev-parse", "HEAD")
        dirty = bool(_git(repo, "status", "--porcelain", "--untracked-files=no"))
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None}
    return {"commit": commit, "dirty": dirty}


def machine() -> dict[str, Any]:
    """CPU, cores and memory: latency figures mean little without them."""
    return {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "memory_gb": _memory_gb(),
        "python": platform.python_version(),
    }


def versions() -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for name in _PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    return found


def settings_record(settings: Settings) -> dict[str, Any]:
    """The settings a run used, secrets left out (only whether they were set)."""
    data = settings.model_dump(mode="json", exclude={"qdrant_api_key", "openai_api_key"})
    data["llm_configured"] = settings.llm_configured
    data["store"] = settings.resolved_store
    return data


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args],
        capture_output=True,
        text=True,
        timeout=10,
        check=True,
    )
    return done.stdout.strip()


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except (OSError, ValueError, IndexError):
        pass
    return None
