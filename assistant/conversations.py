"""Server-side conversation history, persisted so a restart keeps it.

A conversation belongs to the API key that started it; any other key gets "not found",
the same answer as for an id that never existed. Only the (masked) questions are kept:
follow-ups are rewritten from earlier questions, and earlier answers are in the audit.
"""

from __future__ import annotations

import time
import uuid

from sqlalchemy import Engine, insert, select, update

from assistant.tables import conversations, database_errors, turns
from ingest.errors import NotFoundError


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
            found = conn.execute(
                select(conversations.c.id).where(
                    conversations.c.id == conversation_id, conversations.c.owner == owner
                )
            ).first()
            if found is None:
                raise NotFoundError(f"no conversation {conversation_id!r}")
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
