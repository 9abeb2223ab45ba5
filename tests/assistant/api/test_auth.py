"""Bearer keys: 401 without a valid key, 403 for the wrong role, 429 past the rate limit."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from cli.app import app as cli_app
from core.settings import Settings
from tests.assistant.api.conftest import Headers

PROTECTED = [
    ("POST", "/v1/chat", {"message": "What is the fee?"}, "advisor"),
    ("POST", "/v1/search", {"query": "fees"}, "advisor"),
    ("POST", "/v1/feedback", {"trace_id": "abc", "rating": "up"}, "advisor"),
    ("GET", "/v1/documents", None, "any"),
    ("DELETE", "/v1/documents/abc", None, "data"),
    ("POST", "/v1/ingest/jobs", {"paths": ["x"]}, "data"),
    ("GET", "/v1/ingest/jobs", None, "data"),
    ("GET", "/v1/approvals", None, "reviewer"),
    ("POST", "/v1/approvals/abc", {"decision": "approve"}, "reviewer"),
    ("GET", "/v1/traces/abc", None, "admin"),
    ("GET", "/v1/audit", None, "admin"),
]


@pytest.mark.parametrize(("method", "path", "body", "role"), PROTECTED)
def test_no_key_is_401(client: TestClient, method: str, path: str, body: object, role: str) -> None:
    response = client.request(method, path, json=body)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "value",
    ["Bearer nonsense", "Bearer rd_0123456789ab_" + "x" * 43, "Basic dXNlcjpwYXNz", "Bearer "],
)
def test_bad_key_is_401(client: TestClient, value: str) -> None:
    response = client.get("/v1/documents", headers={"Authorization": value})
    assert response.status_code == 401
    assert "trace" not in response.text.lower()


def test_revoked_key_is_401(client: TestClient, app: FastAPI) -> None:
    principal, secret = app.state.service.keys.create(["advisor"], [])
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/v1/documents", headers=headers).status_code == 200
    app.state.service.keys.revoke(principal.id)
    assert client.get("/v1/documents", headers=headers).status_code == 401


@pytest.mark.parametrize(
    ("method", "path", "body", "role"), [p for p in PROTECTED if p[3] != "any"]
)
def test_wrong_role_is_403(
    client: TestClient, key: Callable[..., Headers], method: str, path: str, body: object, role: str
) -> None:
    others = [r for r in ("advisor", "data", "reviewer", "admin") if r != role]
    response = client.request(method, path, json=body, headers=key(*others))
    assert response.status_code == 403
    assert role in response.json()["detail"]


def test_rate_limit_is_429_per_key(
    make_app: Callable[..., FastAPI], sample_index: Path, key: Callable[..., Headers]
) -> None:
    app = make_app(Settings(data_dir=sample_index, api_rate_burst=2, api_rate_per_minute=1))
    keys = app.state.service.keys
    first = {"Authorization": f"Bearer {keys.create(['advisor'], [])[1]}"}
    second = {"Authorization": f"Bearer {keys.create(['advisor'], [])[1]}"}
    with TestClient(app) as client:
        assert client.get("/v1/documents", headers=first).status_code == 200
        assert client.get("/v1/documents", headers=first).status_code == 200
        limited = client.get("/v1/documents", headers=first)
        assert limited.status_code == 429
        assert int(limited.headers["retry-after"]) >= 1
        assert client.get("/v1/documents", headers=second).status_code == 200
        assert "researchdesk_rate_limited_total 1.0" in client.get("/metrics").text


def test_keys_cli(data_dir: Path) -> None:
    runner = CliRunner()
    created = runner.invoke(
        cli_app, ["keys", "create", "--role", "advisor", "--groups", "compliance,ops", "--json"]
    )
    assert created.exit_code == 0, created.output
    data = json.loads(created.stdout)
    assert data["key"].startswith(f"rd_{data['id']}_")
    assert data["roles"] == ["advisor"] and data["groups"] == ["compliance", "ops"]

    listed = runner.invoke(cli_app, ["keys", "list", "--json"])
    assert listed.exit_code == 0
    rows = json.loads(listed.stdout)
    assert [r["id"] for r in rows] == [data["id"]]
    assert data["key"] not in listed.stdout  # only the hash is stored

    assert runner.invoke(cli_app, ["keys", "revoke", data["id"]]).exit_code == 0
    again = runner.invoke(cli_app, ["keys", "revoke", data["id"]])
    assert again.exit_code == 3 and "already revoked" in again.output
    bad = runner.invoke(cli_app, ["keys", "create", "--role", "root"])
    assert bad.exit_code == 3 and "valid: advisor, data, reviewer, admin" in bad.output

    from assistant.keys import KeyStore
    from assistant.tables import open_database

    store = KeyStore(open_database(Settings().resolved_database_url))
    assert store.list()[0].revoked_at is not None
