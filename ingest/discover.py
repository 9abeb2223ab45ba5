"""Find the files an ingestion run should look at, in a stable order.

Unsupported file types are returned on purpose: the job reports each one as a failed
document ("unsupported file type .xyz") instead of silently ignoring it. Only the include
and exclude patterns, hidden names and metadata sidecars keep a file out.

Pattern rule (include and exclude alike): a pattern is a case-insensitive shell glob
(``*``, ``?``, ``[abc]``; ``*`` also crosses ``/``) matched against both the file's path
relative to the root it was found under (POSIX separators) and its bare name. So
``*.pdf`` matches a PDF at any depth, ``drafts/*`` everything below ``drafts``, and a
leading ``**/`` is optional. With include patterns, a file must match at least one; a file
matching any exclude pattern is dropped. Exclude patterns are also matched against
directories while walking, so excluding ``drafts`` prunes that whole directory. A file
named directly in ``paths`` is its own root (its relative path is its name) and is kept
even if its name starts with ".", because the caller asked for it explicitly.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Sequence
from fnmatch import fnmatchcase
from pathlib import Path

from ingest.errors import ConfigError
from ingest.loaders import SUPPORTED_SUFFIXES
from ingest.loaders.sidecar import SIDECAR_SUFFIX

__all__ = ["SUPPORTED_SUFFIXES", "discover", "matches"]

logger = logging.getLogger(__name__)


def discover(
    paths: Sequence[Path], include: Sequence[str] = (), exclude: Sequence[str] = ()
) -> list[Path]:
    """Every candidate file under ``paths``, resolved, de-duplicated and sorted."""
    includes = _normalise(include)
    excludes = _normalise(exclude)
    found: set[Path] = set()
    for given in paths:
        root = Path(given).expanduser()
        if not root.exists():
            raise ConfigError(f"path does not exist: {root}")
        candidates = _walk(root, excludes) if root.is_dir() else iter([(root, root.name)])
        for file, relative in candidates:
            if _is_sidecar(file.name) or not _selected(relative, includes, excludes):
                continue
            found.add(file.resolve())
    return sorted(found, key=lambda p: p.as_posix())


def matches(relative: str, patterns: Sequence[str]) -> bool:
    """True when any pattern matches the relative path or its last component."""
    rel = relative.replace(os.sep, "/").lower()
    name = rel.rsplit("/", 1)[-1]
    return any(fnmatchcase(rel, p) or fnmatchcase(name, p) for p in _normalise(patterns))


def _normalise(patterns: Sequence[str]) -> tuple[str, ...]:
    out: list[str] = []
    for pattern in patterns:
        p = pattern.strip().replace("\\", "/").lower()
        while p.startswith("**/"):
            p = p[3:]
        if p.startswith("./"):
            p = p[2:]
        if p:
            out.append(p.rstrip("/"))
    return tuple(out)


def _selected(relative: str, includes: tuple[str, ...], excludes: tuple[str, ...]) -> bool:
    if includes and not matches(relative, includes):
        return False
    return not (excludes and matches(relative, excludes))


def _is_sidecar(name: str) -> bool:
    return name.lower().endswith(SIDECAR_SUFFIX)


def _walk(root: Path, excludes: tuple[str, ...]) -> Iterator[tuple[Path, str]]:
    """Files below ``root`` with their root-relative POSIX paths; follows symlinks once."""
    seen_dirs: set[tuple[int, int]] = set()

    def on_error(error: OSError) -> None:
        logger.warning("cannot list %s: %s", error.filename, error.strerror)

    for dirpath, dirnames, filenames in os.walk(root, onerror=on_error, followlinks=True):
        here = Path(dirpath)
        try:
            stat = here.stat()
        except OSError:
            dirnames[:] = []
            continue
        key = (stat.st_dev, stat.st_ino)
        if key in seen_dirs:  # a symlink loop or a second link to a visited directory
            dirnames[:] = []
            continue
        seen_dirs.add(key)
        prefix = here.relative_to(root).as_posix()
        prefix = "" if prefix == "." else prefix + "/"
        dirnames[:] = sorted(
            d
            for d in dirnames
            if not d.startswith(".") and not (excludes and matches(prefix + d, excludes))
        )
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            file = here / name
            if not file.is_file():
                logger.warning("skipping %s: broken symlink or not a regular file", file)
                continue
            yield file, prefix + name
