"""Turn one file into a ``LoadedDocument``: pick a loader by suffix, add metadata.

``load_document`` runs inside worker processes, so it takes a path, returns plain frozen
dataclasses and raises only ``LoaderError`` (or its subclass ``UnsupportedFormatError``)
for anything wrong with the file: one bad file never takes the job down. A missing
dependency (``MissingDependencyError``) is a setup problem, not a file problem, and is
re-raised as is. The helpers every format loader shares (``Extracted``, ``clean_text``,
text decoding) are in ``ingest.loaders.base``.
"""

from __future__ import annotations

import functools
import os
import stat
from pathlib import Path

from core.errors import LoaderError, MissingDependencyError, UnsupportedFormatError
from ingest.loaders.base import Loader
from ingest.loaders.pdf import load_pdf
from ingest.loaders.sidecar import read_sidecar
from ingest.loaders.unstructured import (
    load_docx,
    load_email,
    load_html,
    load_markdown,
    load_pptx,
    load_text,
)
from ingest.models import DocumentMeta, LoadedDocument, document_id_for, sha256_bytes

LOADERS: dict[str, Loader] = {
    ".pdf": load_pdf,
    ".docx": load_docx,
    ".pptx": load_pptx,
    ".html": load_html,
    ".htm": load_html,
    ".md": load_markdown,
    ".markdown": load_markdown,
    ".txt": load_text,
    ".eml": load_email,
}

# The format name stored in DocumentMeta.format (one name per loader, not per suffix).
FORMATS: dict[str, str] = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".pptx": "pptx",
    ".html": "html",
    ".htm": "html",
    ".md": "md",
    ".markdown": "md",
    ".txt": "txt",
    ".eml": "eml",
}

SUPPORTED_SUFFIXES: frozenset[str] = frozenset(LOADERS)

_MB = 1024 * 1024


def loader_for(path: Path) -> Loader:
    """The loader for ``path``'s suffix (case-insensitive), or UnsupportedFormatError."""
    suffix = path.suffix.lower()
    try:
        return LOADERS[suffix]
    except KeyError:
        shown = suffix or "(no extension)"
        supported = ", ".join(sorted(LOADERS))
        raise UnsupportedFormatError(
            f"unsupported file type {shown}; supported: {supported}"
        ) from None


def load_document(
    path: Path, *, max_bytes: int | None = None, pdf_tables: bool = False
) -> LoadedDocument:
    """Load the file at ``path`` and its optional sidecar into a ``LoadedDocument``.

    ``pdf_tables`` also reads ruled tables of PDFs as rows with headers (slower).
    """
    path = Path(path)
    loader = loader_for(path)
    if pdf_tables and loader is load_pdf:
        loader = functools.partial(load_pdf, tables=True)
    info = _stat(path)
    if info.st_size == 0:
        raise LoaderError("empty file")
    if max_bytes is not None and info.st_size > max_bytes:
        raise LoaderError(
            f"file is {info.st_size / _MB:.1f} MB, over the limit of "
            f"{max_bytes / _MB:g} MB (RESEARCHDESK_MAX_FILE_MB)"
        )
    data = _read(path)
    sidecar = read_sidecar(path)
    try:
        extracted = loader(path, data)
    except (LoaderError, MissingDependencyError):
        raise
    except Exception as exc:  # one bad file must never crash the job
        raise LoaderError(f"{type(exc).__name__}: {exc}") from exc

    meta = DocumentMeta(
        id=document_id_for(path),
        source=os.path.abspath(path),  # the name found, not a link's target
        title=(sidecar.title if sidecar and sidecar.title else None)
        or extracted.title
        or path.stem,
        format=FORMATS[path.suffix.lower()],
        sha256=sha256_bytes(data),
        size=len(data),
        modified=info.st_mtime,
        pages=extracted.pages,
        allowed_groups=sidecar.allowed_groups if sidecar else (),
        tags=sidecar.tags if sidecar else (),
        date=(sidecar.date if sidecar else None) or extracted.date,
        author=(sidecar.author if sidecar else None) or extracted.author,
        extra=dict(sidecar.extra) if sidecar else {},
    )
    return LoadedDocument(
        meta=meta, elements=extracted.elements, unread_pages=extracted.unread_pages
    )


def _stat(path: Path) -> os.stat_result:
    try:
        info = path.stat()
    except FileNotFoundError:
        raise LoaderError("file not found") from None
    except PermissionError:
        raise LoaderError("permission denied") from None
    except OSError as exc:
        raise LoaderError(f"cannot read file: {exc.strerror}") from exc
    if not stat.S_ISREG(info.st_mode):
        raise LoaderError("not a regular file")
    return info


def _read(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read()
    except PermissionError:
        raise LoaderError("permission denied") from None
    except FileNotFoundError:
        raise LoaderError("file not found") from None
    except OSError as exc:
        raise LoaderError(f"cannot read file: {exc.strerror}") from exc
