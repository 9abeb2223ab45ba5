"""The research library as an MCP server: tools ``search``, ``ask`` and ``get_page``.

Built on the official ``mcp`` SDK over the same service state as the HTTP API, so keys,
roles, rate limits, entitlements and the audit trail are the API's own:

- streamable HTTP at ``/mcp`` in the FastAPI app: every request carries
  ``Authorization: Bearer <key>``, checked before the MCP layer sees it (401), and each
  tool call resolves its principal from that request's header again;
- stdio (``researchdesk mcp``): one key for the process, from ``RESEARCHDESK_API_KEY``,
  verified at start-up and again on every call (a revoked key stops working at once).

A restricted document is invisible through every tool: searches and answers run with the
caller's groups inside the store query, and ``get_page`` reads exactly like the HTTP page
endpoint (an unknown id and a restricted one give the same error).
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from fastapi import FastAPI
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.streamable_http_manager import StreamableHTTPASGIApp
from mcp.server.transport_security import TransportSecuritySettings
from starlette.concurrency import run_in_threadpool
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from assistant.api.answering import ChatService
from assistant.api.errors import describe
from assistant.api.ratelimit import retry_after
from assistant.api.routes.documents import _page
from assistant.api.routes.search import _search
from assistant.api.schemas.search import SearchRequest
from assistant.api.state import ServiceState
from assistant.keys import Principal, Role
from core.errors import NotFoundError

INSTRUCTIONS = (
    "ResearchDesk answers questions from the firm's research library with citations. "
    "Use `ask` for a cited answer, `search` for ranked passages, and `get_page` to read "
    "a cited page (document id and 1-based page from a citation)."
)
MAX_QUERY_CHARS = 4000
log = logging.getLogger("assistant.api")


def _bearer(headers: Any) -> str | None:
    value = headers.get("authorization") if headers is not None else None
    if not value or not value.lower().startswith("bearer "):
        return None
    return str(value[7:].strip())


def _tool_error(exc: Exception, state: ServiceState) -> ToolError:
    """The HTTP API's status and words for a library error; an unexpected one is logged."""
    status, detail, _ = describe(exc, state.settings.api_retry_after_s)
    if status == 500:
        trace_id = uuid.uuid4().hex
        log.error("mcp tool failed [trace %s]", trace_id, exc_info=exc)
        return ToolError(f"500: internal error (trace {trace_id})")
    return ToolError(f"{status}: {detail}")


