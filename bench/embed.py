"""Embedding throughput against the roofline, per device, precision and batching, as JSON.

    python bench/embed.py [--docs DIR] [--subset K] [--max-chunks N] [--workers W]
                          [--configs cpu:fp32,cpu:bf16,cuda:fp16,cuda:fp32]
                          [--batch-size B]

Reads and chunks the first K PDFs of FinanceBench (or any folder) as ingestion does, then
embeds the same chunk texts under each configuration, twice: one embedding call per
document (how ingestion worked before) and calls grouped across documents (``embed_group``
chunks, how it works now). Per configuration: chunks/s and tokens/s, achieved GFLOP/s
over the measured matmul peak of that precision on that device (the roofline fraction),
the grouped/per-document speed ratio measured in this run, and the lowest cosine between
its vectors and fp32 vectors on the same device. Also the padding waste of both batchings
at the batch size, computed from the token lengths. A configuration whose device is
missing is reported as skipped, with the reason.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

from core.errors import ConfigError
from core.settings import Settings
from ingest.embedding import (
    DEFAULT_BATCH,
    SentenceTransformerEmbedder,
    cpu_supports_bf16,
    cuda_available,
    load_tokenizer,
)
from ingest.extract import Prepared, prepare
from ingest.pipeline import _chunking
from ingest.roofline import flops_per_token, matmul_peak, padding_waste

T = TypeVar("T")

DEFAULT_DOCS = Path(__file__).resolve().parents[2] / "shared/benchmarks/financebench/docs"


def _prepare(path: str) -> list[str]:
    settings = Settings()
    result = prepare(path, 10**10, _chunking(settings), settings.embedding_model)
    return [c.embed_text for c in result.chunks] if isinstance(result, Prepared) else []


def _documents(files: list[Path], workers: int) -> list[list[str]]:
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return [texts for texts in pool.map(_prepare, [str(f) for f in files]) if texts]


def _grouped(docs: list[list[T]]) -> list[list[T]]:
    """Documents gathered into calls of ``embed_group`` chunks or more, as ingestion does."""
    group = Settings().embed_group
    calls: list[list[T]] = []
    current: list[T] = []
    for items in docs:
        current += items
        if len(current) >= group:
            calls.append(current)
            current = []
    if current:
        calls.append(current)
    return calls


def _time_calls(
    embedder: SentenceTransformerEmbedder, calls: list[list[str]]
) -> tuple[float, np.ndarray]:
    """Seconds for these embedding calls, and their vectors in order."""
    sync = _sync(embedder.device)
    sync()
    started = time.perf_counter()
    parts = [embedder.embed(texts) for texts in calls]
    sync()
    return time.perf_counter() - started, np.concatenate(parts)


def _sync(device: str) -> Any:
    if device != "cuda":
        return lambda: None
    import torch

    return torch.cuda.synchronize


def _measure(
    device: str,
    precision: str,
    batch: int | None,
    docs: list[list[str]],
    tokens: int,
    mean_len: float,
    reference: dict[str, np.ndarray],
) -> dict[str, Any]:
    embedder = SentenceTransformerEmbedder(
        Settings().embedding_model, batch_size=batch, precision=precision, device=device
    )
    texts = [t for d in docs for t in d]
    embedder.embed(texts[: 2 * embedder.batch_size])  # load the model, warm the kernels
    grouped_s, vectors = _time_calls(embedder, _grouped(docs))
    per_doc_s, _ = _time_calls(embedder, docs)
    if precision == "fp32":
        reference[device] = vectors

    def lowest_cosine(to: str) -> float | None:
        if to not in reference:
            return None
        return round(float(np.min(np.sum(vectors * reference[to], axis=1))), 6)

    peak = matmul_peak(precision, seconds=2.0, device=device)
    achieved = tokens / grouped_s * flops_per_token(max(1, round(mean_len)))
    return {
        "device": device,
        "precision": precision,
        "batch_size": embedder.batch_size,
        "chunks_per_s": round(len(texts) / grouped_s, 1),
        "tokens_per_s": round(tokens / grouped_s, 1),
        "per_document_chunks_per_s": round(len(texts) / per_doc_s, 1),
        "ratio_grouped_over_per_document": round(per_doc_s / grouped_s, 3),
        "matmul_peak_gflops": round(peak / 1e9, 1),
        "achieved_gflops": round(achieved / 1e9, 2),
        "fraction_of_roofline": round(achieved / peak, 4),
        "min_cosine_to_fp32_same_device": lowest_cosine(device),
        "min_cosine_to_cpu_fp32": lowest_cosine("cpu"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=Path, default=DEFAULT_DOCS)
    parser.add_argument("--subset", type=int, default=6, help="the first K files")
    parser.add_argument("--max-chunks", type=int, default=1500, help="cap on chunk texts")
    parser.add_argument("--workers", type=int, default=2, help="processes reading files")
    parser.add_argument("--configs", default="cpu:fp32,cpu:bf16,cuda:fp32,cuda:fp16")
    parser.add_argument("--batch-size", type=int, default=None, help="default: per device")
    args = parser.parse_args()
    if not args.docs.is_dir():
        sys.exit(f"no documents at {args.docs}; pass --docs")
    files = sorted(p for p in args.docs.iterdir() if p.is_file())[: args.subset]
    docs = _documents(files, args.workers)
    kept: list[list[str]] = []
    room = args.max_chunks
    for texts in docs:  # whole documents, so per-document calls stay what ingestion sees
        if room <= 0:
            break
        kept.append(texts[:room])
        room -= len(kept[-1])
    tokenizer = load_tokenizer(Settings().embedding_model)
    lengths = [
        [len(ids) for ids in tokenizer(texts, truncation=True, max_length=256)["input_ids"]]
        for texts in kept
    ]
    tokens = sum(sum(doc) for doc in lengths)
    chunks = sum(len(doc) for doc in lengths)
    mean_len = tokens / chunks if chunks else 0.0
    grouped_lengths = _grouped(lengths)
    padding = {
        str(b): {
            "per_document": round(padding_waste(lengths, b), 4),
            "grouped": round(padding_waste(grouped_lengths, b), 4),
        }
        for b in sorted({args.batch_size or DEFAULT_BATCH["cpu"], DEFAULT_BATCH["cuda"]})
    }
    results: list[dict[str, Any]] = []
    reference: dict[str, np.ndarray] = {}
    for config in args.configs.split(","):
        device, _, precision = config.partition(":")
        if device == "cuda" and not cuda_available():
            results.append({"config": config, "skipped": "torch sees no CUDA GPU"})
            continue
        if device == "cpu" and precision == "bf16" and not cpu_supports_bf16():
            results.append({"config": config, "skipped": "this CPU has no native bf16"})
            continue
        try:
            results.append(
                _measure(device, precision, args.batch_size, kept, tokens, mean_len, reference)
            )
        except ConfigError as exc:
            results.append({"config": config, "skipped": str(exc)})
    gpu = None
    if cuda_available():
        import torch

        gpu = torch.cuda.get_device_name(0)
    print(
        json.dumps(
            {
                "benchmark": "embed",
                "corpus": str(args.docs),
                "documents": len(kept),
                "chunks": chunks,
                "mean_tokens_per_chunk": round(mean_len, 1),
                "embed_group": Settings().embed_group,
                "padding_waste": padding,
                "machine": {
                    "cpus": os.cpu_count(),
                    "cpu_bf16": cpu_supports_bf16(),
                    "gpu": gpu,
                    "python": platform.python_version(),
                },
                "results": results,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
