"""Turn one file into a ``LoadedDocument``: pick a loader by suffix, add metadata.

``load_document`` runs inside worker processes, so it takes a path, returns plain frozen
dataclasses and raises only ``LoaderError`` (or its subclass ``UnsupportedFormatError``)
for anything wrong with the file: one bad file never takes the job down. A missing
dependency (``MissingDependencyError``) is a setup problem, not a file problem, and is
re-raised as is. The helpers every format loader shares (``Extracted``, ``clean_text``,
text decoding) live here too.
"""

from __future__ import annotations

import codecs
import functools
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from core.errors import LoaderError, MissingDependencyError, UnsupportedFormatError
from ingest.models import DocumentMeta, Element, LoadedDocument, document_id_for, sha256_bytes


@dataclass(frozen=True, slots=True)
class Extracted:
    """What a format loader found: elements in reading order, a title, a page count."""

    elements: tuple[Element, ...]
    title: str | None = None
    pages: int | None = None
    author: str | None = None
    date: str | None = None


Loader = Callable[[Path, bytes], Extracted]

# C0/C1 control characters except \t and \n, plus Unicode non-characters U+FFFE/U+FFFF.
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
_TRAILING_SPACE_RE = re.compile(r"[ \t]+\n")


def clean_text(text: str) -> str:
    """Normalise extracted text: "\\n" line breaks, no control characters, no edge spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = _CONTROL_RE.sub("", text)
    return _TRAILING_SPACE_RE.sub("\n", text).strip()


def decode_text(data: bytes) -> str:
    """Bytes of a text file as str, never failing on a legacy encoding.

    Order: a UTF-16 BOM; strict UTF-8 (a UTF-8 BOM is dropped); strict cp1252, the usual
    encoding of non-UTF-8 text written on Windows; else latin-1, which accepts any byte
    (only cp1252's five undefined bytes get here). Binary content is refused.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return ensure_text(data.decode("utf-16"))
        except UnicodeDecodeError as exc:
            raise LoaderError(f"invalid UTF-16 text: {exc.reason}") from exc
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return ensure_text(data.decode(encoding))
        except UnicodeDecodeError:
            continue
    return ensure_text(data.decode("latin-1"))


_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)


def decode_html(data: bytes) -> str:
    """Like ``decode_text``, but a ``<meta charset>`` declared in the head wins over cp1252."""
    try:
        return ensure_text(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        pass
    match = _CHARSET_RE.search(data[:4096])
    if match:
        try:
            codec = codecs.lookup(match.group(1).decode("ascii"))
        except LookupError:
            pass
        else:
            return ensure_text(data.decode(codec.name, errors="replace"))
    return decode_text(data)


_BINARY_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f]")


def ensure_text(text: str) -> str:
    """``text`` unchanged, or LoaderError when it is really binary content.

    A NUL anywhere, or more than 10% control characters in the first 64k characters,
    means the file is not text whatever its extension says.
    """
    sample = text[:65536]
    if "\x00" in text or len(_BINARY_CONTROL_RE.findall(sample)) > 0.1 * max(len(sample), 1):
        raise LoaderError("binary content in a text file")
    return text


# The loader modules import Extracted and the text helpers above from this package, so
# they are imported only once those exist.
from ingest.loaders.pdf import load_pdf  # noqa: E402
from ingest.loaders.sidecar import read_sidecar  # noqa: E402
from ingest.loaders.unstructured import (  # noqa: E402
    load_docx,
    load_email,
    load_html,
    load_markdown,
    load_pptx,
    load_text,
)

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
    return LoadedDocument(meta=meta, elements=extracted.elements)


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
