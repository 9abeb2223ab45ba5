"""The job lock: one ingestion job at a time per index.

Always a file lock in the data directory (jobs on one host). When the catalogue is
PostgreSQL, also a session-level advisory lock in the database, so two jobs on different
hosts that share the catalogue and the vector store never interleave on one index. The
advisory lock is held by one dedicated connection for the job's whole life; the server
releases it by itself if the job's process dies (its connection closes).
"""

from __future__ import annotations

import fcntl
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from sqlalchemy import Engine, text

from core.errors import ConfigError


def advisory_key(index: str) -> int:
    """A stable signed 64-bit key for an index name (PostgreSQL's bigint lock id)."""
    digest = hashlib.sha256(f"researchdesk-index:{index}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class IndexBusyError(ConfigError):
    """Another ingestion job holds the index (on this host or one sharing the catalogue)."""


@contextmanager
def file_lock(lock_dir: Path, index: str) -> Iterator[None]:
    lock_dir.mkdir(parents=True, exist_ok=True)
    path = lock_dir / f"{index}.lock"
    handle: TextIO = path.open("w")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IndexBusyError(
                f"another ingestion job is running on index {index!r} "
                f"(lock {path}); wait for it to finish"
            ) from None
        yield
    finally:
        handle.close()


@contextmanager
def database_lock(engine: Engine, index: str) -> Iterator[None]:
    """PostgreSQL advisory lock for ``index``; a no-op for other databases (one host)."""
    if engine.dialect.name != "postgresql":
        yield
        return
    key = advisory_key(index)
    with engine.connect() as conn:
        got = conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar()
        conn.commit()
        if not got:
            raise IndexBusyError(
                f"another ingestion job is running on index {index!r} on some host sharing "
                f"this catalogue (PostgreSQL advisory lock {key}); wait for it to finish"
            )
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
            conn.commit()
