"""The chat page in a real browser (Debian's Chromium via Playwright) against uvicorn.

The index is a copy of the sample index plus one document titled
``<img src=x onerror=alert(1)>``. Screenshots of the main states go to docs/images/ when
``DOCS_SCREENSHOTS=1``.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from assistant.api.pageimage import locate
from assistant.tables import feedback
from core.settings import Settings
from tests.assistant.api.browser import ask, launch, serve, sign_in, watched_page

pytestmark = [pytest.mark.slow, pytest.mark.integration]


HOSTILE_TITLE = "<img src=x onerror=alert(1)>"
HOSTILE_TEXT = (
    "Heliotrope programme\n\nThe Heliotrope programme grants each advisor 42 zebra credits "
    "per quarter. Unused zebra credits expire at the end of the quarter.\n"
)
HOSTILE_QUESTION = "How many zebra credits does the Heliotrope programme grant per quarter?"
SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "images"


@pytest.fixture(scope="module")
def sample_index(sample_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The API tests' index plus the hostile-title document, ingested incrementally."""
    from ingest.pipeline import run_ingest

    copy = tmp_path_factory.mktemp("browser-index") / "index"
    shutil.copytree(sample_index, copy)
    inbox = tmp_path_factory.mktemp("browser-inbox")
    note = inbox / "heliotrope_note.md"
    note.write_text(HOSTILE_TEXT, encoding="utf-8")
    (inbox / "heliotrope_note.md.meta.json").write_text(json.dumps({"title": HOSTILE_TITLE}))
    report = run_ingest([note], Settings(data_dir=copy, workers=1))
    assert report.failed == [], report.to_json()
    return copy


@pytest.fixture(scope="module")
def sample_pipeline(sample_index: Path) -> Iterator[Any]:
    from assistant.pipeline import Pipeline

    pipeline = Pipeline.from_settings(Settings(data_dir=sample_index))
    yield pipeline
    pipeline.close()


@pytest.fixture
def settings(sample_index: Path) -> Settings:
    return Settings(data_dir=sample_index, api_rate_per_minute=1e6, api_rate_burst=10**6)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launch() as instance:
        yield instance


@pytest.fixture
def server(app: FastAPI) -> Iterator[str]:
    with serve(app) as base:
        yield base


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    with watched_page(browser) as tab:
        yield tab


def _secret(app: FastAPI, *roles: str, groups: tuple[str, ...] = ()) -> str:
    _, secret = app.state.service.keys.create(list(roles), list(groups))
    return str(secret)


