"""Approvals respect entitlements like the audit trail (finding 4 of the adversarial pass)."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from assistant.audit import WITHHELD
from tests.assistant.api.conftest import Headers

REQUEST = "Transfer $20,000 from the compliance escrow to account 4471-8812 today."


def test_a_reviewer_outside_the_requesters_groups_sees_no_request_text(
    client: TestClient, key: Callable[..., Headers]
) -> None:
    compliance_advisor = key("advisor", groups=["compliance"])
    body = client.post("/v1/chat", json={"message": REQUEST}, headers=compliance_advisor).json()
    assert body["outcome"] == "escalated", body
    approval_id = body["approval_id"]

    outsider = key("reviewer")
    listed = client.get("/v1/approvals", headers=outsider).json()["approvals"]
    item = next(a for a in listed if a["id"] == approval_id)
    assert item["question"] == WITHHELD and item["reason"] == WITHHELD
    assert "escrow" not in str(listed)
    refused = client.post(
        f"/v1/approvals/{approval_id}", json={"decision": "approve"}, headers=outsider
    )
    assert refused.status_code == 404

    insider = key("reviewer", groups=["compliance"])
    seen = client.get("/v1/approvals", headers=insider).json()["approvals"]
    assert "escrow" in next(a for a in seen if a["id"] == approval_id)["question"]
    decided = client.post(
        f"/v1/approvals/{approval_id}", json={"decision": "reject"}, headers=insider
    )
    assert decided.status_code == 200 and "escrow" in decided.json()["question"]


def test_a_request_without_restricted_groups_stays_visible_to_every_reviewer(
    client: TestClient, key: Callable[..., Headers]
) -> None:
    body = client.post("/v1/chat", json={"message": REQUEST}, headers=key("advisor")).json()
    listed = client.get("/v1/approvals", headers=key("reviewer")).json()["approvals"]
    item = next(a for a in listed if a["id"] == body["approval_id"])
    assert "escrow" in item["question"]
