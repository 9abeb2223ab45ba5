from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from core.errors import ConfigError, MissingDependencyError
from ingest.embedding import (
    CachedEmbedder,
    EmbeddingCache,
    SentenceTransformerEmbedder,
    Vectors,
    resolve_model_path,
)


class CountingEmbedder:
    """A deterministic stand-in that records which texts reached the model."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    @property
    def name(self) -> str:
        return "counting"

    @property
    def dim(self) -> int:
        return 3

    def embed(self, texts: Sequence[str]) -> Vectors:
        self.seen.extend(texts)
        rows = [[float(len(t)), 1.0, 0.0] for t in texts]
        out = np.asarray(rows, dtype=np.float32)
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def test_cache_embeds_each_text_once_across_instances(tmp_path: Path) -> None:
    inner = CountingEmbedder()
    cached = CachedEmbedder(inner, EmbeddingCache(tmp_path / "c.sqlite3"))
    first = cached.embed(["a", "bb", "a"])
    assert inner.seen == ["a", "bb"]  # the duplicate in one call is embedded once
    again = CachedEmbedder(inner, EmbeddingCache(tmp_path / "c.sqlite3"))  # reopened from disk
    second = again.embed(["bb", "ccc"])
    assert inner.seen == ["a", "bb", "ccc"]
    np.testing.assert_array_equal(first[1], second[0])
    assert (again.hits, again.misses) == (1, 1)
    assert cached.embed([]).shape == (0, 3)


def test_cache_is_keyed_by_model(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path / "c.sqlite3")
    cache.put_many("m1", {"k": np.ones(3, dtype=np.float32)})
    assert cache.get_many("m2", ["k"]) == {}
    assert list(cache.get_many("m1", ["k"])) == ["k"]


def test_unknown_bundled_model_and_missing_model_say_how_to_fix() -> None:
    with pytest.raises(ConfigError, match="bundled: all-MiniLM-L6-v2"):
        resolve_model_path("bundled:nope")
    embedder = SentenceTransformerEmbedder("/nonexistent/model-folder")
    with pytest.raises(MissingDependencyError, match="RESEARCHDESK_EMBEDDING_MODEL"):
        embedder.embed(["x"])
    with pytest.raises(ConfigError, match="precision"):
        SentenceTransformerEmbedder("x", precision="fp8")


@pytest.mark.slow
def test_bundled_model_gives_normalised_semantic_vectors() -> None:
    embedder = SentenceTransformerEmbedder("bundled:all-MiniLM-L6-v2", precision="fp32")
    vectors = embedder.embed(
        ["Bond yields fell sharply.", "Fixed income yields declined.", "A recipe for cake."]
    )
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2


def test_missing_dependency_error_survives_pickling() -> None:
    import pickle

    error = pickle.loads(pickle.dumps(MissingDependencyError("model X", "pip install x")))
    assert isinstance(error, MissingDependencyError)
    assert str(error) == "model X is not available: pip install x"


def test_device_and_precision_follow_the_hardware(monkeypatch: pytest.MonkeyPatch) -> None:
    from ingest import embedding

    monkeypatch.setattr(embedding, "cuda_available", lambda: False)
    monkeypatch.setattr(embedding, "cpu_supports_bf16", lambda: True)
    cpu = SentenceTransformerEmbedder("m")
    assert (cpu.device, cpu.precision, cpu.batch_size) == ("cpu", "bf16", 32)
    monkeypatch.setattr(embedding, "cpu_supports_bf16", lambda: False)
    assert SentenceTransformerEmbedder("m").precision == "fp32"
    with pytest.raises(ConfigError, match="no CUDA GPU"):
        _ = SentenceTransformerEmbedder("m", device="cuda").device
    with pytest.raises(ConfigError, match="fp16 needs a GPU"):
        _ = SentenceTransformerEmbedder("m", precision="fp16").precision

    monkeypatch.setattr(embedding, "cuda_available", lambda: True)
    gpu = SentenceTransformerEmbedder("m")
    assert (gpu.device, gpu.precision, gpu.batch_size) == ("cuda", "fp16", 256)
    pinned = SentenceTransformerEmbedder("m", device="cpu", batch_size=7)
    assert (pinned.device, pinned.batch_size) == ("cpu", 7)
    assert SentenceTransformerEmbedder("m", precision="fp32").precision == "fp32"


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"device": "tpu"}, "device"),
        ({"precision": "int4"}, "precision"),
        ({"batch_size": 0}, "batch size"),
    ],
)
def test_bad_device_precision_or_batch_is_a_config_error(
    kwargs: dict[str, object], match: str
) -> None:
    with pytest.raises(ConfigError, match=match):
        SentenceTransformerEmbedder("m", **kwargs)  # type: ignore[arg-type]


def test_the_model_is_cast_to_the_precision_asked(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """fp16 weights only when asked (a GPU); fp32 otherwise, whatever the checkpoint holds."""
    import sentence_transformers

    from ingest import embedding

    made: list[tuple[str, str]] = []

    class FakeModel:
        def __init__(self, path: str, device: str, local_files_only: bool) -> None:
            self.device = device

        def half(self) -> FakeModel:
            made.append((self.device, "half"))
            return self

        def float(self) -> FakeModel:
            made.append((self.device, "float"))
            return self

    monkeypatch.setattr(sentence_transformers, "SentenceTransformer", FakeModel)
    embedding._load_sentence_transformer.cache_clear()
    try:
        embedding._load_sentence_transformer(str(tmp_path), "cuda", True)
        embedding._load_sentence_transformer(str(tmp_path), "cpu", False)
    finally:
        embedding._load_sentence_transformer.cache_clear()
    assert made == [("cuda", "half"), ("cpu", "float")]


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("RESEARCHDESK_EMBEDDING_DEVICE", "tpu"),
        ("RESEARCHDESK_EMBEDDING_DEVICE", ""),
        ("RESEARCHDESK_EMBEDDING_PRECISION", "int8"),
        ("RESEARCHDESK_EMBEDDING_BATCH_SIZE", "0"),
        ("RESEARCHDESK_EMBEDDING_BATCH_SIZE", "99999999"),
        ("RESEARCHDESK_EMBEDDING_BATCH_SIZE", "lots"),
    ],
)
def test_bad_embedding_settings_are_refused_by_name(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    from core.settings import Settings

    monkeypatch.setenv(variable, value)
    field = variable.removeprefix("RESEARCHDESK_").lower()
    with pytest.raises(ValueError, match=field):
        Settings()
