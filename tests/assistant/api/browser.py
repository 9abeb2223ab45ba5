"""Helpers of the browser tests: a uvicorn server on loopback and Debian's Chromium.

Playwright drives the system's ``chromium`` (``executable_path``): nothing downloads a
browser. A missing Chromium fails with the command that installs it.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn

CHROMIUM_NAMES = ("chromium", "chromium-browser")


def chromium_path() -> str:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise RuntimeError(
        "Chromium is not installed: apt-get install -y chromium (the browser tests drive "
        "Debian's Chromium through Playwright; .ci/run installs it)"
    )


@contextmanager
def launch() -> Iterator[Any]:
    """Debian's Chromium under Playwright (one per test module: starting it costs ~1 s)."""
    from playwright import sync_api

    with sync_api.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"])
        try:
            yield instance
        finally:
            instance.close()


@contextmanager
def watched_page(browser: Any, **context: Any) -> Iterator[Any]:
    """A tab in a fresh context that fails the test if a dialog opened or a script threw."""
    context.setdefault("viewport", {"width": 1280, "height": 900})
    ctx = browser.new_context(**context)
    tab = ctx.new_page()
    dialogs: list[str] = []
    errors: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    tab.on("dialog", on_dialog)
    tab.on("pageerror", lambda e: errors.append(str(e)))
    try:
        yield tab
    finally:
        ctx.close()
    assert not dialogs, f"a script ran: {dialogs}"
    assert not errors, f"page errors: {errors}"


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """An ASGI ``app`` under uvicorn on a free loopback port; yields its base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def sign_in(page: Any, base: str, secret: str) -> None:
    page.goto(base + "/")
    page.fill("#api-key", secret)
    page.click("#signin-form button[type=submit]")
    page.wait_for_selector("#chat:not([hidden])")


def ask(page: Any, question: str, timeout_ms: int = 120_000) -> Any:
    """Type ``question``, send it with Enter, wait for the final answer; the turn's locator."""
    count = page.locator("#thread > .turn").count()
    page.fill("#question", question)
    page.press("#question", "Enter")
    turn = page.locator("#thread > .turn").nth(count)
    turn.locator("xpath=self::*[@data-outcome]").wait_for(timeout=timeout_ms)
    return turn
