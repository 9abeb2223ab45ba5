"""POST /v1/search: ranked passages the caller may see."""

from __future__ import annotations

import time
import uuid

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from assistant.api.deps import Advisor, State, user_of
from assistant.api.documents import gated_by
from assistant.api.paths import shown_source
from assistant.api.routes.chat import _ERRORS
from assistant.api.schemas.chat import citation_link
from assistant.api.schemas.search import SearchHit, SearchRequest, SearchResponse
from assistant.audit import AuditRecord
from assistant.governance import mask_personal_data
from assistant.keys import Principal

router = APIRouter(prefix="/v1", tags=["search"])


def _search(state: State, principal: Principal, body: SearchRequest) -> SearchResponse:
    masked = mask_personal_data(body.query)
    started = time.perf_counter()
    with state.holder.use() as pipeline:
        result = pipeline.search(masked.text, k=body.k, user=user_of(principal))
    data = result.to_json()
    root = state.settings.api_ingest_root
    hits = [
        SearchHit(
            **{**row, "source": shown_source(row["source"], root)},
            link=citation_link(row["document_id"], row["page_start"]),
        )
        for row in data["results"]
    ]
    trace_id = uuid.uuid4().hex
    timings = dict(result.timings_ms)
    timings["service_total"] = round((time.perf_counter() - started) * 1000, 2)
    state.audit.record(
        AuditRecord(
            trace_id=trace_id,
            kind="search",
            principal=principal.id,
            principal_name=principal.name,
            status="ok",
            groups=principal.groups,
            gated_by=gated_by(state.catalog, principal.groups),
            question=masked.text,
            retrieved_chunk_ids=tuple(p.chunk_id for p in result.passages),
            timings_ms=timings,
            guardrails={"masked": list(masked.found)},
        )
    )
    return SearchResponse(
        trace_id=trace_id,
        query=masked.text,
        results=hits,
        routed_documents=data["routed_documents"],
        queries=data["queries"],
        timings_ms=timings,
        masked=list(masked.found),
    )


@router.post("/search", response_model=SearchResponse, responses=_ERRORS)
async def search(body: SearchRequest, principal: Advisor, state: State) -> SearchResponse:
    """Hybrid search over the documents the caller's groups may see.

    Personal data is masked before the query is embedded or audited. The injection checks
    of chat do not apply: search runs no model that text could instruct.
    """
    return await run_in_threadpool(_search, state, principal, body)
