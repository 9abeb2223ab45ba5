"""The service's tables, in the same database as the catalogue (SQLite or PostgreSQL by URL).

Kept apart from ``ingest.db.metadata`` because imports flow one way: ingestion must not
know the service exists. ``open_database`` creates both schemas on one engine.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Engine,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.exc import SQLAlchemyError

from core.errors import CatalogError
from ingest import db

metadata = MetaData()

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("hash", String(64), nullable=False),  # sha256 of the whole key, hex
    Column("name", Text, nullable=False),
    Column("roles", JSON, nullable=False),
    Column("groups", JSON, nullable=False),
    Column("created_at", Float, nullable=False),
    Column("revoked_at", Float),
)

conversations = Table(
    "conversations",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("owner", String(16), nullable=False, index=True),  # api key id
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
)

turns = Table(
    "conversation_turns",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("conversation_id", String(32), nullable=False, index=True),
    Column("question", Text, nullable=False),  # masked
    Column("trace_id", String(32), nullable=False),
    Column("created_at", Float, nullable=False),
)

audit = Table(
    "audit",
    metadata,
    Column("trace_id", String(32), primary_key=True),
    Column("at", Float, nullable=False, index=True),
    Column("kind", String(32), nullable=False),  # chat, search, document.delete, ...
    Column("principal", String(16), nullable=False, index=True),
    Column("principal_name", Text, nullable=False),
    Column("groups", JSON, nullable=False),  # the caller's entitlements at the time
    Column("status", String(24), nullable=False),  # outcome, or "blocked", "error", "ok"
    Column("conversation_id", String(32)),
    Column("question", Text),  # masked
    Column("standalone_question", Text),  # masked
    Column("intent", String(24)),
    Column("risk", String(8)),
    Column("flagged", Boolean, nullable=False, default=False),
    Column("reason", Text),
    Column("retrieved_chunk_ids", JSON, nullable=False),
    Column("answer", Text),
    Column("citations", JSON, nullable=False),
    Column("prompt_version", String(64)),
    Column("model", String(128)),
    Column("timings_ms", JSON, nullable=False),
    Column("usage", JSON),
    Column("cost_usd", Float),
    Column("guardrails", JSON, nullable=False),
    Column("target", Text),  # a document, job or approval id for non-answer events
)

feedback = Table(
    "feedback",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("trace_id", String(32), nullable=False, index=True),
    Column("principal", String(16), nullable=False),
    Column("rating", String(8), nullable=False),
    Column("comment", Text),  # masked
    Column("created_at", Float, nullable=False),
)

approvals = Table(
    "approvals",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("trace_id", String(32), nullable=False),
    Column("principal", String(16), nullable=False),
    Column("principal_name", Text, nullable=False),
    Column("question", Text, nullable=False),  # masked
    Column("reason", Text, nullable=False),
    Column("status", String(16), nullable=False, index=True),  # pending/approved/rejected
    Column("created_at", Float, nullable=False),
    Column("decided_by", String(16)),
    Column("decided_at", Float),
    Column("note", Text),
)


def open_database(url: str) -> Engine:
    """One engine holding the catalogue's and the service's tables (created if missing)."""
    engine = db.connect(url)
    with database_errors():
        metadata.create_all(engine)
    return engine


@contextmanager
def database_errors() -> Iterator[None]:
    """Driver errors become CatalogError (the HTTP edge answers 503)."""
    try:
        yield
    except SQLAlchemyError as exc:
        raise CatalogError(f"service database error: {exc}") from exc
