"""Hostile, malformed, huge and empty bodies: 4xx with field-level messages, never a 5xx."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.assistant.api.conftest import Headers


def test_field_level_422(client: TestClient, advisor: Headers) -> None:
    response = client.post(
        "/v1/chat", json={"message": "", "stream": "maybe", "extra": 1}, headers=advisor
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"body.message", "body.stream", "body.extra"}


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/chat", b"{not json"),
        ("/v1/chat", b""),
        ("/v1/chat", b"[]"),
        ("/v1/chat", b'"just a string"'),
        ("/v1/chat", b'{"message": null}'),
        ("/v1/chat", b'{"message": "   "}'),
        ("/v1/chat", b'{"message": "hi", "conversation_id": "../../etc/passwd"}'),
        ("/v1/search", b'{"query": "fees", "k": 0}'),
        ("/v1/search", b'{"query": "fees", "k": 1000000}'),
        ("/v1/search", b'{"query": "fees", "k": "ten"}'),
        ("/v1/feedback", b'{"trace_id": "abc", "rating": "sideways"}'),
    ],
)
def test_malformed_bodies_are_422(
    client: TestClient, advisor: Headers, path: str, body: bytes
) -> None:
    headers = {**advisor, "Content-Type": "application/json"}
    response = client.post(path, content=body, headers=headers)
    assert response.status_code == 422, response.text
    assert response.json()["errors"]


def test_message_over_the_size_limit_is_422(client: TestClient, advisor: Headers) -> None:
    response = client.post("/v1/chat", json={"message": "x" * 4001}, headers=advisor)
    assert response.status_code == 422
    assert response.json()["errors"][0]["type"] == "string_too_long"


def test_oversized_body_is_413_before_parsing(client: TestClient, advisor: Headers) -> None:
    huge = b'{"message": "' + b"a" * 70_000 + b'"}'
    response = client.post(
        "/v1/chat", content=huge, headers={**advisor, "Content-Type": "application/json"}
    )
    assert response.status_code == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted while read
        yield b'{"message": "'
        for _ in range(100):
            yield b"b" * 1000
        yield b'"}'

    streamed = client.post(
        "/v1/chat", content=chunks(), headers={**advisor, "Content-Type": "application/json"}
    )
    assert streamed.status_code == 413


@pytest.mark.parametrize(
    "message",
    [
        "\u202e\u0000 reversed",
        "'; DROP TABLE audit; --",
        "<script>alert(1)</script> What are the advisory fees?",
        "{{7*7}} ${jndi:ldap://x} %s%s%n",
        "\U0001f600" * 500,
        "fees " * 799,
    ],
)
def test_hostile_messages_never_5xx(client: TestClient, advisor: Headers, message: str) -> None:
    response = client.post("/v1/chat", json={"message": message}, headers=advisor)
    assert response.status_code in (200, 422), response.text
    assert client.post("/v1/search", json={"query": message}, headers=advisor).status_code in (
        200,
        422,
    )


@pytest.mark.parametrize(
    "raw", [b'{"message": "\\ud83d lone surrogate"}', b'{"message": "caf\xe9"}']
)
def test_undecodable_text_never_5xx(client: TestClient, advisor: Headers, raw: bytes) -> None:
    headers = {**advisor, "Content-Type": "application/json"}
    response = client.post("/v1/chat", content=raw, headers=headers)
    assert response.status_code in (200, 400, 422), response.text


def test_unknown_route_and_method(client: TestClient, advisor: Headers) -> None:
    assert client.get("/v1/nothing", headers=advisor).status_code == 404
    assert client.put("/v1/chat", json={}, headers=advisor).status_code == 405


def test_health_ready_metrics(client: TestClient, advisor: Headers) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ready"
    client.post("/v1/chat", json={"message": "Hi, how are you?"}, headers=advisor)
    client.post(
        "/v1/chat",
        json={"message": "What is the minimum password length in the security policy?"},
        headers=advisor,
    )
    text = client.get("/metrics").text
    for name in (
        'researchdesk_http_requests_total{method="POST",route="/v1/chat",status="200"}',
        "researchdesk_http_request_seconds_bucket",
        'researchdesk_stage_seconds_count{stage="classify"}',
        'researchdesk_refusals_total{outcome="declined"} 1.0',
        "researchdesk_escalations_total 0.0",
        "researchdesk_llm_cost_usd_total",
        "researchdesk_ready 1.0",
    ):
        assert name in text, name
