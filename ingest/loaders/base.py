"""What every format loader shares: the ``Extracted`` result and the text helpers.

Format modules (``pdf``, ``unstructured``) import these; the package's ``load_document``
picks a format module by suffix. Kept apart so neither imports the other back.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from core.errors import LoaderError
from ingest.models import Element


@dataclass(frozen=True, slots=True)
class Extracted:
    """What a format loader found: elements in reading order, a title, a page count."""

    elements: tuple[Element, ...]
    title: str | None = None
    pages: int | None = None
    author: str | None = None
    date: str | None = None
    unread_pages: tuple[int, ...] = ()  # see ``ingest.models.LoadedDocument``


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
