"""GET /v1/conversations: the caller's own conversations, newest first, and their turns.

Only the (masked) questions are kept server-side; answers live in the audit trail. A
conversation of another key reads like one that never existed (404).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import Field
from sqlalchemy import func, select
from starlette.concurrency import run_in_threadpool

from assistant.api.deps import Advisor, State
from assistant.api.routes.chat import _ERRORS
from assistant.api.schemas.base import Response
from assistant.tables import conversations, database_errors, turns
from ingest.errors import NotFoundError

router = APIRouter(prefix="/v1/conversations", tags=["chat"])

TITLE_CHARS = 80
ConversationId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


class ConversationOut(Response):
    id: str
    title: str = Field(description="The first question, cut to 80 characters.")
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
    first = (
        select(turns.c.question)
        .where(turns.c.conversation_id == conversations.c.id)
        .order_by(turns.c.id)
        .limit(1)
        .scalar_subquery()
    )
    count = (
        select(func.count()).where(turns.c.conversation_id == conversations.c.id).scalar_subquery()
    )
    query = (
        select(conversations, first.label("first"), count.label("turn_count"))
        .where(conversations.c.owner == owner)
        .order_by(conversations.c.updated_at.desc())
        .limit(limit)
    )
    with database_errors(), state.engine.connect() as conn:
        rows = conn.execute(query).all()
    return ConversationList(
        conversations=[
            ConversationOut(
                id=row.id,
                title=(row.first or "")[:TITLE_CHARS],
                turns=int(row.turn_count),
                created_at=row.created_at,
                updated_at=row.updated_at,
            )
            for row in rows
            if row.turn_count
        ]
    )


def _detail(state: State, owner: str, conversation_id: str) -> ConversationDetail:
    with database_errors(), state.engine.connect() as conn:
        found = conn.execute(
            select(conversations.c.id).where(
                conversations.c.id == conversation_id, conversations.c.owner == owner
            )
        ).first()
        if found is None:
            raise NotFoundError(f"no conversation {conversation_id!r}")
        rows = conn.execute(
            select(turns.c.question, turns.c.trace_id, turns.c.created_at)
            .where(turns.c.conversation_id == conversation_id)
            .order_by(turns.c.id)
        ).all()
    return ConversationDetail(
        id=conversation_id,
        turns=[
            TurnOut(question=r.question, trace_id=r.trace_id, created_at=r.created_at) for r in rows
        ],
    )


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
