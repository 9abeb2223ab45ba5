"""Page images: a PDF page rendered by pypdfium2, the cited span highlighted, cached on disk.

The highlight is located from pdfium's own text-character boxes: the page's characters are
normalised (case, whitespace runs, soft hyphens, NFKC) with a map back to each character,
the quoted span is searched in that text, and the matched characters' boxes are merged
into one rectangle per line. Images are cached by document version, page, zoom and the
highlighted text, so a re-ingested document never serves a stale picture.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from core.errors import NotFoundError
from ingest.catalog import CatalogEntry
from ingest.models import sha256_file

MIN_ZOOM, MAX_ZOOM, DEFAULT_ZOOM = 0.5, 3.0, 1.5
MAX_SIDE_PX = 6000
MAX_PIXELS = 16_000_000
MAX_HIGHLIGHT_CHARS = 2000
HIGHLIGHT_RGBA = (255, 214, 0, 110)

# pdfium is not thread-safe: every call into it, from any request thread, goes through this.
_PDFIUM = threading.Lock()


class SourceChangedError(Exception):
    """The document's file is missing or differs from the indexed version: re-ingest it."""


class PageTooLargeError(ValueError):
    """The page at this zoom would exceed the pixel bounds."""


Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in image pixels, origin top-left


@dataclass(frozen=True)
class PageImage:
    png: bytes
    width: int
    height: int
    boxes: tuple[Box, ...]  # the highlight; empty when none was asked for or found
    found: bool  # the highlight text was located on the page
    cached: bool


def _normalise(chars: list[str]) -> tuple[str, list[int]]:
    """Lower-cased text with whitespace runs as one space, and each output char's origin."""
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(chars):
        if char in "\ufffe\u00ad\u2010\u2011":
            char = "-"
        for piece in unicodedata.normalize("NFKC", char).lower():
            if piece.isspace() or piece == "\x00":
                if out and out[-1] != " ":
                    out.append(" ")
                    origin.append(index)
                continue
            out.append(piece)
            origin.append(index)
    return "".join(out), origin


def locate(chars: list[str], quote: str) -> list[int]:
    """Indices of the page characters that spell ``quote``; empty when it is not there.

    Tries the whitespace-collapsed text first, then with all whitespace removed (pdfium
    and the chunker disagree about line breaks inside words and around hyphens).
    """
    needle, _ = _normalise(list(quote))
    needle = needle.strip()
    if not needle:
        return []
    text, origin = _normalise(chars)
    at = text.find(needle)
    if at >= 0:
        return sorted({origin[i] for i in range(at, at + len(needle)) if text[i] != " "})
    squeezed = [(c, o) for c, o in zip(text, origin, strict=True) if c != " "]
    flat = "".join(c for c, _ in squeezed)
    compact = needle.replace(" ", "")
    at = flat.find(compact)
    if at < 0:
        return []
    return sorted({squeezed[i][1] for i in range(at, at + len(compact))})


def merge_boxes(char_boxes: list[Box]) -> list[Box]:
    """One rectangle per line run: a char joins the current one when it sits on its line."""
    rects: list[list[float]] = []
    for x0, y0, x1, y1 in char_boxes:
        if rects:
            r = rects[-1]
            overlap = min(r[3], y1) - max(r[1], y0)
            height = min(r[3] - r[1], y1 - y0)
            if height > 0 and overlap >= 0.5 * height and x0 >= r[0] - 1:
                r[0], r[1], r[2], r[3] = min(r[0], x0), min(r[1], y0), max(r[2], x1), max(r[3], y1)
                continue
        rects.append([x0, y0, x1, y1])
    return [(r[0], r[1], r[2], r[3]) for r in rects]


def cache_key(entry: CatalogEntry, number: int, zoom: float, highlight: str) -> str:
    version = hashlib.sha256(f"{entry.id}\0{entry.sha256}\0{entry.version}".encode()).hexdigest()
    mark = hashlib.sha256(highlight.encode()).hexdigest()[:24] if highlight else "plain"
    return f"{version[:32]}/p{number}-z{zoom:g}-{mark}"


