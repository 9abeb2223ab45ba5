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
from fastapi import FastAPI

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
def serve(app: FastAPI) -> Iterator[str]:
    """``app`` under uvicorn on a free loopback port; yields its base URL."""
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
