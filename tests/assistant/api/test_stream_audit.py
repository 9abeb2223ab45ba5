"""A streamed answer is audited before its first token (finding 3 of the adversarial pass)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.api.answering import STREAMING
from assistant.audit import AuditLog, AuditRecord
from core.errors import CatalogError
from tests.assistant.api.conftest import Headers, sse_events

PASSWORD = "What is the minimum password length required by the firm's information security policy?"


def _own_records(app: FastAPI, headers: Headers) -> list[AuditRecord]:
    principal = app.state.service.keys.verify(headers["Authorization"].removeprefix("Bearer "))
    records: list[AuditRecord] = app.state.service.audit.recent([], principal=principal.id)
    return records


def test_a_locked_database_sends_no_token_at_all(
    app: FastAPI, client: TestClient, advisor: Headers, monkeypatch: pytest.MonkeyPatch
) -> None:
    def locked(self: AuditLog, rec: AuditRecord, **_kw: Any) -> None:
        raise CatalogError("service database error: database is locked")

    monkeypatch.setattr(AuditLog, "record", locked)
    response = client.post("/v1/chat", json={"message": PASSWORD, "stream": True}, headers=advisor)
    events = sse_events(response.text)
    assert [name for name, _ in events] == ["meta", "error"]
    assert events[-1][1]["status"] == 503


def test_the_final_record_replaces_the_provisional_one(
    app: FastAPI, client: TestClient, advisor: Headers
) -> None:
    response = client.post("/v1/chat", json={"message": PASSWORD, "stream": True}, headers=advisor)
    events = sse_events(response.text)
    assert "token" in [name for name, _ in events]
    final = events[-1][1]
    [record] = _own_records(app, advisor)
    assert record.trace_id == final["trace_id"] and record.status == "answered"


def test_a_final_write_that_fails_leaves_the_provisional_record_settled(
    app: FastAPI, client: TestClient, advisor: Headers, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = AuditLog.record

    def fail_final(self: AuditLog, rec: AuditRecord, *, replaces: str | None = None) -> None:
        if replaces is not None:
            raise CatalogError("service database error: database is locked")
        original(self, rec)

    monkeypatch.setattr(AuditLog, "record", fail_final)
    response = client.post("/v1/chat", json={"message": PASSWORD, "stream": True}, headers=advisor)
    names = [name for name, _ in sse_events(response.text)]
    assert "token" in names and names[-1] == "error"
    [record] = _own_records(app, advisor)
    assert record.status == "error" and record.question == PASSWORD
    assert record.reason is not None and "CatalogError" in record.reason
    assert STREAMING not in {r.status for r in _own_records(app, advisor)}
