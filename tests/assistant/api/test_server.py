"""The real thing: uvicorn on a loopback port, HTTP over a socket, streaming included."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from tests.assistant.api.conftest import sse_events

pytestmark = [pytest.mark.slow, pytest.mark.integration]


@pytest.fixture
def server(app: FastAPI) -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not instance.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(10)


def test_http_round_trip(server: str, app: FastAPI) -> None:
    _, secret = app.state.service.keys.create(["advisor"], [])
    headers = {"Authorization": f"Bearer {secret}"}
    question = "How recent does a client's proof of address have to be when opening an account?"
    with httpx.Client(base_url=server, timeout=60) as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        assert client.get("/v1/documents").status_code == 401
        answer = client.post("/v1/chat", json={"message": question}, headers=headers).json()
        assert answer["outcome"] == "answered" and answer["citations"]

        order: list[str] = []
        body = []
        with client.stream(
            "POST", "/v1/chat", json={"message": question, "stream": True}, headers=headers
        ) as response:
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/event-stream")
            for line in response.iter_lines():
                body.append(line)
                if line.startswith("event: "):
                    order.append(line.removeprefix("event: "))
        assert order[0] == "meta" and order[-1] == "answer" and "token" in order
        final = sse_events("\n".join(body))[-1][1]
        assert final["answer"] == answer["answer"]

        oversized = client.post(
            "/v1/chat",
            content=b"x" * 100_000,
            headers={**headers, "Content-Type": "application/json"},
        )
        assert oversized.status_code == 413
        assert 'route="/v1/chat"' in client.get("/metrics").text
