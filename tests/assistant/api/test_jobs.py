"""Ingestion over HTTP on a fresh index: background jobs, progress, 409, delete (slow)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from core.settings import Settings

pytestmark = pytest.mark.slow

FEES = "The advisory fee for accounts under $1 million is 1.25% per year, billed quarterly."
MARGIN = "Treasury desk note: the internal funding margin for Q3 is 42 basis points."
SWEEP = "Cash sweep balances earn 3.10% at partner banks from March 2026 onwards."


def _wait(client: TestClient, job_id: str, headers: dict[str, str]) -> dict[str, Any]:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        job = client.get(f"/v1/ingest/jobs/{job_id}", headers=headers).json()
        if job["status"] not in ("queued", "running"):
            return job
        time.sleep(0.5)
    raise AssertionError(f"job {job_id} did not finish")


def test_ingest_search_delete(tmp_path: Path, data_dir: Path) -> None:
    inbox = tmp_path / "inbox"
    (inbox / "docs").mkdir(parents=True)
    (inbox / "docs" / "fees.txt").write_text(FEES)
    (inbox / "docs" / "margin.txt").write_text(MARGIN)
    (inbox / "docs" / "margin.txt.meta.json").write_text(
        json.dumps({"allowed_groups": ["treasury"]})
    )
    app = create_app(Settings(data_dir=data_dir, api_ingest_root=inbox))
    keys = app.state.service.keys
    data = {"Authorization": f"Bearer {keys.create(['data'], [])[1]}"}
    advisor = {"Authorization": f"Bearer {keys.create(['advisor'], [])[1]}"}
    with TestClient(app) as client:
        assert client.get("/readyz").status_code == 503
        assert client.post("/v1/search", json={"query": "fee"}, headers=advisor).status_code == 503

        for bad in (["../"], ["missing"], ["/etc"]):
            rejected = client.post("/v1/ingest/jobs", json={"paths": bad}, headers=data)
            assert rejected.status_code == 422, rejected.text

        started = client.post("/v1/ingest/jobs", json={"paths": ["docs"]}, headers=data)
        assert started.status_code == 202
        job = _wait(client, started.json()["id"], data)
        assert job["status"] == "succeeded", job
        assert job["counts"]["added"] == 2
        assert [f["path"] for f in job["files"]] == ["docs/fees.txt"]  # margin.txt: treasury
        assert job["progress"]["stage"] == "done"
        progress, counts = job["progress"], job["counts"]
        assert (progress["done"], progress["total"], counts["total"]) == (2, 2, 2)
        assert progress["chunks"] == counts["chunks"] > 0
        assert started.json()["id"] in [
            j["id"] for j in client.get("/v1/ingest/jobs", headers=data).json()["jobs"]
        ]
        assert client.get("/readyz").status_code == 200

        hits = client.post(
            "/v1/search", json={"query": "advisory fee", "k": 5}, headers=advisor
        ).json()
        titles = {h["document_id"]: h["text"] for h in hits["results"]}
        assert any("1.25%" in text for text in titles.values())
        assert not any("basis points" in text for text in titles.values())  # restricted

        # A second job writes through the running service's own store.
        (inbox / "docs" / "sweep.txt").write_text(SWEEP)
        second = client.post("/v1/ingest/jobs", json={"paths": ["docs"]}, headers=data).json()
        job = _wait(client, second["id"], data)
        assert job["counts"]["added"] == 1 and job["counts"]["unchanged"] == 2
        hits = client.post(
            "/v1/search", json={"query": "cash sweep", "k": 3}, headers=advisor
        ).json()
        sweep_id = hits["results"][0]["document_id"]
        assert "3.10%" in hits["results"][0]["text"]

        with app.state.service.jobs.exclusive():
            busy = client.post("/v1/ingest/jobs", json={"paths": ["docs"]}, headers=data)
            assert busy.status_code == 409
            assert client.delete(f"/v1/documents/{sweep_id}", headers=data).status_code == 409

        assert client.delete(f"/v1/documents/{sweep_id}", headers=advisor).status_code == 403
        deleted = client.delete(f"/v1/documents/{sweep_id}", headers=data)
        assert deleted.status_code == 200 and deleted.json()["deleted"]
        assert client.get(f"/v1/documents/{sweep_id}", headers=advisor).status_code == 404
        hits = client.post(
            "/v1/search", json={"query": "cash sweep", "k": 5}, headers=advisor
        ).json()
        assert sweep_id not in {h["document_id"] for h in hits["results"]}

    closed = create_app(Settings(data_dir=data_dir))
    secret = closed.state.service.keys.create(["data"], [])[1]
    with TestClient(closed) as client:
        off = client.post(
            "/v1/ingest/jobs",
            json={"paths": ["docs"]},
            headers={"Authorization": f"Bearer {secret}"},
        )
        assert off.status_code == 403 and "RESEARCHDESK_API_INGEST_ROOT" in off.json()["detail"]
