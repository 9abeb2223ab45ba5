"""The chat page's harder states in a real browser: disclaimer, 503/429, Stop, a dropped
stream, a key revoked mid-conversation, and the text viewer of page-less documents.

One uvicorn server and one Chromium serve the whole module. The server's pipeline is the
sample pipeline behind a switch (slow tokens, or an error), and the app sits behind an
ASGI wrapper that can answer for it (a 503 or 429 from an overloaded front) or cut a
stream's connection after a few tokens, the way a proxy or a network drop would.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from assistant.api import create_app
from assistant.api.holder import IndexUnavailableError
from core.settings import Settings
from ingest.store import SearchFilter
from tests.assistant.api.browser import ask, launch, serve, sign_in, watched_page
from tests.assistant.api.conftest import SharedPipeline

pytestmark = [pytest.mark.slow, pytest.mark.integration]

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]

LONG_QUESTION = (
    "What extra review is required when recommending a product rated 4 or 5 to a client aged 75?"
)
LOW_QUESTION = "What is the minimum password length in the firm's information security policy?"
MEDIUM_QUESTION = (
    "Is the Global Income Fund suitable for my client Mrs Chen, of Balanced risk profile?"
)


class Switched:
    """The sample pipeline; ``delay`` streams it word by word, ``error`` makes ``ask`` raise."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self.delay = 0.0
        self.error: Exception | None = None
        self.emitted = 0
        self.done = threading.Event()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def ask(self, question: str, *, on_token: Any = None, **kwargs: Any) -> Any:
        self.emitted = 0
        self.done.clear()
        try:
            if self.error is not None:
                raise self.error
            if not self.delay or on_token is None:
                return self._inner.ask(question, on_token=on_token, **kwargs)

            def slow(token: str) -> None:  # word by word, as a language model streams
                for word in re.findall(r"\s*\S+\s*", token) or [token]:
                    time.sleep(self.delay)
                    on_token(word)
                    self.emitted += 1

            return self._inner.ask(question, on_token=slow, **kwargs)
        finally:
            self.done.set()


class Faults:
    """ASGI wrapper: answers ``/v1/chat`` itself (``reply``) or cuts its stream's connection
    after ``cut_after`` token events; each fault applies to the next chat request only."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self.reply: tuple[int, dict[str, str], dict[str, Any]] | None = None
        self.cut_after: int | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != "/v1/chat":
            await self.app(scope, receive, send)
            return
        reply, self.reply = self.reply, None
        if reply is not None:
            status, headers, body = reply
            raw = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
            raw.append((b"content-type", b"application/json"))
            await send({"type": "http.response.start", "status": status, "headers": raw})
            await send({"type": "http.response.body", "body": json.dumps(body).encode()})
            return
        cut, self.cut_after = self.cut_after, None
        tokens = 0

        async def cutting(message: MutableMapping[str, Any]) -> None:
            nonlocal tokens
            if cut is not None and b"event: token" in message.get("body", b""):
                tokens += 1
                if tokens > cut:  # uvicorn drops a connection whose app fails mid-response
                    raise ConnectionAbortedError("connection cut by the test")
            await send(message)

        await self.app(scope, receive, cutting)


@pytest.fixture(scope="module")
def switched(sample_pipeline: Any) -> Switched:
    sample_pipeline.ask(LOW_QUESTION)  # loads the models, so waits below time the stream only
    return Switched(sample_pipeline)


@pytest.fixture(scope="module")
def service(sample_index: Any, switched: Switched) -> FastAPI:
    settings = Settings(data_dir=sample_index, api_rate_per_minute=1e6, api_rate_burst=10**6)
    return create_app(settings, pipeline_factory=lambda: SharedPipeline(switched))


@pytest.fixture(scope="module")
def faults(service: FastAPI) -> Faults:
    return Faults(service)


@pytest.fixture(scope="module")
def server(faults: Faults) -> Iterator[str]:
    with serve(faults) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launch() as instance:
        yield instance


@pytest.fixture
def page(browser: Any, switched: Switched, faults: Faults) -> Iterator[Any]:
    with watched_page(browser) as tab:
        yield tab
    switched.delay, switched.error = 0.0, None
    faults.reply, faults.cut_after = None, None


def _secret(app: FastAPI, *roles: str) -> str:
    _, secret = app.state.service.keys.create(list(roles), [])
    return str(secret)


def _send(page: Any, question: str) -> Any:
    """Send ``question`` without waiting for an answer; the new turn's locator."""
    count = page.locator("#thread > .turn").count()
    page.fill("#question", question)
    page.press("#question", "Enter")
    return page.locator("#thread > .turn").nth(count)


