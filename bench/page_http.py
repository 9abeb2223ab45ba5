"""The chat page's service-side numbers over real HTTP (uvicorn on loopback), for bench/page.py.

- First answer token: for each question, the pipeline's own time to its first token
  (``Pipeline.ask`` in-process, the same pipeline object the service uses) and the time
  from sending ``POST /v1/chat`` (stream) to receiving the first ``token`` event. The
  difference is what the service adds: masking, the conversation row, waiting for the
  input guardrails, the provisional audit record, SSE and HTTP. Every question is asked
  once beforehand (warm caches on both paths), then the two are measured alternately.
- Page images through ``GET /v1/documents/{id}/pages/{n}/image`` (entitlement check,
  render, audit): cold (the disk cache emptied) and cached.
- Transfer: the bytes the browser receives for ``/`` and its assets.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from assistant.api import create_app
from assistant.api.deps import user_of
from core.settings import Settings

PAGE_ASSETS = ("/", "/static/app.css", "/static/app.js", "/static/stream.js", "/static/viewer.js")


@contextmanager
def _serve(app: Any) -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def _pipeline_first_token(app: Any, principal: Any, question: str) -> float:
    """Milliseconds from ``Pipeline.ask`` to its first token, in-process."""
    first: list[float] = []

    def on_token(_token: str) -> None:
        if not first:
            first.append(time.perf_counter())

    with app.state.service.holder.use() as pipeline:
        started = time.perf_counter()
        pipeline.ask(question, user=user_of(principal), on_token=on_token)
    if not first:
        raise RuntimeError(f"the pipeline streamed no token for {question!r}")
    return (first[0] - started) * 1000


def _http_first_token(client: httpx.Client, question: str) -> float:
    """Milliseconds from sending the streamed chat request to its first token event."""
    started = time.perf_counter()
    body = {"message": question, "stream": True}
    with client.stream("POST", "/v1/chat", json=body) as response:
        response.raise_for_status()
        lines = response.iter_lines()
        for line in lines:
            if line == "event: token":
                elapsed = (time.perf_counter() - started) * 1000
                break
            if line == "event: error" or line == "event: answer":
                raise RuntimeError(f"no token streamed for {question!r} ({line})")
        else:
            raise RuntimeError(f"the stream ended without a token for {question!r}")
        for _ in lines:  # read the rest, so the turn completes before the next request
            pass
    return elapsed


def measure(
    data_dir: Path, questions: list[str], rounds: int, pages: list[tuple[str, int, str]]
) -> dict[str, Any]:
    """First-token latencies, endpoint page-image times and transfer; raw millisecond lists.

    ``pages`` are (file name, page, highlight) of PDF pages; the index must hold those
    files. ``data_dir`` is changed (a key, conversations, audit rows, the image cache):
    give a copy.
    """
    settings = Settings(data_dir=data_dir, api_rate_per_minute=1e6, api_rate_burst=10**6)
    app = create_app(settings)
    with _serve(app) as base:
        catalog = app.state.service.catalog
        groups = sorted({g for entry in catalog.all() for g in entry.allowed_groups})
        principal, secret = app.state.service.keys.create(["advisor"], groups)  # sees all
        headers = {"Authorization": f"Bearer {secret}"}
        with httpx.Client(base_url=base, headers=headers, timeout=300) as client:
            pipeline_ms: list[float] = []
            http_ms: list[float] = []
            for question in questions:  # warm-up: models, caches, both paths
                _pipeline_first_token(app, principal, question)
                _http_first_token(client, question)
            for round_ in range(rounds):
                for i, question in enumerate(questions):
                    http_first = (i + round_) % 2 == 1  # alternate which path goes first
                    if http_first:
                        http_ms.append(_http_first_token(client, question))
                    pipeline_ms.append(_pipeline_first_token(app, principal, question))
                    if not http_first:
                        http_ms.append(_http_first_token(client, question))
            ids = {Path(e.source).name: e.id for e in catalog.all()}
            cache = data_dir / "cache" / "page-images"
            cold: list[float] = []
            cached: list[float] = []
            for target in (cold, cached):
                if target is cold:
                    shutil.rmtree(cache, ignore_errors=True)
                for name, number, highlight in pages:
                    url = f"/v1/documents/{ids[name]}/pages/{number}/image"
                    started = time.perf_counter()
                    response = client.get(url, params={"highlight": highlight, "zoom": 1.5})
                    target.append((time.perf_counter() - started) * 1000)
                    response.raise_for_status()
                    expected = "miss" if target is cold else "hit"
                    if response.headers["X-Image-Cache"] != expected:
                        raise RuntimeError(f"{url}: cache {response.headers['X-Image-Cache']}")
            transfer = {path: len(client.get(path).content) for path in PAGE_ASSETS}
    return {
        "pipeline_first_token_ms": pipeline_ms,
        "http_first_token_ms": http_ms,
        "image_cold_ms": cold,
        "image_cached_ms": cached,
        "transfer_bytes": transfer,
    }
