"""/healthz (the process answers), /readyz (index and models loaded), /metrics."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST
from starlette.concurrency import run_in_threadpool

from assistant.api.deps import State
from assistant.api.holder import IndexUnavailableError

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """Liveness: the process serves requests."""
    return {"status": "ok"}


def _ready(state: State) -> bool:
    try:
        with state.holder.use() as pipeline:
            return pipeline.ready()
    except IndexUnavailableError:
        return False


@router.get(
    "/readyz",
    responses={503: {"description": "Not ready: the index is empty or models are not loaded."}},
)
async def readyz(state: State) -> JSONResponse:
    """Readiness: the index opens and the embedding model answers."""
    ready = await run_in_threadpool(_ready, state)
    state.metrics.ready.set(1 if ready else 0)
    if ready:
        return JSONResponse({"status": "ready", "index": state.settings.index})
    return JSONResponse(
        {"status": "not ready", "detail": "the index is empty or cannot be opened"},
        status_code=503,
        headers={"Retry-After": str(state.settings.api_retry_after_s)},
    )


@router.get("/metrics", response_class=Response)
async def metrics(state: State) -> Response:
    """Prometheus text format."""
    return Response(state.metrics.render(), media_type=CONTENT_TYPE_LATEST)
