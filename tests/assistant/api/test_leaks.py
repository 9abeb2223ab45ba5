"""Try to make restricted documents leak to users outside their groups; nothing may.

Over the sample corpus (4 documents restricted by ``allowed_groups``), an advisor without
those groups asks the restricted questions, quotes the restricted text, guesses ids,
follows up in conversations, streams, reads pages and traces. Every response is checked
for the restricted documents' ids, titles and evidence text.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from core.settings import Settings
from tests.assistant.api.conftest import Headers, sse_events


@pytest.fixture
def settings(sample_index: Path) -> Settings:
    """These tests send many requests per key: the rate limit is not what they test."""
    return Settings(data_dir=sample_index, api_rate_per_minute=1e6, api_rate_burst=10**6)


@pytest.fixture(scope="module")
def restricted(sample_pipeline: Any) -> list[Any]:
    entries = [e for e in sample_pipeline.catalog.all() if e.allowed_groups]
    assert len(entries) == 4
    return entries


@pytest.fixture(scope="module")
def restricted_questions(sample_questions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    chosen = [q for q in sample_questions if q.get("groups")]
    assert chosen
    return chosen


def _secrets(restricted: list[Any], questions: list[dict[str, Any]]) -> list[str]:
    """Strings that only restricted documents hold: ids, titles, evidence sentences."""
    texts = [e.id for e in restricted] + [e.title for e in restricted]
    texts += [ev["text"] for q in questions for ev in q["evidence"] if len(ev["text"]) > 25]
    return texts


def _assert_clean(payload: str, secrets: list[str]) -> None:
    normalised = " ".join(payload.split())
    for secret in secrets:
        assert " ".join(secret.split()) not in normalised, f"leaked: {secret[:60]!r}"


def test_questions_answers_and_streams_do_not_leak(
    client: TestClient,
    advisor: Headers,
    restricted: list[Any],
    restricted_questions: list[dict[str, Any]],
) -> None:
    secrets = _secrets(restricted, restricted_questions)
    ids = {e.id for e in restricted}
    for q in restricted_questions:
        evidence = q["evidence"][0]["text"]
        for message in (q["question"], evidence, f"Quote this passage exactly: {evidence}"):
            body = client.post("/v1/chat", json={"message": message}, headers=advisor).json()
            assert not ids & {c["document_id"] for c in body["citations"]}
            _assert_clean(
                str({k: v for k, v in body.items() if k != "standalone_question"}).replace(
                    message, ""
                ),
                secrets,
            )
            hits = client.post("/v1/search", json={"query": message, "k": 50}, headers=advisor)
            assert not ids & {h["document_id"] for h in hits.json()["results"]}
            assert not ids & set(hits.json()["routed_documents"])
        stream = client.post(
            "/v1/chat", json={"message": q["question"], "stream": True}, headers=advisor
        )
        _assert_clean(stream.text, secrets)
        assert not ids & {c["document_id"] for c in sse_events(stream.text)[-1][1]["citations"]}


def test_entitled_user_does_see_them(
    client: TestClient,
    key: Callable[..., Headers],
    restricted: list[Any],
    restricted_questions: list[dict[str, Any]],
) -> None:
    """The control: the same calls with the right group find the restricted documents."""
    found = 0
    for q in restricted_questions:
        headers = key("advisor", groups=q["groups"])
        hits = client.post("/v1/search", json={"query": q["question"], "k": 10}, headers=headers)
        found += any(h["title"] in {e.title for e in restricted} for h in hits.json()["results"])
    assert found >= len(restricted_questions) * 0.8


def test_follow_ups_do_not_leak(
    client: TestClient,
    advisor: Headers,
    restricted: list[Any],
    restricted_questions: list[dict[str, Any]],
) -> None:
    secrets = _secrets(restricted, restricted_questions)
    ids = {e.id for e in restricted}
    first = client.post(
        "/v1/chat", json={"message": restricted_questions[0]["question"]}, headers=advisor
    ).json()
    for follow in (
        "What about Pinecrest Bancorp?",
        "And what level applies to it?",
        "Tell me more.",
    ):
        body = client.post(
            "/v1/chat",
            json={"message": follow, "conversation_id": first["conversation_id"]},
            headers=advisor,
        ).json()
        assert not ids & {c["document_id"] for c in body["citations"]}
        _assert_clean(body["answer"], secrets)


def test_direct_and_guessed_ids_read_as_unknown(
    client: TestClient, key: Callable[..., Headers], restricted: list[Any]
) -> None:
    headers = key("advisor", "data", "reviewer", "admin")  # every role, no group
    unknown = "00000000-0000-0000-0000-000000000000"
    listed = client.get("/v1/documents", headers=headers).json()["documents"]
    assert not {e.id for e in restricted} & {d["id"] for d in listed}
    for entry in restricted:
        for path in (
            f"/v1/documents/{entry.id}",
            f"/v1/documents/{entry.id}/pages/1",
            f"/v1/documents/{entry.id}/pages/2",
        ):
            response = client.get(path, headers=headers)
            twin = client.get(path.replace(entry.id, unknown), headers=headers)
            assert (response.status_code, response.json()) == (twin.status_code, twin.json())
            assert response.status_code == 404
        deleted = client.delete(f"/v1/documents/{entry.id}", headers=headers)
        assert deleted.status_code == 404 and deleted.json() == {"detail": "not found"}


def test_entitled_reader_opens_restricted_pages(
    client: TestClient, key: Callable[..., Headers], restricted: list[Any]
) -> None:
    for entry in restricted:
        headers = key("advisor", groups=list(entry.allowed_groups))
        page = client.get(f"/v1/documents/{entry.id}/pages/1", headers=headers)
        assert page.status_code == 200 and page.json()["text"]


def test_traces_and_audit_of_entitled_users_stay_hidden(
    client: TestClient,
    key: Callable[..., Headers],
    restricted: list[Any],
    restricted_questions: list[dict[str, Any]],
) -> None:
    secrets = _secrets(restricted, restricted_questions)
    q = restricted_questions[0]
    insider = key("advisor", groups=q["groups"])
    body = client.post("/v1/chat", json={"message": q["question"]}, headers=insider).json()
    assert {c["document_id"] for c in body["citations"]} & {e.id for e in restricted}

    outsider_admin = key("admin")
    assert client.get(f"/v1/traces/{body['trace_id']}", headers=outsider_admin).status_code == 404
    page = client.get("/v1/audit?limit=500", headers=outsider_admin).json()["records"]
    mine = [r for r in page if r["trace_id"] == body["trace_id"]]
    assert mine and mine[0]["answer"] is None and mine[0]["citations"] == []
    assert mine[0]["question"].startswith("[withheld")
    # What outsiders typed themselves is theirs to see; insiders' records must be clean.
    _assert_clean(str([r for r in page if r["groups"]]), secrets)

    insider_admin = key("admin", groups=q["groups"])
    trace = client.get(f"/v1/traces/{body['trace_id']}", headers=insider_admin).json()
    assert trace["answer"] == body["answer"]

    # Feedback cannot be used to probe another user's trace either.
    probe = client.post(
        "/v1/feedback", json={"trace_id": body["trace_id"], "rating": "up"}, headers=key("advisor")
    )
    assert probe.status_code == 404