def _shot(page: Any, name: str) -> None:
    """A screenshot for the README under docs/images/, when DOCS_SCREENSHOTS=1."""
    if os.environ.get("DOCS_SCREENSHOTS") == "1":
        page.screenshot(path=str(Path(__file__).resolve().parents[3] / "docs" / "images" / name))


def _squash(text: str) -> str:
    return " ".join(text.split())


def test_medium_risk_answer_shows_the_disclaimer(page: Any, server: str, service: FastAPI) -> None:
    sign_in(page, server, _secret(service, "advisor"))
    turn = ask(page, MEDIUM_QUESTION)
    assert turn.get_attribute("data-outcome") == "answered"
    assert turn.get_attribute("data-tier") == "medium"
    notice = turn.locator(".notice")
    assert notice.is_visible() and "disclaimer" in notice.text_content()
    disclaimer = service.state.service.settings.api_disclaimer
    assert _squash(turn.locator(".answer").text_content()).endswith(_squash(disclaimer))
    low = ask(page, LOW_QUESTION)  # a plain research question carries no notice
    assert low.get_attribute("data-tier") == "low" and not low.locator(".notice").is_visible()


def test_unavailable_and_rate_limited_show_when_to_retry(
    page: Any, server: str, service: FastAPI, switched: Switched, faults: Faults
) -> None:
    sign_in(page, server, _secret(service, "advisor"))
    # The index is unavailable while answering: a 503 inside the stream (an error event).
    switched.error = IndexUnavailableError("index being rebuilt")
    turn = _send(page, LONG_QUESTION)
    turn.locator("xpath=self::*[@data-state='failed']").wait_for()
    retry_s = service.state.service.settings.api_retry_after_s
    status = turn.locator(".status").text_content()
    assert "The service is unavailable: the research index is unavailable" in status
    assert f"Retry in {retry_s} seconds." in status
    assert "index being rebuilt" not in page.content()  # the server's detail stays in its log
    switched.error = None
    turn.locator(".retry").click()
    turn.locator("xpath=self::*[@data-outcome='answered']").wait_for(timeout=120_000)
    assert turn.get_attribute("data-state") is None
    assert not turn.locator(".actions").is_visible()

    # An overloaded front answers 503, then 429, before any stream starts.
    fronts = ((503, "The service is unavailable: overloaded."), (429, "Too many requests."))
    for status_code, text in fronts:
        faults.reply = (status_code, {"Retry-After": "42"}, {"detail": "overloaded"})
        failed = _send(page, "Which products are rated 5?")
        failed.locator("xpath=self::*[@data-state='failed']").wait_for()
        assert failed.locator(".status").text_content() == f"{text} Retry in 42 seconds."
        assert failed.locator(".retry").is_visible()
        assert page.input_value("#question") == "Which products are rated 5?"  # not lost
    assert page.locator("#chat:not([hidden])").count() == 1  # still signed in


def test_stop_keeps_what_arrived_and_stops_the_server(
    page: Any, server: str, service: FastAPI, switched: Switched
) -> None:
    sign_in(page, server, _secret(service, "advisor"))
    switched.delay = 0.15
    turn = _send(page, LONG_QUESTION)
    page.wait_for_function(
        "() => Number(document.querySelector('#thread > .turn:last-child').dataset.tokens) >= 3",
        timeout=120_000,
    )
    assert page.locator("#stop").is_visible()
    page.click("#stop")
    turn.locator("xpath=self::*[@data-state='stopped']").wait_for()
    arrived = turn.locator(".answer").text_content()
    assert arrived.strip()
    assert turn.locator(".status").text_content() == "Stopped. What arrived is shown above."
    assert switched.done.wait(5), "the server kept generating after Stop"
    stopped_at = switched.emitted
    time.sleep(4 * switched.delay)
    assert switched.emitted == stopped_at
    assert turn.locator(".answer").text_content() == arrived  # nothing more arrives
    assert turn.get_attribute("data-outcome") is None
    assert page.locator("#stop").is_hidden() and page.locator("#send").is_enabled()
    assert turn.locator(".retry").is_visible()


def test_dropped_connection_keeps_what_arrived_and_retries(
    page: Any, server: str, service: FastAPI, switched: Switched, faults: Faults
) -> None:
    sign_in(page, server, _secret(service, "advisor"))
    switched.delay = 0.05
    faults.cut_after = 3
    turn = _send(page, LONG_QUESTION)
    turn.locator("xpath=self::*[@data-state='disconnected']").wait_for(timeout=60_000)
    assert turn.get_attribute("data-tokens") == "3"
    assert turn.locator(".answer").text_content().strip()
    status = turn.locator(".status").text_content()
    assert status.startswith("Connection lost before the answer was complete (")
    assert status.endswith("What arrived is shown above.")
    _shot(page, "interrupted.png")
    turn.locator(".retry").click()
    turn.locator("xpath=self::*[@data-outcome='answered']").wait_for(timeout=120_000)
    assert turn.locator(".citations > li").count() >= 1
    assert turn.get_attribute("data-state") is None


