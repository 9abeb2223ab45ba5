"""Page-image render time (cold and cached) and the chat page's transfer size, as JSON.

    python bench/page.py [--rounds 3] [--zoom 1.5]

Renders every page of the sample corpus's PDFs through ``PageRenderer`` (the code behind
``GET /v1/documents/{id}/pages/{n}/image``) with a highlight: the first sentence-sized
run of the page's text. Cold: an empty cache directory each round (pdfium open, text
boxes, render, PNG encode, cache write). Cached: the same requests again. It measures the
renderer, not HTTP or the entitlement check (a catalogue lookup and one store scroll).
Transfer: the bytes of ``/`` and its assets, raw and gzip-compressed.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import pypdfium2 as pdfium  # noqa: E402

from assistant.api.pageimage import PageRenderer  # noqa: E402
from experiments.metrics import percentile  # noqa: E402
from ingest.catalog import CatalogEntry  # noqa: E402
from ingest.models import sha256_file  # noqa: E402

CORPUS = REPO / "data" / "sample_corpus"
STATIC = REPO / "assistant" / "api" / "static"


def _pages() -> list[tuple[CatalogEntry, int, str]]:
    """(entry, page, highlight) for every page of the sample PDFs."""
    cases = []
    for path in sorted(CORPUS.glob("*.pdf")):
        pdf = pdfium.PdfDocument(path)
        try:
            count = len(pdf)
            texts = []
            for i in range(count):
                textpage = pdf[i].get_textpage()
                texts.append(textpage.get_text_range())
                textpage.close()
        finally:
            pdf.close()
        entry = CatalogEntry(
            id=path.stem, source=str(path), title=path.stem, format="pdf",
            sha256=sha256_file(path), version="bench", size=path.stat().st_size,
            modified=path.stat().st_mtime, pages=count, chunks=0, meta={}, job_id="",
            indexed_at=0.0,
        )  # fmt: skip
        for number, text in enumerate(texts, start=1):
            lines = [line.strip() for line in text.splitlines() if len(line.strip()) > 40]
            cases.append((entry, number, lines[0][:120] if lines else ""))
    return cases


def _timed(
    renderer: PageRenderer, cases: list[tuple[CatalogEntry, int, str]], zoom: float
) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds per request (CPU time shows what a busy machine hides)."""
    wall: list[float] = []
    cpu: list[float] = []
    for entry, number, highlight in cases:
        started, started_cpu = time.perf_counter(), time.process_time()
        renderer.image(entry, number, zoom, highlight)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--zoom", type=float, default=1.5)
    args = parser.parse_args()
    cases = _pages()
    cold: list[float] = []
    cold_cpu: list[float] = []
    cached: list[float] = []
    cached_cpu: list[float] = []
    found = 0
    PageRenderer(Path(tempfile.mkdtemp())).image(*cases[0][:2])  # imports and pdfium start-up
    for _ in range(args.rounds):
        with tempfile.TemporaryDirectory() as cache:
            renderer = PageRenderer(Path(cache))
            for wall_ms, cpu_ms in (cold, cold_cpu), (cached, cached_cpu):
                timed = _timed(renderer, cases, args.zoom)
                wall_ms.extend(timed[0])
                cpu_ms.extend(timed[1])
            found = sum(renderer.image(e, n, args.zoom, h).found for e, n, h in cases)
    sizes = {p.name: p.stat().st_size for p in sorted(STATIC.iterdir())}
    gzipped = {p.name: len(gzip.compress(p.read_bytes())) for p in sorted(STATIC.iterdir())}
    page_files = ("index.html", "app.js", "viewer.js", "app.css")

    def stats(values: list[float]) -> dict[str, float]:
        return {
            "p50_ms": round(percentile(values, 50), 2),
            "p95_ms": round(percentile(values, 95), 2),
            "max_ms": round(max(values), 2),
        }

    print(
        json.dumps(
            {
                "pages": len(cases),
                "documents": len({e.id for e, _, _ in cases}),
                "rounds": args.rounds,
                "zoom": args.zoom,
                "highlight_found": found,
                "cold": stats(cold),
                "cold_cpu": stats(cold_cpu),
                "cached": stats(cached),
                "cached_cpu": stats(cached_cpu),
                "transfer_bytes": sum(sizes[n] for n in page_files),
                "transfer_gzip_bytes": sum(gzipped[n] for n in page_files),
                "files": sizes,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
