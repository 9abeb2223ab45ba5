"""The data directory and SQLite files are created owner-only (finding 9)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from ingest.db import connect
from ingest.embedding import EmbeddingCache
from ingest.private import private_dir, private_file

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX modes")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_fresh_database_and_its_folders_are_owner_only(tmp_path: Path) -> None:
    db = tmp_path / "data" / "deeper" / "researchdesk.sqlite3"
    engine = connect(f"sqlite:///{db}")
    with engine.begin() as conn:  # a write creates the -wal file beside it
        conn.exec_driver_sql("CREATE TABLE probe (x INTEGER)")
        conn.exec_driver_sql("INSERT INTO probe VALUES (1)")
    assert mode(tmp_path / "data") == 0o700 and mode(db.parent) == 0o700
    assert mode(db) == 0o600
    wal = db.with_name(db.name + "-wal")
    assert not wal.exists() or mode(wal) == 0o600
    engine.dispose()


def test_the_embedding_cache_is_owner_only(tmp_path: Path) -> None:
    cache = tmp_path / "cache" / "embeddings.sqlite3"
    EmbeddingCache(cache).close()
    assert mode(cache) == 0o600 and mode(cache.parent) == 0o700


def test_existing_folders_and_files_keep_their_mode(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    os.chmod(shared, 0o755)
    existing = shared / "kept.sqlite3"
    existing.write_bytes(b"")
    os.chmod(existing, 0o644)
    private_file(existing)
    private_dir(shared)
    assert mode(shared) == 0o755 and mode(existing) == 0o644
