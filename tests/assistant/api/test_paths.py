"""No absolute server path leaves the service; restricted files stay out of job listings.

Finding 7 (paths) and finding 1 over HTTP (a link to /etc/passwd in the ingest root).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.api.paths import shown_source
from core.settings import Settings
from ingest.discover import OUTSIDE_ROOT

FEES = "The advisory fee for accounts under $1 million is 1.25% per year, billed quarterly."
MARGIN = "Treasury desk note: the internal funding margin for Q3 is 42 basis points."


def test_shown_source_is_relative_to_the_root_or_the_bare_name(tmp_path: Path) -> None:
    root = tmp_path / "inbox"
    root.mkdir()
    assert shown_source(f"{root.resolve()}/docs/q3.pdf", root) == "docs/q3.pdf"
    assert shown_source(f"{root}/q3.pdf", root) == "q3.pdf"
    assert shown_source("/srv/private/clients/q3.pdf", root) == "q3.pdf"
    assert shown_source("/srv/private/clients/q3.pdf", None) == "q3.pdf"
    assert shown_source(str(root.resolve()), root) == "."
    assert shown_source(f"{root}x/evil.pdf", root) == "evil.pdf"  # a sibling, not inside


def _wait(client: TestClient, job_id: str, headers: dict[str, str]) -> dict[str, Any]:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(f"/v1/ingest/jobs/{job_id}", headers=headers).json()
        if job["status"] not in ("queued", "running"):
            return job
        time.sleep(0.5)
    raise AssertionError(f"job {job_id} did not finish")


@pytest.mark.slow
@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_http_job_refuses_links_out_and_shows_no_server_path(
    tmp_path: Path, data_dir: Path
) -> None:
    inbox = tmp_path / "inbox"
    (inbox / "docs").mkdir(parents=True)
    (inbox / "docs" / "fees.txt").write_text(FEES)
    (inbox / "docs" / "margin.txt").write_text(MARGIN)
    (inbox / "docs" / "margin.txt.meta.json").write_text(
        json.dumps({"allowed_groups": ["treasury"]})
    )
    (inbox / "docs" / "passwd.txt").symlink_to("/etc/passwd")
    app = create_app(Settings(data_dir=data_dir, api_ingest_root=inbox))
    keys = app.state.service.keys
    data = {"Authorization": f"Bearer {keys.create(['data'], [])[1]}"}
    treasury_data = {"Authorization": f"Bearer {keys.create(['data'], ['treasury'])[1]}"}
    advisor = {"Authorization": f"Bearer {keys.create(['advisor'], [])[1]}"}
    with TestClient(app) as client:
        linked = client.post("/v1/ingest/jobs", json={"paths": ["docs/passwd.txt"]}, headers=data)
        assert linked.status_code == 422  # named directly: its target is outside the root

        started = client.post("/v1/ingest/jobs", json={"paths": ["."]}, headers=data)
        assert started.status_code == 202, started.text
        job = _wait(client, started.json()["id"], data)
        assert job["status"] == "completed_with_errors", job
        files = {f["path"]: f for f in job["files"]}
        assert files["docs/passwd.txt"]["status"] == "failed"
        assert files["docs/passwd.txt"]["reason"] == OUTSIDE_ROOT
        assert set(files) == {"docs/fees.txt", "docs/passwd.txt"}  # margin.txt is restricted
        assert job["paths"] == ["."]
        full = client.get(f"/v1/ingest/jobs/{job['id']}", headers=treasury_data).json()
        assert {f["path"] for f in full["files"]} == set(files) | {"docs/margin.txt"}

        hits = client.post("/v1/search", json={"query": "advisory fee", "k": 3}, headers=advisor)
        assert hits.json()["results"][0]["source"] == "docs/fees.txt"
        listed = client.get("/v1/documents", headers=advisor).json()["documents"]
        assert [d["source"] for d in listed] == ["docs/fees.txt"]
        chat = client.post(
            "/v1/chat", json={"message": "What is the advisory fee?"}, headers=advisor
        )
        assert all(c["source"] == "docs/fees.txt" for c in chat.json()["citations"])
        for response in (job, full, hits.json(), listed, chat.json()):
            assert str(tmp_path) not in json.dumps(response)
            assert "root:x:0:0" not in json.dumps(response)
