"""POST /v1/chat: a cited answer, a refusal or an escalation; JSON or Server-Sent Events."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from assistant.api.answering import ChatService
from assistant.api.deps import Advisor, State
from assistant.api.schemas.base import Problem
from assistant.api.schemas.chat import ChatRequest, ChatResponse

router = APIRouter(prefix="/v1", tags=["chat"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem, "description": "Missing, unknown or revoked API key."},
    403: {"model": Problem, "description": "The key lacks the advisor role."},
    404: {"model": Problem, "description": "Unknown conversation (or another key's)."},
    413: {"model": Problem, "description": "Body over RESEARCHDESK_API_MAX_BODY_BYTES."},
    422: {"model": Problem, "description": "Invalid body; one entry per field."},
    429: {"model": Problem, "description": "Rate limit; see Retry-After."},
    503: {"model": Problem, "description": "Index or model unavailable; see Retry-After."},
}


# One Server-Sent Event; ``data`` is JSON: meta {conversation_id}, token {text}, answer
# (ChatResponse) or error {status, detail, retry_after, trace_id}.
_EVENT: dict[str, Any] = {
    "type": "object",
    "required": ["event", "data"],
    "properties": {
        "event": {"type": "string", "enum": ["meta", "token", "answer", "error"]},
        "data": {"type": "string", "contentMediaType": "application/json"},
    },
}


@router.post(
    "/chat",
    response_model=ChatResponse,
    responses={
        **_ERRORS,
        200: {
            "description": "The answer (JSON), or with stream=true an event stream: "
            "`meta` {conversation_id}, `token` {text}..., then `answer` (this schema) "
            "or `error` {status, detail, retry_after}.",
            "content": {"text/event-stream": {"schema": _EVENT}},
        },
    },
)
async def chat(body: ChatRequest, principal: Advisor, state: State) -> Any:
    """Ask a question; follow-ups in the same conversation are rewritten to stand alone."""
    service = ChatService(state)
    turn = await run_in_threadpool(service.open_turn, principal, body.message, body.conversation_id)
    if body.stream:
        return StreamingResponse(
            service.stream(turn),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        )
    return await service.respond(turn)