class PageRenderer:
    """Renders and caches page images of catalogued PDFs under ``cache_dir``."""

    def __init__(self, cache_dir: Path) -> None:
        self.cache_dir = cache_dir

    def image(
        self, entry: CatalogEntry, number: int, zoom: float = DEFAULT_ZOOM, highlight: str = ""
    ) -> PageImage:
        """Page ``number`` (1-based) of a PDF the caller is already entitled to see."""
        if entry.format != "pdf":
            raise NotFoundError(f"document {entry.id!r} is {entry.format}, not a PDF: no image")
        if not MIN_ZOOM <= zoom <= MAX_ZOOM:
            raise ValueError(f"zoom must be between {MIN_ZOOM} and {MAX_ZOOM}")
        if len(highlight) > MAX_HIGHLIGHT_CHARS:
            raise ValueError(f"highlight is longer than {MAX_HIGHLIGHT_CHARS} characters")
        if number < 1 or number > (entry.pages or 1):
            raise NotFoundError(f"document {entry.id!r} has no page {number}")
        key = cache_key(entry, number, zoom, highlight)
        png_path = self.cache_dir / f"{key}.png"
        meta_path = self.cache_dir / f"{key}.json"
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            png = png_path.read_bytes()
        except (OSError, ValueError):
            pass
        else:
            boxes = tuple((b[0], b[1], b[2], b[3]) for b in meta["boxes"])
            return PageImage(png, meta["width"], meta["height"], boxes, meta["found"], True)
        rendered = self._render(entry, number, zoom, highlight)
        meta = {
            "width": rendered.width,
            "height": rendered.height,
            "boxes": [list(b) for b in rendered.boxes],
            "found": rendered.found,
        }
        _write_atomic(png_path, rendered.png)
        _write_atomic(meta_path, json.dumps(meta).encode())
        return rendered

    def _render(self, entry: CatalogEntry, number: int, zoom: float, highlight: str) -> PageImage:
        import pypdfium2 as pdfium
        import pypdfium2.raw as pdfium_c
        from PIL import Image, ImageDraw

        path = Path(entry.source)
        if not path.is_file() or sha256_file(path) != entry.sha256:
            raise SourceChangedError(
                f"the file of document {entry.id!r} changed or is gone since it was indexed;"
                " re-ingest it to see its pages"
            )
        with _PDFIUM:
            pdf = pdfium.PdfDocument(path)
            try:
                if number > len(pdf):
                    raise NotFoundError(f"document {entry.id!r} has no page {number}")
                page = pdf[number - 1]
                try:
                    left, bottom, right, top = page.get_cropbox()
                    width, height = round((right - left) * zoom), round((top - bottom) * zoom)
                    if max(width, height) > MAX_SIDE_PX or width * height > MAX_PIXELS:
                        raise PageTooLargeError(
                            f"page {number} is {width}x{height} px at zoom {zoom:g}; lower the zoom"
                        )
                    char_boxes: list[Box] = []
                    found = False
                    if highlight and page.get_rotation() == 0:
                        textpage = page.get_textpage()
                        try:
                            count = textpage.count_chars()
                            chars = [
                                chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i) or 32)
                                for i in range(count)
                            ]
                            hits = locate(chars, highlight)
                            for i in hits:
                                x0, y0, x1, y1 = textpage.get_charbox(i)
                                if x1 > x0 and y1 > y0:
                                    char_boxes.append(
                                        (
                                            (x0 - left) * zoom,
                                            (top - y1) * zoom,
                                            (x1 - left) * zoom,
                                            (top - y0) * zoom,
                                        )
                                    )
                            found = bool(char_boxes)
                        finally:
                            textpage.close()
                    bitmap = page.render(scale=zoom)
                    try:
                        image = bitmap.to_pil().convert("RGB")
                    finally:
                        bitmap.close()
                finally:
                    page.close()
            finally:
                pdf.close()
        boxes = [
            (
                max(0.0, x0 - 1.5),
                max(0.0, y0 - 1.5),
                min(image.width, x1 + 1.5),
                min(image.height, y1 + 1.5),
            )
            for x0, y0, x1, y1 in merge_boxes(char_boxes)
        ]
        if boxes:
            overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
            draw = ImageDraw.Draw(overlay)
            for box in boxes:
                draw.rectangle(box, fill=HIGHLIGHT_RGBA)
            image = Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", compress_level=3)  # smaller and faster than 6 here
        rounded = tuple(
            (round(x0, 1), round(y0, 1), round(x1, 1), round(y1, 1)) for x0, y0, x1, y1 in boxes
        )
        return PageImage(buffer.getvalue(), image.width, image.height, rounded, found, False)


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
