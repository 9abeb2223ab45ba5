"""GET /v1/documents/{id}/pages/{n}/image: render, highlight, cache, entitlements, bounds."""

from __future__ import annotations

import dataclasses
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from fastapi.testclient import TestClient
from PIL import Image

from assistant.api.pageimage import locate, merge_boxes
from tests.assistant.api.conftest import Headers
from tests.conftest import SAMPLE_CORPUS

SUITABILITY_QUOTE = "Clients aged 75 or older"


def _entry(client: TestClient, headers: Headers, name: str) -> dict[str, Any]:
    documents = client.get("/v1/documents", headers=headers).json()["documents"]
    return next(d for d in documents if Path(d["source"]).name == name)


def _span_boxes(source: str, page: int, quote: str, zoom: float) -> list[tuple[float, ...]]:
    """The quoted span's character boxes in image pixels, straight from pdfium."""
    boxes: list[tuple[float, ...]] = []
    pdf = pdfium.PdfDocument(source)
    try:
        p = pdf[page - 1]
        left, _, _, top = p.get_cropbox()
        text = p.get_textpage()
        chars = [text.get_text_range(i, 1) or " " for i in range(text.count_chars())]
        for i in locate(chars, quote):
            x0, y0, x1, y1 = text.get_charbox(i)
            if x1 > x0:
                boxes.append(
                    ((x0 - left) * zoom, (top - y1) * zoom, (x1 - left) * zoom, (top - y0) * zoom)
                )
        return boxes
    finally:
        pdf.close()


def test_page_image_highlights_the_quoted_span(client: TestClient, advisor: Headers) -> None:
    doc = _entry(client, advisor, "suitability_policy.pdf")
    url = f"/v1/documents/{doc['id']}/pages/4/image"
    response = client.get(
        url, params={"highlight": SUITABILITY_QUOTE, "zoom": 1.5}, headers=advisor
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "image/png"
    assert response.headers["x-highlight-found"] == "true"
    image = Image.open(io.BytesIO(response.content)).convert("RGB")
    assert f"{image.width}x{image.height}" == response.headers["x-image-size"]
    boxes = json.loads(response.headers["x-highlight-boxes"])
    # The API shows sources relative to the ingest root: read the sample corpus's file.
    chars = _span_boxes(str(SAMPLE_CORPUS / Path(doc["source"]).name), 4, SUITABILITY_QUOTE, 1.5)
    assert boxes and chars
    # Every character of the span lies inside a highlight box, and the boxes are tight.
    for x0, y0, x1, y1 in chars:
        assert any(
            b[0] <= x0 + 0.5 and b[1] <= y0 + 0.5 and x1 - 0.5 <= b[2] and y1 - 0.5 <= b[3]
            for b in boxes
        )
    span_width = max(c[2] for c in chars) - min(c[0] for c in chars)
    assert sum(b[2] - b[0] for b in boxes) <= span_width + 10
    # The pixels under the box are tinted yellow: blue is pulled down, red stays up.
    x0, y0, x1, y1 = boxes[0]
    r, _, b = image.getpixel((int(x0) + 1, int((y0 + y1) / 2)))  # type: ignore[misc]
    assert r > 200 and b < 180

    plain = client.get(url, headers=advisor)
    assert (
        plain.headers["x-highlight-found"] == "false"
        and json.loads(plain.headers["x-highlight-boxes"]) == []
    )
    assert response.content != plain.content


def test_page_image_is_cached_by_version_page_zoom(client: TestClient, advisor: Headers) -> None:
    doc = _entry(client, advisor, "suitability_policy.pdf")
    url = f"/v1/documents/{doc['id']}/pages/1/image"
    first = client.get(url, params={"zoom": 0.75, "highlight": "suitability"}, headers=advisor)
    again = client.get(url, params={"zoom": 0.75, "highlight": "suitability"}, headers=advisor)
    assert first.headers["x-image-cache"] == "miss" and again.headers["x-image-cache"] == "hit"
    assert first.content == again.content
    bigger = client.get(url, params={"zoom": 1.0, "highlight": "suitability"}, headers=advisor)
    assert bigger.headers["x-image-cache"] == "miss"
    assert (
        Image.open(io.BytesIO(bigger.content)).width > Image.open(io.BytesIO(first.content)).width
    )


def test_unfound_highlight_is_reported_not_faked(client: TestClient, advisor: Headers) -> None:
    doc = _entry(client, advisor, "suitability_policy.pdf")
    response = client.get(
        f"/v1/documents/{doc['id']}/pages/1/image",
        params={"highlight": "zebra crossing allowance for Heliotrope"},
        headers=advisor,
    )
    assert response.status_code == 200
    assert response.headers["x-highlight-found"] == "false"


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"zoom": 0.25}, 422),
        ({"zoom": 3.5}, 422),
        ({"zoom": 1.1}, 422),  # zoom steps of 0.25 keep the cache bounded
        ({"zoom": "nan"}, 422),
        ({"highlight": "x" * 2001}, 422),
    ],
)
def test_bounds(client: TestClient, advisor: Headers, params: dict[str, Any], status: int) -> None:
    doc = _entry(client, advisor, "suitability_policy.pdf")
    response = client.get(
        f"/v1/documents/{doc['id']}/pages/1/image", params=params, headers=advisor
    )
    assert response.status_code == status, response.text


