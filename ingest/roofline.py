"""The embedder's roofline: FLOPs per token of a BERT-style encoder and the measured matmul
peak of the CPU or GPU, so a measured tokens/s can be stated as a fraction of what the
hardware allows; and the padding a batching wastes.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Encoder:
    """Shape of a BERT-style encoder; the default is all-MiniLM-L6-v2."""

    layers: int = 6
    hidden: int = 384
    ffn: int = 1536


MINILM_L6 = Encoder()


def flops_per_token(seq_len: int, model: Encoder = MINILM_L6) -> float:
    """Forward FLOPs per token (multiply-add = 2) at a sequence length of ``seq_len``.

    Per layer: Q, K, V and output projections (4 h^2), the feed-forward pair (2 h f), and
    attention scores plus the weighted sum (2 s h); embeddings, norms and softmax are
    negligible. MiniLM-L6 at 256 tokens: 23.6 MFLOP per token.
    """
    if seq_len < 1:
        raise ValueError(f"seq_len must be >= 1, not {seq_len}")
    h, f = model.hidden, model.ffn
    per_layer = 2 * (4 * h * h + 2 * h * f + 2 * seq_len * h)
    return float(model.layers * per_layer)


def matmul_peak(
    dtype: str = "fp32", seconds: float = 2.0, threads: int | None = None, device: str = "cpu"
) -> float:
    """Measured FLOP/s of the encoder's largest matmul shape (rows x 384 @ 384 x 1536).

    ``dtype`` is fp32 or bf16 on the CPU (bf16 as the embedder runs it: autocast), fp32,
    bf16 or fp16 on ``cuda``. Rows: 8192 on the CPU (32 chunks of 256 tokens), 65,536 on a
    GPU (its default batch of 256 chunks).
    """
    import torch

    kinds = {"fp32": torch.float32, "bf16": torch.bfloat16, "fp16": torch.float16}
    allowed = ("fp32", "bf16", "fp16") if device == "cuda" else ("fp32", "bf16")
    if dtype not in allowed:
        raise ValueError(f"dtype must be one of {', '.join(allowed)} on {device}, not {dtype!r}")
    if threads is not None:
        torch.set_num_threads(threads)
    rows = 65536 if device == "cuda" else 8192
    a = torch.randn(rows, 384, dtype=kinds[dtype], device=device)
    b = torch.randn(384, 1536, dtype=kinds[dtype], device=device)
    flops = 2.0 * rows * 384 * 1536

    def sync() -> None:
        if device == "cuda":
            torch.cuda.synchronize()

    with torch.inference_mode():
        torch.matmul(a, b)  # warm up
        sync()
        runs = 0
        started = time.perf_counter()
        while time.perf_counter() - started < seconds:
            for _ in range(10 if device == "cuda" else 1):
                torch.matmul(a, b)
                runs += 1
            sync()
        elapsed = time.perf_counter() - started
    return flops * runs / elapsed


def padded_tokens(lengths: Sequence[int], batch_size: int) -> int:
    """Tokens a sentence-transformers call computes for texts of these token lengths.

    It sorts a call's texts by length and pads each batch to its longest text, so the
    cost of one call is the sum over batches of (batch rows x longest length).
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be >= 1, not {batch_size}")
    ordered = sorted(lengths, reverse=True)
    return sum(
        ordered[i] * len(ordered[i : i + batch_size]) for i in range(0, len(ordered), batch_size)
    )


def padding_waste(calls: Sequence[Sequence[int]], batch_size: int) -> float:
    """Share of computed tokens that are padding, over several embedding calls."""
    real = sum(sum(call) for call in calls)
    padded = sum(padded_tokens(call, batch_size) for call in calls)
    return 0.0 if padded == 0 else 1.0 - real / padded
