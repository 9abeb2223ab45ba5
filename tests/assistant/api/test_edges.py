"""Edge hardening (finding 9): key guessing is rate-limited per address, request framing is
unambiguous, and /metrics and the docs can require a key."""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.api.middleware import PRIVATE_DOCS, BodyLimit
from core.settings import Settings


def test_invalid_keys_are_rate_limited_per_address(
    make_app: Callable[..., FastAPI], sample_index: Path
) -> None:
    app = make_app(Settings(data_dir=sample_index, api_auth_failures_per_minute=3))
    _, secret = app.state.service.keys.create(["advisor"], [])
    good = {"Authorization": f"Bearer {secret}"}
    with TestClient(app) as client:
        for n in range(3):
            guess = {"Authorization": f"Bearer rd_guess{n:04d}_" + "x" * 40}
            assert client.get("/v1/documents", headers=guess).status_code == 401
        limited = client.get("/v1/documents", headers={"Authorization": "Bearer rd_more"})
        assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
        # Even a right guess from that address waits: guessing stops paying off.
        assert client.get("/v1/documents", headers=good).status_code == 429
    with TestClient(app, client=("10.9.8.7", 5000)) as other:  # another address is unaffected
        assert other.get("/v1/documents", headers=good).status_code == 200


def test_valid_keys_do_not_spend_the_failure_budget(
    make_app: Callable[..., FastAPI], sample_index: Path
) -> None:
    app = make_app(Settings(data_dir=sample_index, api_auth_failures_per_minute=1))
    _, secret = app.state.service.keys.create(["advisor"], [])
    with TestClient(app) as client:
        for _ in range(5):
            response = client.get("/v1/documents", headers={"Authorization": f"Bearer {secret}"})
            assert response.status_code == 200


async def _call(app: Any, headers: list[tuple[bytes, bytes]], method: str = "POST") -> int:
    scope = {"type": "http", "method": method, "path": "/v1/chat", "headers": headers}
    sent: list[dict[str, Any]] = []
    reached = False

    async def inner(_scope: Any, _receive: Any, _send: Any) -> None:
        nonlocal reached
        reached = True

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"{}", "more_body": False}

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(dict(message))

    await BodyLimit(inner, max_bytes=1024)(scope, receive, send)
    return 0 if reached else int(sent[0]["status"])


@pytest.mark.parametrize("method", ["POST", "GET"])
def test_content_length_with_transfer_encoding_is_400(method: str) -> None:
    import asyncio

    both = [(b"content-length", b"2"), (b"transfer-encoding", b"chunked")]
    assert asyncio.run(_call(None, both, method)) == 400
    assert asyncio.run(_call(None, [(b"content-length", b"2")], method)) == 0


def test_docs_and_metrics_are_open_by_default(client: TestClient) -> None:
    assert client.get("/metrics").status_code == 200
    assert client.get("/openapi.json").status_code == 200


def test_private_docs_need_a_key(make_app: Callable[..., FastAPI], sample_index: Path) -> None:
    app = make_app(Settings(data_dir=sample_index, api_private_docs=True))
    _, secret = app.state.service.keys.create(["advisor"], [])
    with TestClient(app) as client:
        for path in sorted(PRIVATE_DOCS - {"/docs/oauth2-redirect"}):
            assert client.get(path).status_code == 401, path
            assert client.get(path, headers={"Authorization": "Bearer wrong"}).status_code == 401
            authorised = client.get(path, headers={"Authorization": f"Bearer {secret}"})
            assert authorised.status_code == 200, path
        assert client.get("/healthz").status_code == 200  # probes stay open


def test_guessing_through_private_docs_spends_the_same_budget(
    make_app: Callable[..., FastAPI], sample_index: Path
) -> None:
    settings = Settings(
        data_dir=sample_index, api_private_docs=True, api_auth_failures_per_minute=2
    )
    app = make_app(settings)
    with TestClient(app) as client:
        for n in range(2):
            wrong = {"Authorization": f"Bearer guess{n}"}
            assert client.get("/metrics", headers=wrong).status_code == 401
        assert client.get("/metrics", headers={"Authorization": "Bearer g"}).status_code == 429
        assert client.get("/v1/documents", headers={"Authorization": "Bearer g"}).status_code == 429
