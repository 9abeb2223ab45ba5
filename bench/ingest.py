"""Ingestion benchmark on FinanceBench: a cold run, then an unchanged re-run, as JSON.

    python bench/ingest.py [--docs DIR] [--data-dir DIR] [--limit N]

Prints pages/s extracted (load + chunk, in the worker processes), chunks/s embedded, wall
time and peak memory for both runs, and the ratio re-run/cold measured in this one run.
The data directory is kept (default: a temp dir) so other benchmarks can reuse the index.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ingest.config import Settings
from ingest.embedding import cpu_supports_bf16
from ingest.pipeline import run_ingest

DEFAULT_DOCS = Path(__file__).resolve().parents[2] / "shared/benchmarks/financebench/docs"


def _peak_mb() -> dict[str, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"main_process_mb": round(own, 1), "largest_worker_mb": round(children, 1)}


def _run(paths: list[Path], settings: Settings) -> dict[str, object]:
    started = time.perf_counter()
    report = run_ingest(paths, settings)
    wall = time.perf_counter() - started
    processed = [f for f in report.files if f.status in ("added", "updated")]
    return {
        "wall_s": round(wall, 2),
        "files": len(report.files),
        "added": report.count("added"),
        "unchanged": report.count("unchanged"),
        "failed": [{"path": f.path, "reason": f.reason} for f in report.failed],
        "chunks": report.chunks,
        "chunks_per_s": round(report.chunks / wall, 2) if processed else None,
        "file_seconds_sum": round(sum(f.seconds or 0 for f in processed), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=Path, default=DEFAULT_DOCS)
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--limit", type=int, default=None, help="only the first N files")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if not args.docs.is_dir():
        sys.exit(f"no FinanceBench docs at {args.docs}; pass --docs")
    files = sorted(args.docs.glob("*.pdf"))[: args.limit]
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="rd-bench-ingest-"))
    if data_dir.exists() and any(data_dir.iterdir()):
        shutil.rmtree(data_dir)  # a cold run starts from nothing, embedding cache included
    settings = Settings(data_dir=data_dir, workers=args.workers)

    # Extraction alone, in one process: pages per second through the PDF loader + chunker.
    from ingest.chunking import ChunkingConfig, chunk_document
    from ingest.embedding import load_tokenizer
    from ingest.loaders import load_document

    tokenizer = load_tokenizer(settings.embedding_model)
    config = ChunkingConfig(settings.chunk_strategy, settings.chunk_size, settings.chunk_overlap)
    sample = files[: min(len(files), 6)]
    started = time.perf_counter()
    pages = 0
    for path in sample:
        document = load_document(path, pdf_tables=settings.pdf_tables)
        pages += document.meta.pages or 0
        chunk_document(document, config, tokenizer)
    extract_s = time.perf_counter() - started

    cold = _run(files, settings)
    rerun = _run(files, settings)
    total_pages = 0
    from ingest.catalog import Catalog
    from ingest.db import connect

    for entry in Catalog(connect(settings.resolved_database_url), settings.index).all():
        total_pages += entry.pages or 0
    cold_wall = float(cold["wall_s"])  # type: ignore[arg-type]
    result = {
        "benchmark": "ingest",
        "corpus": str(args.docs),
        "documents": len(files),
        "pages": total_pages,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "bf16": cpu_supports_bf16(),
        },
        "settings": settings.index_settings(),
        "extract_pages_per_s_one_process": round(pages / extract_s, 1),
        "cold": cold,
        "cold_pages_per_s": round(total_pages / cold_wall, 2),
        "rerun_unchanged": rerun,
        "ratio_rerun_over_cold": round(float(rerun["wall_s"]) / cold_wall, 4),  # type: ignore[arg-type]
        "peak_memory": _peak_mb(),
        "data_dir": str(data_dir),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
