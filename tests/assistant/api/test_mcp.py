"""The MCP server, through the SDK's own client, against real server processes.

``researchdesk mcp`` over stdio and ``researchdesk serve``'s ``/mcp`` over streamable HTTP,
each a subprocess over a private copy of the sample index (the session pipeline holds the
API tests' copy open). Keys, roles and entitlements are the HTTP API's: an advisor outside
a restricted document's groups must never see it through any tool.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp.client.streamable_http import streamable_http_client

from assistant.keys import KeyStore
from assistant.tables import open_database
from core.settings import Settings
from ingest.catalog import Catalog

pytestmark = [pytest.mark.slow, pytest.mark.integration]

REPO = Path(__file__).resolve().parents[3]
UNKNOWN_ID = "0123456789abcdef"


@pytest.fixture(scope="module")
def index(sample_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("mcp-index") / "index"
    shutil.copytree(sample_index, copy)
    return copy


@pytest.fixture(scope="module")
def world(index: Path, sample_questions: list[dict[str, Any]]) -> dict[str, Any]:
    """Keys, the restricted documents and the strings only they hold."""
    settings = Settings(data_dir=index)
    engine = open_database(settings.resolved_database_url)
    try:
        keys = KeyStore(engine)
        restricted = [e for e in Catalog(engine, settings.index).all() if e.allowed_groups]
        assert restricted
        questions = [q for q in sample_questions if q.get("groups")]
        secrets = [e.id for e in restricted] + [e.title for e in restricted]
        secrets += [ev["text"] for q in questions for ev in q["evidence"] if len(ev["text"]) > 25]
        return {
            "outsider": keys.create(["advisor"], [])[1],
            "insider": keys.create(["advisor"], list(restricted[0].allowed_groups))[1],
            "reviewer": keys.create(["reviewer"], [])[1],
            "restricted": restricted,
            "questions": [q["question"] for q in questions],
            "secrets": secrets,
        }
    finally:
        engine.dispose()


def _env(index: Path, **extra: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith("RESEARCHDESK_")}
    return {
        **keep,
        "PYTHONPATH": str(REPO),
        "RESEARCHDESK_DATA_DIR": str(index),
        "RESEARCHDESK_API_RATE_PER_MINUTE": "100000",
        "RESEARCHDESK_API_RATE_BURST": "100000",
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "DO_NOT_TRACK": "1",
        **extra,
    }


def _text(result: Any) -> str:
    return json.dumps([c.model_dump(mode="json") for c in result.content]) + json.dumps(
        result.structured_content
    )


def _assert_clean(payload: str, secrets: list[str]) -> None:
    normalised = " ".join(payload.split())
    for secret in secrets:
        assert " ".join(secret.split()) not in normalised, f"leaked: {secret[:60]!r}"


async def _probe(session: ClientSession, world: dict[str, Any]) -> list[str]:
    """Every tool with restricted questions and ids; returns the serialised results."""
    await session.initialize()
    tools = {t.name for t in (await session.list_tools()).tools}
    assert {"search", "ask", "get_page"} <= tools
    seen: list[str] = []
    for question in world["questions"][:3]:
        found = await session.call_tool("search", {"query": question, "k": 20})
        assert not found.is_error, _text(found)
        seen.append(_text(found))
    answer = await session.call_tool("ask", {"question": world["questions"][0]})
    assert not answer.is_error, _text(answer)
    seen.append(_text(answer))
    unknown = await session.call_tool("get_page", {"document_id": UNKNOWN_ID, "page": 1})
    assert unknown.is_error
    for entry in world["restricted"]:
        hidden = await session.call_tool("get_page", {"document_id": entry.id, "page": 1})
        assert hidden.is_error and hidden.content == unknown.content
        seen.append(_text(hidden))
    return seen


def test_stdio_tools_act_as_the_key_and_never_leak(index: Path, world: dict[str, Any]) -> None:
    def params(key: str) -> StdioServerParameters:
        return StdioServerParameters(
            command=sys.executable,
            args=["-m", "cli", "mcp"],
            env=_env(index, RESEARCHDESK_API_KEY=key),
            cwd=str(REPO),
        )

    async def outsider() -> list[str]:
        async with (
            stdio_client(params(world["outsider"])) as (read, write),
            ClientSession(read, write) as session,
        ):
            return await _probe(session, world)

    async def insider() -> str:
        async with (
            stdio_client(params(world["insider"])) as (read, write),
            ClientSession(read, write) as session,
        ):
            await session.initialize()
            entry = world["restricted"][0]
            page = await session.call_tool("get_page", {"document_id": entry.id, "page": 1})
            assert not page.is_error, _text(page)
            return _text(page)

    for payload in anyio.run(outsider):
        _assert_clean(payload, world["secrets"])
    assert world["restricted"][0].title in anyio.run(insider)  # the probe can see a leak


def test_stdio_refuses_a_missing_or_unknown_key(index: Path) -> None:
    base = [sys.executable, "-m", "cli", "mcp"]
    for key in ("", "rd_nothere_0000"):
        done = subprocess.run(
            base,
            env=_env(index, RESEARCHDESK_API_KEY=key),
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
            stdin=subprocess.DEVNULL,
        )
        assert done.returncode == 3 and "RESEARCHDESK_API_KEY" in done.stderr
        assert done.stdout == ""  # stdout is the protocol channel


@pytest.fixture
def http_server(index: Path) -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cli",
            "serve",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=_env(index),
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
            assert time.monotonic() < deadline, "the server did not become ready"
            try:
                if httpx.get(base + "/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        yield base
    finally:
        process.terminate()
        process.wait(30)


def test_http_tools_share_keys_roles_and_entitlements(
    http_server: str, world: dict[str, Any]
) -> None:
    import httpx2

    url = http_server + "/mcp"
    for headers in ({}, {"Authorization": "Bearer rd_nothere_0000"}, {"Authorization": "Basic x"}):
        refused = httpx.post(
            url, json={"jsonrpc": "2.0", "id": 1, "method": "ping"}, headers=headers
        )
        assert refused.status_code == 401 and refused.json()["detail"]

    async def session_as(key: str, work: Any) -> Any:
        client = httpx2.AsyncClient(headers={"Authorization": f"Bearer {key}"}, timeout=120)
        async with (
            client,
            streamable_http_client(url, http_client=client) as (read, write),
            ClientSession(read, write) as session,
        ):
            return await work(session)

    async def as_reviewer(session: ClientSession) -> Any:
        await session.initialize()
        return await session.call_tool("search", {"query": "best execution"})

    async def as_insider(session: ClientSession) -> str:
        await session.initialize()
        entry = world["restricted"][0]
        page = await session.call_tool("get_page", {"document_id": entry.id, "page": 1})
        assert not page.is_error
        return _text(page)

    for payload in anyio.run(session_as, world["outsider"], lambda s: _probe(s, world)):
        _assert_clean(payload, world["secrets"])
    refused_role = anyio.run(session_as, world["reviewer"], as_reviewer)
    assert refused_role.is_error and "advisor role" in _text(refused_role)
    assert world["restricted"][0].title in anyio.run(session_as, world["insider"], as_insider)