def build_server(state: ServiceState, stdio_key: str | None = None) -> MCPServer:
    """An MCPServer whose tools act as the calling key; ``stdio_key`` for stdio mode."""
    # The SDK calls logging.basicConfig at this level: keep it from turning on INFO logs.
    server = MCPServer(
        "researchdesk", instructions=INSTRUCTIONS, version="1.0.0", log_level="WARNING"
    )

    def principal_of(ctx: Context, role: Role | None) -> Principal:
        key = _bearer(ctx.headers) if ctx.headers is not None else stdio_key
        if key is None:
            raise ToolError("missing API key: send Authorization: Bearer <key>")
        try:
            principal = state.keys.verify(key)
        except NotFoundError:
            raise ToolError("unknown or revoked API key") from None
        if role is not None and not principal.has(role):
            raise ToolError(f"this needs the {role} role")
        return principal

    async def guarded(work: Callable[[], Any]) -> Any:
        try:
            return await run_in_threadpool(work)
        except ToolError:
            raise
        except Exception as exc:  # library errors become the API's own words
            raise _tool_error(exc, state) from None

    @server.tool(description="Hybrid search over the documents your key may see.")
    async def search(query: str, ctx: Context, k: int = 10) -> dict[str, Any]:
        if not query.strip() or len(query) > MAX_QUERY_CHARS:
            raise ToolError(f"query must be 1 to {MAX_QUERY_CHARS} characters")
        if not 1 <= k <= 50:
            raise ToolError("k must be between 1 and 50")

        def work() -> dict[str, Any]:
            principal = principal_of(ctx, "advisor")
            return _search(state, principal, SearchRequest(query=query, k=k)).model_dump()

        result: dict[str, Any] = await guarded(work)
        return result

    @server.tool(
        description="A cited answer from the research library (or a refusal or escalation)."
    )
    async def ask(
        question: str, ctx: Context, conversation_id: str | None = None
    ) -> dict[str, Any]:
        if not question.strip() or len(question) > MAX_QUERY_CHARS:
            raise ToolError(f"question must be 1 to {MAX_QUERY_CHARS} characters")
        service = ChatService(state)

        def open_turn() -> Any:
            principal = principal_of(ctx, "advisor")
            return service.open_turn(principal, question, conversation_id)

        turn = await guarded(open_turn)
        try:
            response = await service.respond(turn)
        except Exception as exc:
            raise _tool_error(exc, state) from None
        return response.model_dump()

    @server.tool(description="The text of page `page` (1-based) of a document you may see.")
    async def get_page(document_id: str, page: int, ctx: Context) -> dict[str, Any]:
        if not 1 <= page <= 100_000 or not document_id or len(document_id) > 64:
            raise ToolError("404: not found")

        def work() -> dict[str, Any]:
            principal = principal_of(ctx, None)
            return _page(state, principal, document_id, page).model_dump()

        result: dict[str, Any] = await guarded(work)
        return result

    return server


class _KeyGate:
    """401 without a valid key and 429 over the key's rate, before MCP parses anything."""

    def __init__(self, state: ServiceState) -> None:
        self.app: StreamableHTTPASGIApp | None = None  # set at each start-up
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        key = _bearer(headers)
        status, detail, extra = 0, "", list[tuple[bytes, bytes]]()
        if key is None:
            status, detail = 401, "missing API key: send Authorization: Bearer <key>"
        else:
            try:
                principal = await run_in_threadpool(self.state.keys.verify, key)
            except NotFoundError:
                status, detail = 401, "unknown or revoked API key"
            else:
                wait = self.state.limiter.take(principal.id)
                if wait > 0:
                    self.state.metrics.rate_limited.inc()
                    status, detail = 429, "rate limit exceeded for this API key; retry later"
                    extra = [(b"retry-after", retry_after(wait).encode())]
        inner = self.app
        if not status and inner is None:
            status, detail = 503, "the MCP endpoint is not started (the app's lifespan has not run)"
        if status or inner is None:
            body = json.dumps({"detail": detail}).encode()
            head = [(b"content-type", b"application/json")]
            if status == 401:
                head.append((b"www-authenticate", b"Bearer"))
            await send({"type": "http.response.start", "status": status, "headers": head + extra})
            await send({"type": "http.response.body", "body": body})
            return
        await inner(scope, receive, send)


def mount(app: FastAPI, state: ServiceState) -> Callable[[], AbstractAsyncContextManager[None]]:
    """Serve MCP at ``/mcp`` in ``app``; returns the session manager's lifespan to enter."""
    server = build_server(state)
    gate = _KeyGate(state)
    app.router.routes.append(Route("/mcp", endpoint=gate, methods=["GET", "POST", "DELETE"]))

    @asynccontextmanager
    async def running() -> AsyncIterator[None]:
        # A session manager runs once, and an app may start more than once (tests do):
        # each start-up gets its own. The key gate stands before every request, so
        # DNS-rebinding protection (meant for unauthenticated local servers) would only
        # refuse legitimate hosts behind a proxy.
        server.streamable_http_app(
            streamable_http_path="/mcp",
            stateless_http=True,
            json_response=True,
            transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=False),
        )
        gate.app = StreamableHTTPASGIApp(server.session_manager)
        try:
            async with server.session_manager.run():
                yield
        finally:
            gate.app = None

    return running
