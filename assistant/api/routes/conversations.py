"""GET /v1/conversations: the caller's own conversations, newest first, and their turns.

Only the (masked) questions are kept server-side; answers live in the audit trail. A
conversation of another key reads like one that never existed (404).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import Field
from starlette.concurrency import run_in_threadpool

from assistant.api.deps import Advisor, State
from assistant.api.routes.chat import _ERRORS
from assistant.api.schemas.base import Response
from assistant.conversations import TITLE_CHARS

router = APIRouter(prefix="/v1/conversations", tags=["chat"])

ConversationId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


class ConversationOut(Response):
    id: str
    title: str = Field(description=f"The first question, cut to {TITLE_CHARS} characters.")
    turns: int
    created_at: float
    updated_at: float


class ConversationList(Response):
    conversations: list[ConversationOut]


class TurnOut(Response):
    question: str = Field(description="As stored: personal data masked.")
    trace_id: str
    created_at: float


class ConversationDetail(Response):
    id: str
    turns: list[TurnOut]


def _list(state: State, owner: str, limit: int) -> ConversationList:
    found = state.conversations.listing(owner, limit)
    return ConversationList(conversations=[ConversationOut(**asdict(c)) for c in found])


def _detail(state: State, owner: str, conversation_id: str) -> ConversationDetail:
    found = state.conversations.turns_of(conversation_id, owner)
    return ConversationDetail(id=conversation_id, turns=[TurnOut(**asdict(t)) for t in found])


@router.get("", response_model=ConversationList, responses=_ERRORS)
async def list_conversations(
    principal: Advisor, state: State, limit: Annotated[int, Query(ge=1, le=200)] = 50
) -> ConversationList:
    """Your conversations with at least one question, most recently active first."""
    return await run_in_threadpool(_list, state, principal.id, limit)


@router.get("/{conversation_id}", response_model=ConversationDetail, responses=_ERRORS)
async def get_conversation(
    conversation_id: ConversationId, principal: Advisor, state: State
) -> ConversationDetail:
    """The questions of one of your conversations, oldest first (answers are audited)."""
    return await run_in_threadpool(_detail, state, principal.id, conversation_id)
