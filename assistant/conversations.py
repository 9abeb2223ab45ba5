"""Server-side conversation history, persisted so a restart keeps it.

A conversation belongs to the API key that started it; any other key gets "not found",
the same answer as for an id that never existed. Only the (masked) questions are kept:
follow-ups are rewritten from earlier questions, and earlier answers are in the audit.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, func, insert, select, update

from assistant.tables import conversations, database_errors, turns
from core.errors import NotFoundError

TITLE_CHARS = 80


@dataclass(frozen=True, slots=True)
class Summary:
    """A conversation in a listing: its first question (cut) as the title."""

    id: str
    title: str
    turns: int
    created_at: float
    updated_at: float


@dataclass(frozen=True, slots=True)
class TurnRow:
    """One stored turn: the masked question and the trace of its answer."""

    question: str
    trace_id: str
    created_at: float


def _owned(conn: Connection, conversation_id: str, owner: str) -> None:
    """NotFoundError unless ``owner`` started the conversation (another key's reads as none)."""
    found = conn.execute(
        select(conversations.c.id).where(
            conversations.c.id == conversation_id, conversations.c.owner == owner
        )
    ).first()
    if found is None:
        raise NotFoundError(f"no conversation {conversation_id!r}")


class Conversations:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def start(self, owner: str) -> str:
        conversation_id = uuid.uuid4().hex
        now = time.time()
        with database_errors(), self._engine.begin() as conn:
            conn.execute(
                insert(conversations).values(
                    id=conversation_id, owner=owner, created_at=now, updated_at=now
                )
            )
        return conversation_id

    def history(self, conversation_id: str, owner: str, limit: int) -> list[str]:
        """The last ``limit`` questions, oldest first; NotFoundError if not the owner's."""
        with database_errors(), self._engine.connect() as conn:
            _owned(conn, conversation_id, owner)
            if limit == 0:
                return []
            rows = conn.execute(
                select(turns.c.question)
                .where(turns.c.conversation_id == conversation_id)
                .order_by(turns.c.id.desc())
                .limit(limit)
            ).all()
        return [row[0] for row in reversed(rows)]

    def add(self, conversation_id: str, question: str, trace_id: str) -> None:
        now = time.time()
        with database_errors(), self._engine.begin() as conn:
            conn.execute(
                insert(turns).values(
                    conversation_id=conversation_id,
                    question=question,
                    trace_id=trace_id,
                    created_at=now,
                )
            )
            conn.execute(
                update(conversations)
                .where(conversations.c.id == conversation_id)
                .values(updated_at=now)
            )

    def listing(self, owner: str, limit: int) -> list[Summary]:
        """The owner's conversations with at least one question, most recently active first."""
        first = (
            select(turns.c.question)
            .where(turns.c.conversation_id == conversations.c.id)
            .order_by(turns.c.id)
            .limit(1)
            .scalar_subquery()
        )
        count = (
            select(func.count())
            .where(turns.c.conversation_id == conversations.c.id)
            .scalar_subquery()
        )
        query = (
            select(conversations, first.label("first"), count.label("turn_count"))
            .where(conversations.c.owner == owner)
            .order_by(conversations.c.updated_at.desc())
            .limit(limit)
        )
        with database_errors(), self._engine.connect() as conn:
            rows = conn.execute(query).all()
        return [
            Summary(
                id=row.id,
                title=(row.first or "")[:TITLE_CHARS],
                turns=int(row.turn_count),
                created_at=row.created_at,
                updated_at=row.updated_at,
            )
            for row in rows
            if row.turn_count
        ]

    def turns_of(self, conversation_id: str, owner: str) -> list[TurnRow]:
        """Every turn of one of the owner's conversations, oldest first; NotFoundError else."""
        with database_errors(), self._engine.connect() as conn:
            _owned(conn, conversation_id, owner)
            rows = conn.execute(
                select(turns.c.question, turns.c.trace_id, turns.c.created_at)
                .where(turns.c.conversation_id == conversation_id)
                .order_by(turns.c.id)
            ).all()
        return [TurnRow(r.question, r.trace_id, r.created_at) for r in rows]
