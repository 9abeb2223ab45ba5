"""The relational side of an index: jobs, per-file outcomes, the document catalogue.

SQLite under the data directory by default; any SQLAlchemy URL (e.g. PostgreSQL) works the
same. ``pending`` rows are write-ahead intents: one is committed before a document's
points change in the vector store and removed in the same transaction that records the
result, so a job killed half-way can be rolled back or forward by the next one.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import (
    JSON,
    Column,
    Engine,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
)
from sqlalchemy.exc import SQLAlchemyError

from core.errors import CatalogError
from ingest.private import private_file

metadata = MetaData()

indexes = Table(
    "indexes",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("params", JSON, nullable=False),
    Column("created_at", Float, nullable=False),
)

documents = Table(
    "documents",
    metadata,
    Column("index_name", String(64), primary_key=True),
    Column("id", String(36), primary_key=True),
    Column("source", Text, nullable=False, index=True),
    Column("title", Text, nullable=False),
    Column("format", String(16), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("version", String(32), nullable=False),
    Column("size", Integer, nullable=False),
    Column("modified", Float, nullable=False),
    Column("pages", Integer),
    Column("chunks", Integer, nullable=False),
    Column("meta", JSON, nullable=False),
    Column("job_id", String(32), nullable=False),
    Column("indexed_at", Float, nullable=False),
)

pending = Table(
    "pending",
    metadata,
    Column("index_name", String(64), primary_key=True),
    Column("document_id", String(36), primary_key=True),
    Column("action", String(8), nullable=False),  # "replace" or "delete"
    Column("version", String(32), nullable=False),
    Column("expected_chunks", Integer, nullable=False),
    Column("row", JSON, nullable=False),  # the catalogue row to write on success
    Column("job_id", String(32), nullable=False),
)

jobs = Table(
    "jobs",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("index_name", String(64), nullable=False, index=True),
    Column("paths", JSON, nullable=False),
    Column("settings", JSON, nullable=False),
    Column("status", String(24), nullable=False),
    Column("started_at", Float, nullable=False),
    Column("ended_at", Float),
    Column("counts", JSON, nullable=False),
    Column("pid", Integer),
    Column("error", Text),
)

job_files = Table(
    "job_files",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("job_id", String(32), nullable=False, index=True),
    Column("path", Text, nullable=False),
    Column("document_id", String(36)),
    Column("status", String(16), nullable=False),
    Column("reason", Text),
    Column("chunks", Integer),
    Column("seconds", Float),
)


def connect(url: str) -> Engine:
    """An engine with the schema created; SQLite gets WAL and a busy timeout."""
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        if path and path != ":memory:":
            private_file(Path(path))
    try:
        engine = create_engine(url, future=True)
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        metadata.create_all(engine)
    except SQLAlchemyError as exc:
        raise CatalogError(f"cannot open the database at {engine_url_safe(url)}: {exc}") from exc
    except ImportError as exc:
        raise CatalogError(
            f"the database driver for {engine_url_safe(url)} is not installed: {exc} "
            "(for PostgreSQL use a postgresql+psycopg:// URL; psycopg ships with ResearchDesk)"
        ) from exc
    return engine


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def engine_url_safe(url: str) -> str:
    """The URL without its password, for messages and logs."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}"
    return url
