"""The embedder's roofline: FLOPs per token of a BERT-style encoder and the CPU's measured
matmul peak, so a measured tokens/s can be stated as a fraction of what the hardware allows.
"""

from __future__ import annotations

import time
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


def matmul_peak(dtype: str = "fp32", seconds: float = 2.0, threads: int | None = None) -> float:
    """Measured FLOP/s of the encoder's largest matmul shape (8192x384 @ 384x1536).

    ``dtype`` is fp32 or bf16 (bf16 as the embedder runs it: autocast on the CPU).
    """
    import torch

    if dtype not in ("fp32", "bf16"):
        raise ValueError(f"dtype must be fp32 or bf16, not {dtype!r}")
    if threads is not None:
        torch.set_num_threads(threads)
    kind = torch.float32 if dtype == "fp32" else torch.bfloat16
    a = torch.randn(8192, 384, dtype=kind)
    b = torch.randn(384, 1536, dtype=kind)
    flops = 2.0 * 8192 * 384 * 1536
    with torch.inference_mode():
        torch.matmul(a, b)  # warm up
        runs = 0
        started = time.perf_counter()
        while time.perf_counter() - started < seconds:
            torch.matmul(a, b)
            runs += 1
        elapsed = time.perf_counter() - started
    return flops * runs / elapsed
