"""Library errors become HTTP statuses here, and only here; no stack trace leaves the server.

NotFoundError -> 404 (the same for unknown and not-visible), unavailable back-ends -> 503
with Retry-After, invalid bodies -> 422 with one entry per field, anything unexpected ->
500 with a trace id that points to the server log.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.api.holder import IndexUnavailableError
from core.errors import (
    CatalogError,
    ConfigError,
    GeneratorError,
    NotFoundError,
    StoreError,
)

log = logging.getLogger("assistant.api")


def problem(
    status: int, detail: str, headers: dict[str, str] | None = None, **extra: Any
) -> JSONResponse:
    return JSONResponse({"detail": detail, **extra}, status_code=status, headers=headers)


def unavailable(detail: str, retry_after_s: int | None) -> JSONResponse:
    headers = {"Retry-After": str(retry_after_s)} if retry_after_s is not None else None
    return problem(503, detail, headers)


def describe(exc: Exception, retry_after_s: int) -> tuple[int, str, int | None]:
    """(status, message, retry-after) for a library error; shared with the SSE error event."""
    if isinstance(exc, NotFoundError):
        return 404, "not found", None
    if isinstance(exc, GeneratorError):
        if exc.retryable:
            return 503, "the language model is unavailable; retry later", retry_after_s
        return 503, "the language model is misconfigured; an operator must fix it", None
    if isinstance(exc, StoreError | IndexUnavailableError):
        return 503, "the research index is unavailable; retry later", retry_after_s
    if isinstance(exc, CatalogError):
        return 503, "the service database is unavailable; retry later", retry_after_s
    if isinstance(exc, ConfigError):
        return 503, "the service is misconfigured; an operator must fix it", None
    return 500, "internal error", None


def install(app: FastAPI, retry_after_s: int) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {
                "field": ".".join(str(part) for part in e["loc"]),
                "message": e["msg"],
                "type": e["type"],
            }
            for e in exc.errors()
        ]
        return problem(422, "invalid request", errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return problem(exc.status_code, str(exc.detail), dict(exc.headers or {}))

    async def library_error(request: Request, exc: Exception) -> JSONResponse:
        status, message, retry = describe(exc, retry_after_s)
        if status == 404:
            return problem(404, "not found")
        trace_id = uuid.uuid4().hex
        # The library message may name hosts or paths: it goes to the log, not the client.
        log.error("%s %s -> %d [%s]: %s", request.method, request.url.path, status, trace_id, exc)
        headers = {"Retry-After": str(retry)} if retry is not None else None
        return problem(status, message, headers, trace_id=trace_id)

    for error in (
        NotFoundError,
        GeneratorError,
        StoreError,
        CatalogError,
        ConfigError,
        IndexUnavailableError,
    ):
        app.add_exception_handler(error, library_error)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        trace_id = uuid.uuid4().hex
        log.exception("unhandled error on %s %s [%s]", request.method, request.url.path, trace_id)
        return problem(500, "internal error; quote the trace id to an operator", trace_id=trace_id)
