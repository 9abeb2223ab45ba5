"""GET /v1/documents, /{id}, /{id}/pages/{n} over the sample index (read-only)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from tests.assistant.api.conftest import Headers


def _by_format(documents: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, Any]]:
    paged = next(d for d in documents if d["pages"] and d["pages"] >= 2 and not d["restricted"])
    pageless = next(d for d in documents if d["pages"] is None and not d["restricted"])
    return paged, pageless


def test_list_and_show(client: TestClient, key: Callable[..., Headers]) -> None:
    for role in ("advisor", "data", "reviewer", "admin"):
        listed = client.get("/v1/documents", headers=key(role))
        assert listed.status_code == 200
    documents = listed.json()["documents"]
    assert documents and all(not d["restricted"] for d in documents)
    first = documents[0]
    shown = client.get(f"/v1/documents/{first['id']}", headers=key("advisor"))
    assert shown.status_code == 200 and shown.json() == first


def test_pages(client: TestClient, advisor: Headers) -> None:
    documents = client.get("/v1/documents", headers=advisor).json()["documents"]
    paged, pageless = _by_format(documents)
    page_two = client.get(f"/v1/documents/{paged['id']}/pages/2", headers=advisor).json()
    assert page_two["page"] == 2 and page_two["pages"] == paged["pages"] and page_two["text"]
    assert all(c["page_start"] <= 2 <= c["page_end"] for c in page_two["chunks"])
    page_one = client.get(f"/v1/documents/{paged['id']}/pages/1", headers=advisor).json()
    assert page_one["text"] != page_two["text"]
    beyond = client.get(f"/v1/documents/{paged['id']}/pages/{paged['pages'] + 1}", headers=advisor)
    assert beyond.status_code == 404

    whole = client.get(f"/v1/documents/{pageless['id']}/pages/1", headers=advisor).json()
    assert whole["pages"] is None and len(whole["chunks"]) == pageless["chunks"]
    # Overlapping chunks are written once: no sentence of the text appears twice.
    sentences = [s for s in whole["text"].split(". ") if len(s) > 40]
    assert len(sentences) == len(set(sentences))
    assert client.get(f"/v1/documents/{pageless['id']}/pages/2", headers=advisor).status_code == 404


def test_page_chunks_locate_themselves_in_the_text(
    client: TestClient, advisor: Headers, sample_pipeline: Any
) -> None:
    """``text[start:end]`` is each chunk's own text: the viewer cuts a section out with it."""
    from ingest.store import SearchFilter

    documents = client.get("/v1/documents", headers=advisor).json()["documents"]
    store, collection = sample_pipeline.searcher.store, sample_pipeline.searcher.collection
    checked = 0
    for document in documents[:6]:
        page = client.get(f"/v1/documents/{document['id']}/pages/1", headers=advisor).json()
        hits = store.scroll(
            collection, SearchFilter(document_ids=(document["id"],)), fields=("chunk_id", "text")
        )
        texts = {h.payload["chunk_id"]: h.payload["text"] for h in hits}
        for chunk in page["chunks"]:
            assert page["text"][chunk["start"] : chunk["end"]] == texts[chunk["chunk_id"]]
            checked += 1
    assert checked >= 6


def test_unknown_ids_are_404(client: TestClient, advisor: Headers) -> None:
    for path in (
        "/v1/documents/00000000-0000-0000-0000-000000000000",
        "/v1/documents/00000000-0000-0000-0000-000000000000/pages/1",
    ):
        response = client.get(path, headers=advisor)
        assert response.status_code == 404 and response.json() == {"detail": "not found"}
    assert client.get("/v1/documents/x/pages/0", headers=advisor).status_code == 422
    assert client.get("/v1/documents/..%2F..%2Fetc/pages/1", headers=advisor).status_code in (
        404,
        422,
    )