def test_out_of_range_pages_and_non_pdf(client: TestClient, advisor: Headers) -> None:
    doc = _entry(client, advisor, "suitability_policy.pdf")
    base = f"/v1/documents/{doc['id']}/pages"
    assert client.get(f"{base}/{doc['pages'] + 1}/image", headers=advisor).status_code == 404
    assert client.get(f"{base}/0/image", headers=advisor).status_code == 422
    html = _entry(client, advisor, "model_portfolios_march_2026.html")
    assert (
        client.get(f"/v1/documents/{html['id']}/pages/1/image", headers=advisor).status_code == 404
    )
    assert client.get(f"{base}/1/image").status_code == 401


def test_restricted_image_reads_like_an_unknown_id(
    client: TestClient, key: Callable[..., Headers], sample_pipeline: Any
) -> None:
    restricted = next(
        e for e in sample_pipeline.catalog.all() if e.allowed_groups and e.format == "pdf"
    )
    outsider, insider = key("advisor"), key("advisor", groups=list(restricted.allowed_groups))
    url = f"/v1/documents/{restricted.id}/pages/1/image"
    hidden = client.get(url, headers=outsider)
    unknown = client.get("/v1/documents/0123456789abcdef/pages/1/image", headers=outsider)
    assert hidden.status_code == unknown.status_code == 404
    assert hidden.content == unknown.content
    assert client.get(url, headers=insider).status_code == 200


def test_a_changed_file_is_not_rendered(
    client: TestClient, advisor: Headers, app: Any, tmp_path: Path
) -> None:
    doc = _entry(client, advisor, "suitability_policy.pdf")
    entry = app.state.service.catalog.find(doc["id"])
    moved = dataclasses.replace(entry, source=str(tmp_path / "gone.pdf"), version="x")
    app.state.service.catalog.find = lambda _id: moved
    response = client.get(f"/v1/documents/{doc['id']}/pages/1/image", headers=advisor)
    assert response.status_code == 409 and "re-ingest" in response.json()["detail"]


def test_locate_and_merge() -> None:
    chars = list("Hello\r\nwide  Wor\nldwide")
    assert locate(chars, "hello  WIDE") == [0, 1, 2, 3, 4, 7, 8, 9, 10]
    assert locate(chars, "worldwide") == [13, 14, 15, 17, 18, 19, 20, 21, 22]  # across a break
    assert locate(list("a\ufffeb"), "a-b") == [0, 1, 2]  # pdfium's soft hyphen
    assert locate(chars, "missing") == []
    assert locate(chars, "   ") == []
    merged = merge_boxes([(0, 0, 5, 10), (5, 0, 10, 10), (0, 12, 5, 22), (5, 12, 9, 22)])
    assert merged == [(0, 0, 10, 10), (0, 12, 9, 22)]


def test_page_and_assets_are_served_with_security_headers(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'none'" in csp and "unsafe" not in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "no-referrer"
    assert "<script>" not in page.text and " style=" not in page.text and "http" not in page.text
    for name in ("app.js", "stream.js", "viewer.js", "app.css", "favicon.svg"):
        asset = client.get(f"/static/{name}")
        assert asset.status_code == 200 and asset.headers["x-content-type-options"] == "nosniff"
    for hostile in ("../app.py", "..%2Fapp.py", "index.html", "%2e%2e/%2e%2e/pyproject.toml"):
        assert client.get(f"/static/{hostile}").status_code == 404
    total = len(page.content) + sum(
        len(client.get(f"/static/{n}").content)
        for n in ("app.js", "stream.js", "viewer.js", "app.css")
    )
    assert total <= 100_000
