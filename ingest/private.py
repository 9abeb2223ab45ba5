"""Files and folders only their owner can read: the index, the databases, the caches.

The data directory holds masked but still confidential text (chunks, audit, questions), so
it is created 0700 and each SQLite file 0600 (SQLite gives its -wal and -shm files the
database file's mode). Existing folders and files keep the mode their owner gave them.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path) -> Path:
    """``path`` (and missing parents) created owner-only if absent; returned unchanged."""
    missing = []
    current = Path(path)
    while not current.exists() and current != current.parent:
        missing.append(current)
        current = current.parent
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):  # created meanwhile by another process
            folder.mkdir(mode=DIR_MODE)
    return path


def private_file(path: Path) -> Path:
    """An empty owner-only file at ``path`` if none exists (its folder made private too)."""
    private_dir(Path(path).parent)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE))
    return path