def test_key_revoked_mid_conversation_keeps_the_question(
    page: Any, server: str, service: FastAPI
) -> None:
    secret = _secret(service, "advisor")
    sign_in(page, server, secret)
    first = ask(page, LONG_QUESTION)
    assert first.get_attribute("data-outcome") == "answered"
    service.state.service.keys.revoke(secret.split("_")[1])
    follow_up = "And who carries out that review?"
    page.fill("#question", follow_up)
    page.press("#question", "Enter")
    page.wait_for_selector("#signin:not([hidden])")
    assert "refused" in page.locator("#signin-error").text_content()
    assert page.evaluate("sessionStorage.getItem('rd.key')") is None

    page.fill("#api-key", _secret(service, "advisor"))  # in the same tab, no reload
    page.click("#signin-form button[type=submit]")
    page.wait_for_selector("#chat:not([hidden])")
    assert page.input_value("#question") == follow_up
    assert page.locator("#thread > .turn").first.get_attribute("data-outcome") == "answered"
    # The old conversation belongs to the revoked key: the question starts a new one.
    turn = ask(page, follow_up)
    assert turn.get_attribute("data-outcome") in {"answered", "not_found"}
    assert "started a new conversation" in turn.locator(".status").text_content()
    page.locator("#conversation-list button", has_text=follow_up[:30]).wait_for()


@pytest.mark.parametrize(
    ("question_id", "format_"),
    [("sample_019", "md"), ("sample_011", "docx"), ("sample_001", "html")],
)
def test_page_less_citation_shows_its_section_with_the_span(
    page: Any,
    server: str,
    service: FastAPI,
    sample_questions: list[dict[str, Any]],
    question_id: str,
    format_: str,
) -> None:
    sign_in(page, server, _secret(service, "advisor"))
    question = next(q for q in sample_questions if q["id"] == question_id)["question"]
    turn = ask(page, question)
    entries = {e.id: e for e in service.state.service.catalog.all()}
    item = next(
        i
        for i in turn.locator(".citations > li").all()
        if entries[i.get_attribute("data-document-id")].format == format_
    )
    document = entries[item.get_attribute("data-document-id")]
    quote = item.locator("q").text_content()
    item.locator("button").click()
    page.wait_for_selector("#viewer[open][data-state=ready]")
    assert page.locator("#viewer-status").text_content() == ""
    assert page.locator("#page-image").is_hidden() and page.locator("#page-figure").is_hidden()
    assert page.locator("#page-prev").is_hidden() and page.locator("#page-next").is_hidden()

    # The expected section: every indexed chunk of the cited chunk's section, from the store.
    with service.state.service.holder.use() as pipeline:
        store, collection = pipeline.searcher.store, pipeline.searcher.collection
        hits = store.scroll(
            collection,
            SearchFilter(document_ids=(document.id,)),
            fields=("chunk_id", "section", "text"),
        )
    chunks = [h.payload for h in hits]
    data = page.evaluate(
        """async (id) => {
        const headers = {Authorization: `Bearer ${sessionStorage.getItem('rd.key')}`};
        const r = await fetch(`/v1/documents/${id}/pages/1`, {headers});
        return r.json();
    }""",
        document.id,
    )
    cited_id = item.get_attribute("data-chunk-id")
    section = next(c["section"] for c in chunks if c["chunk_id"] == cited_id)
    assert page.locator("#page-label").text_content() == f"Section “{section}”"
    shown = _squash(page.locator("#page-text").text_content())
    inside = [_squash(c["text"]) for c in chunks if c["section"] == section]
    outside = [_squash(c["text"]) for c in chunks if c["section"] != section]
    assert all(text in shown for text in inside)
    assert not any(text in shown for text in outside if text not in " ".join(inside))
    assert _squash(page.locator("#page-text mark").text_content()) == _squash(quote)
    if format_ == "md":
        _shot(page, "section.png")

    page.click("#text-scope")
    page.wait_for_selector("#page-label:has-text('Whole document')")
    page.wait_for_selector("#viewer[open][data-state=ready]")
    assert _squash(page.locator("#page-text").text_content()) == _squash(data["text"])
    assert _squash(page.locator("#page-text mark").text_content()) == _squash(quote)
    page.keyboard.press("Escape")
