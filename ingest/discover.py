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

Symbolic links: a file is returned under the path it was found at (the link, not its
target), so its identity and its sidecar belong to the name the user sees. By default a
link (to a file or a directory) whose target lies outside every requested root is refused
and reported with a reason, so a link dropped into an ingest folder cannot make a job read
``/etc/passwd``; ``follow_symlinks=True`` lifts that check for callers who ask for it.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path

from core.errors import ConfigError
from ingest.loaders import SUPPORTED_SUFFIXES
from ingest.loaders.sidecar import SIDECAR_SUFFIX

__all__ = ["SUPPORTED_SUFFIXES", "Discovery", "Refused", "discover", "matches", "scan"]

logger = logging.getLogger(__name__)

OUTSIDE_ROOT = (
    "symbolic link to a location outside the requested folders; refused "
    "(the command line's --follow-symlinks indexes it anyway)"
)


@dataclass(frozen=True, slots=True)
class Refused:
    """A path found while walking that must not be read, and why."""

    path: Path
    reason: str


@dataclass(frozen=True, slots=True)
class Discovery:
    """The files to look at (sorted, absolute, under the names found) and the refused ones."""

    files: list[Path]
    refused: list[Refused] = field(default_factory=list)


def discover(
    paths: Sequence[Path],
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    *,
    follow_symlinks: bool = False,
) -> list[Path]:
    """Every candidate file under ``paths``; refused links are logged (``scan`` returns them)."""
    found = scan(paths, include, exclude, follow_symlinks=follow_symlinks)
    for item in found.refused:
        logger.warning("skipping %s: %s", item.path, item.reason)
    return found.files


def scan(
    paths: Sequence[Path],
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    *,
    follow_symlinks: bool = False,
) -> Discovery:
    """Every candidate file under ``paths``, de-duplicated by target and sorted.

    Each root is made absolute with its own symlinks resolved; below it, paths keep the
    names they were found under. Two names for one file keep the real one (else the first).
    """
    includes = _normalise(include)
    excludes = _normalise(exclude)
    roots = [_absolute(Path(given).expanduser()) for given in paths]
    for root in roots:
        if not root.exists():
            raise ConfigError(f"path does not exist: {root}")
    allowed = [root.resolve() for root in roots]
    by_target: dict[Path, Path] = {}
    refused: dict[Path, Refused] = {}
    for root in roots:
        if root.is_dir():
            candidates = _walk(root, excludes, None if follow_symlinks else allowed)
        else:  # named explicitly: accepted under the name given, wherever it points
            candidates = iter([(root, root.name, None)])
        for file, relative, problem in candidates:
            if _is_sidecar(file.name) or not _selected(relative, includes, excludes):
                continue
            target = file.resolve()
            confined = not follow_symlinks and root.is_dir()
            if problem is None and confined and not any(_inside(target, b) for b in allowed):
                problem = OUTSIDE_ROOT
            if problem is not None:
                refused.setdefault(file, Refused(file, problem))
                continue
            kept = by_target.get(target)
            if (
                kept is None
                or (file == target and kept != target)
                or (kept != target and file.as_posix() < kept.as_posix())
            ):
                by_target[target] = file
    return Discovery(
        sorted(by_target.values(), key=lambda p: p.as_posix()),
        sorted(refused.values(), key=lambda r: r.path.as_posix()),
    )


def _absolute(path: Path) -> Path:
    """A directory fully resolved; a file under its given name in its resolved folder."""
    if path.is_dir():
        return path.resolve()
    absolute = Path(os.path.abspath(path))
    return absolute.parent.resolve() / absolute.name


def _inside(path: Path, base: Path) -> bool:
    return path == base or base in path.parents


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


def _walk(
    root: Path, excludes: tuple[str, ...], confine: Sequence[Path] | None
) -> Iterator[tuple[Path, str, str | None]]:
    """Files below ``root`` with their root-relative POSIX paths; follows symlinks once.

    The third item is None, or why the path must not be read. With ``confine``, a linked
    directory pointing outside those folders is not entered but yielded as refused.
    """
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
        if confine is not None:
            for d in [d for d in dirnames if (here / d).is_symlink()]:
                target = (here / d).resolve()
                if not any(_inside(target, base) for base in confine):
                    dirnames.remove(d)
                    yield here / d, prefix + d, OUTSIDE_ROOT
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            file = here / name
            if not file.is_file():
                logger.warning("skipping %s: broken symlink or not a regular file", file)
                continue
            yield file, prefix + name, None
