"""Ingestion benchmark on FinanceBench: a cold run, then an unchanged re-run, as JSON.

    python bench/ingest.py [--docs DIR] [--data-dir DIR] [--subset K] [--keep-data]
                           [--engine local|ray] [--workers N] [--ray-actors N] [--quick]

Prints pages/s extracted (load + chunk, in the worker processes), pages/s, chunks/s and
tokens/s of the cold run, the fraction of the embedder's roofline achieved (MiniLM FLOPs
per token x tokens/s over the measured matmul peak of the precision used), peak memory of
every process of the job (sampled from /proc, Ray workers included), and the ratio
re-run/cold measured in this one run. The data directory is kept (default: a temp dir) so
other benchmarks can reuse the index. ``--keep-data`` ingests into an existing index
instead of wiping it first (the cold run then covers only the files not yet in it: a
corpus can be measured in parts whose cold times add up). ``--quick`` skips the
one-process extraction probe and the token count behind the roofline (bench/embed.py
measures the embedder against its roofline on its own).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.memory import PeakMemory
from core.settings import Settings
from ingest.embedding import cpu_supports_bf16, cuda_available
from ingest.engines import sentence_embedder
from ingest.pipeline import run_ingest
from ingest.roofline import flops_per_token, matmul_peak

DEFAULT_DOCS = Path(__file__).resolve().parents[2] / "shared/benchmarks/financebench/docs"


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


def _tokens(files: list[Path], settings: Settings, tokenizer: object) -> tuple[int, float]:
    """Tokens the embedder read (texts truncated at the model's 256), and the mean length."""
    from ingest.extract import Prepared, prepare
    from ingest.pipeline import _chunking

    lengths: list[int] = []
    for path in files:
        prepared = prepare(str(path), 10**10, _chunking(settings), settings.embedding_model)
        if isinstance(prepared, Prepared):
            texts = [c.embed_text for c in prepared.chunks]
            encoded = tokenizer(texts, truncation=True, max_length=256)  # type: ignore[operator]
            lengths += [len(ids) for ids in encoded["input_ids"]]
    return sum(lengths), (sum(lengths) / len(lengths) if lengths else 0.0)


def _roofline(tokens_per_s: float, mean_len: float) -> dict[str, object]:
    """Achieved FLOP/s over the measured matmul peak, fp32 and the half precision used."""
    if mean_len <= 0:
        return {}
    flops = flops_per_token(max(1, round(mean_len)))
    embedder = sentence_embedder(Settings())
    used, device = embedder.precision, embedder.device
    dtypes = ("fp32", "fp16") if device == "cuda" else ("fp32", "bf16")
    peaks = {dtype: matmul_peak(dtype, seconds=2.0, device=device) for dtype in dtypes}
    achieved = tokens_per_s * flops
    return {
        "mean_tokens_per_chunk": round(mean_len, 1),
        "mflop_per_token": round(flops / 1e6, 2),
        "matmul_peak_gflops": {k: round(v / 1e9, 1) for k, v in peaks.items()},
        "precision_used": used,
        "achieved_gflops": round(achieved / 1e9, 2),
        "fraction_of_roofline": round(achieved / peaks[used], 4),
    }


def _gpu_name() -> str | None:
    if not cuda_available():
        return None
    import torch

    return str(torch.cuda.get_device_name(0))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=Path, default=DEFAULT_DOCS)
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument(
        "--subset", "--limit", dest="limit", type=int, default=None, help="only the first K files"
    )
    parser.add_argument("--workers", type=int, default=2, help="local extraction processes")
    parser.add_argument("--engine", choices=("local", "ray"), default="local")
    parser.add_argument("--ray-actors", type=int, default=0, help="Ray embedding actors")
    parser.add_argument("--keep-data", action="store_true", help="do not wipe --data-dir")
    parser.add_argument("--quick", action="store_true", help="no extraction probe, no roofline")
    args = parser.parse_args()
    if not args.docs.is_dir():
        sys.exit(f"no FinanceBench docs at {args.docs}; pass --docs")
    files = sorted(args.docs.glob("*.pdf"))[: args.limit]
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="rd-bench-ingest-"))
    if data_dir.exists() and any(data_dir.iterdir()) and not args.keep_data:
        shutil.rmtree(data_dir)  # a cold run starts from nothing, embedding cache included
    settings = Settings(
        data_dir=data_dir,
        workers=args.workers,
        engine=args.engine,
        ray_embed_actors=args.ray_actors,
    )

    # Extraction alone, in one process: pages per second through the PDF loader + chunker.
    from ingest.chunking import ChunkingConfig, chunk_document
    from ingest.embedding import load_tokenizer
    from ingest.loaders import load_document

    tokenizer = load_tokenizer(settings.embedding_model)
    embedder = sentence_embedder(settings)  # what the job's embedder resolves to here
    config = ChunkingConfig(settings.chunk_strategy, settings.chunk_size, settings.chunk_overlap)
    sample = [] if args.quick else files[: min(len(files), 6)]
    started = time.perf_counter()
    pages = 0
    for path in sample:
        document = load_document(path, pdf_tables=settings.pdf_tables)
        pages += document.meta.pages or 0
        chunk_document(document, config, tokenizer)
    extract_s = max(time.perf_counter() - started, 1e-9)

    with PeakMemory() as memory:
        cold = _run(files, settings)
    rerun = _run(files, settings)
    tokens, mean_len = (0, 0.0) if args.quick else _tokens(files, settings, tokenizer)
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
            "gpu": _gpu_name(),
        },
        "embedding": {"device": embedder.device, "precision": embedder.precision},
        "settings": settings.index_settings(),
        "engine": args.engine,
        "extract_pages_per_s_one_process": round(pages / extract_s, 1) if sample else None,
        "cold": cold,
        "cold_pages_per_s": round(total_pages / cold_wall, 2),
        "cold_chunks_per_s": round(int(cold["chunks"]) / cold_wall, 2),  # type: ignore[call-overload]
        "cold_tokens_per_s": round(tokens / cold_wall, 1) if tokens else None,
        "roofline": _roofline(tokens / cold_wall, mean_len) if tokens else None,
        "rerun_unchanged": rerun,
        "ratio_rerun_over_cold": round(float(rerun["wall_s"]) / cold_wall, 4),  # type: ignore[arg-type]
        "peak_memory_mb_per_process": memory.peaks(),
        "data_dir": str(data_dir),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