def _shot(page: Any, name: str) -> None:
    if os.environ.get("DOCS_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def _char_boxes(source: str, number: int, quote: str) -> list[tuple[float, float, float, float]]:
    """The quote's character boxes in PDF points from the page's top-left, from pdfium."""
    pdf = pdfium.PdfDocument(source)
    try:
        p = pdf[number - 1]
        left, _, _, top = p.get_cropbox()
        text = p.get_textpage()
        chars = [text.get_text_range(i, 1) or " " for i in range(text.count_chars())]
        boxes = []
        for i in locate(chars, quote):
            x0, y0, x1, y1 = text.get_charbox(i)
            if x1 > x0:
                boxes.append((x0 - left, top - y1, x1 - left, top - y0))
        return boxes
    finally:
        pdf.close()


def test_sign_in_stream_cite_view_and_feedback(
    page: Any, server: str, app: FastAPI, sample_questions: list[dict[str, Any]]
) -> None:
    response = page.goto(server + "/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    _shot(page, "sign-in")
    page.fill("#api-key", "rd_nothere_0000000000")
    page.click("#signin-form button[type=submit]")
    page.wait_for_selector("#signin-error:has-text('Unknown or revoked')")

    sign_in(page, server, _secret(app, "advisor"))
    assert page.evaluate("Object.keys(sessionStorage)") == ["rd.key"]
    assert page.evaluate("document.cookie") == ""
    question = next(q for q in sample_questions if q["id"] == "sample_006")["question"]
    turn = ask(page, question)
    assert turn.get_attribute("data-outcome") == "answered"
    assert int(turn.get_attribute("data-tokens") or 0) > 0  # it streamed
    citations = turn.locator(".citations > li")
    assert citations.count() >= 1
    # The answer's [n] markers are the citations' numbers.
    refs = turn.locator(".answer .cite-ref").all_text_contents()
    numbers = {
        f"[{n}]" for n in turn.locator(".citations > li").evaluate_all("l => l.map(e => e.value)")
    }
    assert refs and set(refs) <= numbers
    _shot(page, "answer")

    entries = {e.id: e for e in app.state.service.catalog.all()}
    pdf_item = next(
        item
        for item in citations.all()
        if entries[item.get_attribute("data-document-id")].format == "pdf"
    )
    document = entries[pdf_item.get_attribute("data-document-id")]
    number = int(pdf_item.get_attribute("data-page"))
    quote = pdf_item.locator("q").text_content()
    pdf_item.locator("button").click()
    page.wait_for_selector("#viewer[open][data-state=ready]")
    assert page.locator("#viewer-status").text_content() == ""
    assert page.locator("#page-label").text_content() == f"Page {number} of {document.pages}"
    assert " ".join(quote.split()) in " ".join(
        page.locator("#page-text mark").text_content().split()
    )

    img = page.locator("#page-image").bounding_box()
    natural = page.evaluate("document.getElementById('page-image').naturalWidth")
    pixels_per_point = img["width"] / natural * 1.5  # the viewer asks for zoom 1.5
    chars = [
        (
            img["x"] + x0 * pixels_per_point,
            img["y"] + y0 * pixels_per_point,
            img["x"] + x1 * pixels_per_point,
            img["y"] + y1 * pixels_per_point,
        )
        for x0, y0, x1, y1 in _char_boxes(document.source, number, quote)
    ]
    marks = [m.bounding_box() for m in page.locator("#page-marks .mark").all()]
    assert chars and marks
    slack = 1.5 * pixels_per_point + 1.5
    for x0, y0, x1, y1 in chars:  # every character of the span is covered...
        assert any(
            m["x"] - slack <= x0
            and m["y"] - slack <= y0
            and x1 <= m["x"] + m["width"] + slack
            and y1 <= m["y"] + m["height"] + slack
            for m in marks
        ), (x0, y0, x1, y1)
    # ...and the highlight is no bigger than the span's own extent.
    assert min(m["x"] for m in marks) >= min(c[0] for c in chars) - slack
    assert max(m["x"] + m["width"] for m in marks) <= max(c[2] for c in chars) + slack
    assert min(m["y"] for m in marks) >= min(c[1] for c in chars) - slack
    assert max(m["y"] + m["height"] for m in marks) <= max(c[3] for c in chars) + slack
    _shot(page, "viewer")

    if document.pages and number < document.pages:
        page.click("#page-next")
        page.wait_for_selector(f"#page-label:has-text('Page {number + 1} of')")
        page.wait_for_selector("#viewer[open][data-state=ready]")
        assert page.locator("#page-marks .mark").count() == 0
    page.keyboard.press("Escape")
    assert page.locator("#viewer[open]").count() == 0

    turn.locator(".comment").fill("clear and cited")
    turn.locator(".rate[data-rating=up]").click()
    turn.locator(".feedback-status:has-text('recorded')").wait_for()
    trace_id = turn.get_attribute("data-trace-id")
    with app.state.service.engine.connect() as connection:
        rows = connection.execute(select(feedback).where(feedback.c.trace_id == trace_id)).all()
    assert len(rows) == 1 and rows[0].rating == "up" and rows[0].comment == "clear and cited"

    # The conversation is listed (from the server); reopening it shows its questions.
    listed = page.locator("#conversation-list button", has_text=question[:40])
    listed.wait_for()
    page.click("#new-chat")
    assert page.locator("#thread > .turn").count() == 0
    listed.click()
    page.locator("#thread .turn.earlier li", has_text=question[:40]).wait_for()

    page.click("#sign-out")
    page.wait_for_selector("#signin:not([hidden])")
    assert page.evaluate("Object.keys(sessionStorage)") == []


def test_not_found_declined_and_escalated_states(
    page: Any,
    server: str,
    app: FastAPI,
    sample_questions: list[dict[str, Any]],
    sample_pipeline: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    kinds: dict[str, list[str]] = {}
    for q in sample_questions:
        kinds.setdefault(q["question_type"], []).append(q["question"])
    sign_in(page, server, _secret(app, "advisor"))
    # The offline sample pipeline rarely abstains; a strict evidence bar makes it.
    with monkeypatch.context() as strict:
        strict.setattr(sample_pipeline, "abstain_threshold", 10.0)
        missing = ask(page, kinds["not_in_corpus"][0])
    assert missing.get_attribute("data-outcome") == "not_found"
    notice = missing.locator(".notice").text_content()
    assert "could not find this in the research library" in notice
    assert missing.locator(".citations > li").count() == 0
    assert missing.locator(".closest li").count() >= 2  # a heading and the closest documents
    declined = ask(page, kinds["off_topic"][0])
    assert declined.get_attribute("data-outcome") == "declined"
    assert declined.locator(".notice").is_visible()
    escalated = ask(page, kinds["action"][0])
    assert escalated.get_attribute("data-outcome") == "escalated"
    notice = escalated.locator(".notice").text_content()
    pending = app.state.service.approvals.list("pending")
    assert any(a.id in notice for a in pending), notice
    assert "Nothing has been executed" in notice
    _shot(page, "states")


def test_restricted_documents_never_appear(
    page: Any, server: str, app: FastAPI, sample_questions: list[dict[str, Any]]
) -> None:
    restricted = [e for e in app.state.service.catalog.all() if e.allowed_groups]
    assert restricted
    sign_in(page, server, _secret(app, "advisor"))
    for q in [q for q in sample_questions if q.get("groups")][:3]:
        ask(page, q["question"])
    shown = page.content()
    for entry in restricted:
        assert entry.id not in shown and entry.title not in shown
    probe = """async (id) => {
        const key = sessionStorage.getItem('rd.key');
        const headers = {Authorization: `Bearer ${key}`};
        const r = await fetch(`/v1/documents/${id}/pages/1/image`, {headers});
        return [r.status, await r.text()];
    }"""
    hidden = page.evaluate(probe, restricted[0].id)
    unknown = page.evaluate(probe, "0123456789abcdef")
    assert hidden == unknown and hidden[0] == 404


def test_hostile_title_and_question_are_text(page: Any, server: str, app: FastAPI) -> None:
    sign_in(page, server, _secret(app, "advisor"))
    turn = ask(page, HOSTILE_QUESTION)
    titles = turn.locator(".citations strong").all_text_contents()
    assert HOSTILE_TITLE in titles, titles
    hostile = ask(page, "<img src=x onerror=alert(1)> what is the zebra credit allowance?")
    assert hostile.locator(".question").text_content().startswith("<img src=x")
    assert page.locator("img[src='x']").count() == 0  # the page fixture fails on any dialog


def test_phone_width_and_expired_key(
    browser: Any, server: str, app: FastAPI, sample_questions: list[dict[str, Any]]
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    try:
        page = context.new_page()
        secret = _secret(app, "advisor")
        sign_in(page, server, secret)
        question = next(q for q in sample_questions if q["id"] == "sample_006")["question"]
        turn = ask(page, question)
        width = "document.documentElement.scrollWidth"
        assert page.evaluate(width) <= 390
        _shot(page, "phone")
        turn.locator(".citations button").first.click()
        page.wait_for_selector("#viewer[open][data-state=ready]")
        assert page.evaluate(width) <= 390
        page.keyboard.press("Escape")

        key_id = secret.split("_")[1]
        app.state.service.keys.revoke(key_id)
        page.fill("#question", "Which products are rated 5?")
        page.press("#question", "Enter")
        page.wait_for_selector("#signin:not([hidden])")
        assert "refused" in page.locator("#signin-error").text_content()
        sign_in(page, server, _secret(app, "advisor"))
        assert page.input_value("#question") == "Which products are rated 5?"
    finally:
        context.close()


def test_rate_limited_question_offers_a_retry(page: Any, make_app: Any, sample_index: Path) -> None:
    limited = make_app(Settings(data_dir=sample_index, api_rate_per_minute=1, api_rate_burst=2))
    with serve(limited) as base:
        sign_in(page, base, _secret(limited, "advisor"))  # the sign-in and the list: 2 requests
        page.locator("#conversation-list li").first.wait_for()
        page.fill("#question", "Which products are rated 5?")
        page.press("#question", "Enter")
        turn = page.locator("#thread > .turn.failed")
        turn.wait_for()
        assert "Too many requests. Retry in" in turn.locator(".status").text_content()
        assert turn.locator(".retry").is_visible()
        assert page.locator("#chat:not([hidden])").count() == 1  # still signed in
