"""The MCP tools in-process (the SDK's in-memory client): hostile arguments and roles.

The real transports (stdio and HTTP processes) are in test_mcp.py; here the server runs
in stdio mode (one key) inside the test, which is fast enough for every bad input.
"""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from fastapi import FastAPI
from mcp import Client

from assistant.api.mcp import build_server


def _secret(app: FastAPI, *roles: str) -> str:
    return str(app.state.service.keys.create(list(roles), [])[1])


def _calls(app: FastAPI, key: str, calls: list[tuple[str, dict[str, Any]]]) -> list[Any]:
    server = build_server(app.state.service, stdio_key=key)

    async def run() -> list[Any]:
        async with Client(server) as client:
            return [await client.call_tool(name, args) for name, args in calls]

    return anyio.run(run)


def _text(result: Any) -> str:
    return " ".join(getattr(c, "text", "") for c in result.content)


@pytest.mark.parametrize(
    ("name", "args", "expected"),
    [
        ("search", {"query": ""}, "1 to 4000"),
        ("search", {"query": "   "}, "1 to 4000"),
        ("search", {"query": "x" * 4001}, "1 to 4000"),
        ("search", {"query": "fees", "k": 0}, "between 1 and 50"),
        ("search", {"query": "fees", "k": 51}, "between 1 and 50"),
        ("ask", {"question": ""}, "1 to 4000"),
        ("ask", {"question": "fees?", "conversation_id": "0123456789abcdef"}, "404"),
        ("get_page", {"document_id": "", "page": 1}, "404"),
        ("get_page", {"document_id": "../../etc/passwd", "page": 1}, "404"),
        ("get_page", {"document_id": "a" * 65, "page": 1}, "404"),
        ("get_page", {"document_id": "0123456789abcdef", "page": 0}, "404"),
        ("get_page", {"document_id": "0123456789abcdef", "page": 10**9}, "404"),
        ("get_page", {"document_id": "0123456789abcdef", "page": "one"}, ""),
    ],
)
def test_hostile_arguments_are_tool_errors(
    app: FastAPI, name: str, args: dict[str, Any], expected: str
) -> None:
    (result,) = _calls(app, _secret(app, "advisor"), [(name, args)])
    assert result.is_error and expected in _text(result)


def test_roles_and_revoked_keys(app: FastAPI) -> None:
    reviewer = _secret(app, "reviewer")
    search, page = _calls(
        app,
        reviewer,
        [("search", {"query": "fees"}), ("get_page", {"document_id": "0123456789ab", "page": 1})],
    )
    assert search.is_error and "advisor role" in _text(search)
    assert page.is_error and "404: not found" in _text(page)  # any role reads; unknown id
    key = _secret(app, "advisor")
    app.state.service.keys.revoke(key.split("_")[1])
    (revoked,) = _calls(app, key, [("search", {"query": "fees"})])
    assert revoked.is_error and "unknown or revoked" in _text(revoked)


def test_http_endpoint_gate_and_restarts(app: FastAPI) -> None:
    from fastapi.testclient import TestClient

    key = {"Authorization": f"Bearer {_secret(app, 'advisor')}"}
    ping = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
    not_started = TestClient(app).post("/mcp", json=ping, headers=key)
    assert not_started.status_code == 503
    for _ in range(2):  # each start-up runs its own session manager
        with TestClient(app) as client:
            assert client.post("/mcp", json=ping).status_code == 401
            answered = client.post(
                "/mcp",
                json=ping,
                headers={**key, "Accept": "application/json, text/event-stream"},
            )
            assert answered.status_code == 200, answered.text
