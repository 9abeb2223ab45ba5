"""``create_app``: the FastAPI service, assembled from settings and a pipeline factory.

Tests pass a ``pipeline_factory`` built over a small index; ``researchdesk serve`` uses the
default, ``Pipeline.from_settings``. The pipeline loads in the background at start-up, so
``/healthz`` answers at once and ``/readyz`` turns ready when the models are loaded.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from assistant.api import errors, mcp
from assistant.api.holder import IndexUnavailableError, PipelineFactory, PipelineHolder
from assistant.api.jobs import JobRunner
from assistant.api.metrics import Metrics
from assistant.api.middleware import PRIVATE_DOCS, BodyLimit, KeyRequired, RequestMetrics
from assistant.api.ratelimit import RateLimiter
from assistant.api.routes import admin, approvals, chat, documents, feedback, health, jobs, search
from assistant.api.routes.conversations import router as conversations_router
from assistant.api.routes.pages import router as page_images_router
from assistant.api.routes.web import router as web_router
from assistant.api.state import ServiceState
from assistant.approvals import ApprovalQueue
from assistant.audit import AuditLog
from assistant.conversations import Conversations
from assistant.keys import KeyStore
from assistant.tables import open_database
from core.settings import Settings
from ingest.catalog import Catalog
from ingest.jobs import JobLog

log = logging.getLogger("assistant.api")

DESCRIPTION = """\
Grounded answers from the firm's research library, with citations to document and page.

Authenticate with `Authorization: Bearer <key>` (`researchdesk keys create`). Roles:
`advisor` (chat, search, feedback), `data` (ingestion, deleting documents), `reviewer`
(approvals), `admin` (traces, audit); any role may read documents. A document restricted
to some groups is invisible to everyone else, through every endpoint.
"""


def _default_factory(settings: Settings) -> PipelineFactory:
    def load() -> object:
        from assistant.pipeline import Pipeline

        return Pipeline.from_settings(settings)

    return load  # type: ignore[return-value]


def create_app(settings: Settings, pipeline_factory: PipelineFactory | None = None) -> FastAPI:
    """A ready-to-serve app; nothing is loaded until start-up (or the first request)."""
    engine = open_database(settings.resolved_database_url)
    holder = PipelineHolder(pipeline_factory or _default_factory(settings))
    metrics = Metrics()
    state = ServiceState(
        settings=settings,
        engine=engine,
        holder=holder,
        keys=KeyStore(engine),
        audit=AuditLog(engine),
        approvals=ApprovalQueue(engine),
        conversations=Conversations(engine),
        catalog=Catalog(engine, settings.index),
        jobs=JobRunner(settings, holder, JobLog(engine)),
        limiter=RateLimiter(settings.api_rate_per_minute, settings.api_rate_burst),
        metrics=metrics,
        auth_failures=RateLimiter(
            settings.api_auth_failures_per_minute,
            max(1, int(settings.api_auth_failures_per_minute)),
        ),
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        loading = asyncio.create_task(asyncio.to_thread(_warm, holder))
        try:
            async with mcp_running():  # the MCP endpoint's session manager
                yield
        finally:
            if not loading.done():
                loading.cancel()
            await asyncio.to_thread(holder.close)
            engine.dispose()

    app = FastAPI(
        title="ResearchDesk",
        version="1.0.0",
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.service = state
    errors.install(app, settings.api_retry_after_s)
    mcp_running = mcp.mount(app, state)
    for router in (
        chat.router,
        search.router,
        documents.router,
        jobs.router,
        feedback.router,
        approvals.router,
        admin.router,
        health.router,
        page_images_router,
        conversations_router,
        web_router,
    ):
        app.include_router(router)
    # Outermost last: metrics see every response, including the body limit's 413.
    if settings.api_private_docs:
        app.add_middleware(
            KeyRequired, keys=state.keys, paths=PRIVATE_DOCS, failures=state.auth_failures
        )
    app.add_middleware(BodyLimit, max_bytes=settings.api_max_body_bytes)
    app.add_middleware(RequestMetrics, metrics=metrics)
    return app


def _warm(holder: PipelineHolder) -> None:
    try:
        with holder.use() as pipeline:
            pipeline.ready()
    except IndexUnavailableError as exc:
        log.warning("not ready: %s", exc)
