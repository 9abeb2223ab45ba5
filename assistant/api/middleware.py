"""ASGI middleware: a byte limit on request bodies (before parsing), request metrics, and
an optional key check for the documentation and metrics endpoints.

Both are plain ASGI rather than ``BaseHTTPMiddleware`` so streamed responses pass through
untouched and the body limit applies before FastAPI reads or parses a single byte.
"""

from __future__ import annotations

import json
import time
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.api.metrics import Metrics
from assistant.api.ratelimit import RateLimiter
from assistant.keys import KeyStore
from core.errors import NotFoundError

_BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


async def _reply(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """413 for a body over ``max_bytes``: by Content-Length, or while reading a chunked one."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        if b"content-length" in headers and b"transfer-encoding" in headers:
            # Two framings of one body is how requests are smuggled past a proxy.
            await _reply(
                send, 400, "a request may not carry both Content-Length and Transfer-Encoding"
            )
            return
        if scope["method"] not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        too_big = f"the request body is larger than {self.max_bytes} bytes"
        declared = headers.get(b"content-length")
        if declared is not None:
            if not declared.isdigit():
                await _reply(send, 400, "invalid Content-Length header")
                return
            if int(declared) > self.max_bytes:
                await _reply(send, 413, too_big)
                return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await _reply(send, 413, too_big)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


class RequestMetrics:
    """Counts and times every request by route template (not raw path: ids stay out)."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def observe(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, observe)
        finally:
            route: Any = scope.get("route")
            template = getattr(route, "path", None) or "unmatched"
            method = scope["method"]
            self.metrics.requests.labels(template, method, str(status)).inc()
            self.metrics.latency.labels(template, method).observe(time.perf_counter() - started)


PRIVATE_DOCS = frozenset({"/metrics", "/docs", "/docs/oauth2-redirect", "/redoc", "/openapi.json"})


class KeyRequired:
    """401 on ``paths`` without a valid API key (any role); RESEARCHDESK_API_PRIVATE_DOCS."""

    def __init__(
        self, app: ASGIApp, keys: KeyStore, paths: frozenset[str], failures: RateLimiter
    ) -> None:
        self.app = app
        self.keys = keys
        self.paths = paths
        self.failures = failures  # shared with the API's own key check: one guess budget

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] in self.paths:
            address = scope["client"][0] if scope.get("client") else "unknown"
            if self.failures.peek(address) > 0:
                await _reply(send, 429, "too many invalid API keys from this address; retry later")
                return
            value = dict(scope["headers"]).get(b"authorization", b"").decode("latin-1")
            scheme, _, key = value.partition(" ")
            if scheme.lower() != "bearer" or not key.strip():
                await _reply(
                    send, 401, "this endpoint needs an API key: send Authorization: Bearer <key>"
                )
                return
            try:
                await run_in_threadpool(self.keys.verify, key.strip())
            except NotFoundError:
                self.failures.take(address)
                await _reply(send, 401, "unknown or revoked API key")
                return
        await self.app(scope, receive, send)
