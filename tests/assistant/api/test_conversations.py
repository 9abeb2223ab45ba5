"""GET /v1/conversations: own conversations only, with their (masked) questions."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from tests.assistant.api.conftest import Headers


def test_lists_own_conversations_with_masked_questions(
    client: TestClient, key: Callable[..., Headers]
) -> None:
    owner, other = key("advisor"), key("advisor")
    first = "What is the minimum password length? Mail me at jane.doe@example.com"
    answer = client.post("/v1/chat", json={"message": first}, headers=owner).json()
    conversation_id = answer["conversation_id"]
    client.post(
        "/v1/chat",
        json={"message": "And how often must it change?", "conversation_id": conversation_id},
        headers=owner,
    )
    listed = client.get("/v1/conversations", headers=owner).json()["conversations"]
    assert [c["id"] for c in listed] == [conversation_id]
    assert listed[0]["turns"] == 2 and "jane.doe@example.com" not in listed[0]["title"]
    assert listed[0]["title"].startswith("What is the minimum password length?")
    detail = client.get(f"/v1/conversations/{conversation_id}", headers=owner).json()
    assert detail["turns"][0]["trace_id"] == answer["trace_id"]
    assert detail["turns"][1]["question"] == "And how often must it change?"

    assert client.get("/v1/conversations", headers=other).json() == {"conversations": []}
    hidden = client.get(f"/v1/conversations/{conversation_id}", headers=other)
    unknown = client.get("/v1/conversations/0123456789abcdef", headers=other)
    assert hidden.status_code == unknown.status_code == 404 and hidden.json() == unknown.json()


def test_hostile_ids_and_limits(
    client: TestClient, advisor: Headers, key: Callable[..., Headers]
) -> None:
    assert client.get("/v1/conversations/..%2F..%2Fetc", headers=advisor).status_code in (404, 422)
    assert client.get("/v1/conversations/" + "a" * 65, headers=advisor).status_code == 422
    assert client.get("/v1/conversations?limit=0", headers=advisor).status_code == 422
    assert client.get("/v1/conversations?limit=201", headers=advisor).status_code == 422
    assert client.get("/v1/conversations").status_code == 401
    assert client.get("/v1/conversations", headers=key("reviewer")).status_code == 403
