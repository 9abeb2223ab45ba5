"""Reranking: reorder the fused candidates (e.g. 50) so the passages that answer come first.

Back-ends, chosen by name (``SearchConfig.rerank``):

- ``features`` (offline default candidate): a logistic model over ``rerank_features``
  (retriever scores, catalogue routing, years, rare-term and synonym coverage, numbers),
  trained on labelled questions by ``experiments.rerank_training`` and shipped as a JSON
  file of weights; it scores 50 candidates in about a millisecond.
- ``cross-encoder``: a sentence-transformers ``CrossEncoder`` loaded by name or folder,
  for deployments that have one (none ships on PyPI, so none is bundled).
- ``llm``: listwise reranking by the configured OpenAI-compatible model
  (``retrieval.rerank_llm``).

Every reranker returns the same passages, reordered, with ``score`` replaced by its own.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from core.errors import ConfigError, MissingDependencyError
from core.registry import pick
from retrieval.rerank_features import FEATURES, Featurizer, RerankContext

__all__ = ["NAMES", "RERANKERS", "RerankContext", "Reranker", "make_reranker"]
from retrieval.types import Passage

MODELS_DIR = Path(__file__).parent / "models"
# v3 is fit, like v2, on the train half of FinanceBench dev's company split and the sample
# set only (the test half scores it out of sample), with candidates from the statement leg
# and the statement_match feature; v2 and v1 (fit on all of dev) stay loadable by name.
DEFAULT_FEATURE_MODEL = "rerank-features-v3"


class Reranker(Protocol):
    name: str
    # True when the reranker needs separate dense and sparse scores in its context.
    wants_leg_scores: bool

    def rerank(
        self, query: str, passages: Sequence[Passage], context: RerankContext
    ) -> list[Passage]:
        """The same passages, best first, each scored by this reranker."""
        ...


@dataclass(frozen=True, slots=True)
class LinearModel:
    """Standardise, then a logistic unit: the whole learned reranker, saved as JSON."""

    id: str
    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    meta: dict[str, Any]

    def probabilities(self, rows: npt.ArrayLike) -> np.ndarray[Any, Any]:
        """P(relevant) per row; ``rows`` hold every feature in ``FEATURES`` order, and the
        model reads the ones it was trained on (an older model ignores newer features)."""
        columns = [FEATURES.index(name) for name in self.features]
        x = np.asarray(rows, dtype=np.float64).reshape(-1, len(FEATURES))[:, columns]
        x = (x - np.asarray(self.mean)) / np.asarray(self.scale)
        logits = x @ np.asarray(self.coef) + self.intercept
        return np.asarray(1.0 / (1.0 + np.exp(-logits)))

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "features": list(self.features),
            "mean": list(self.mean),
            "scale": list(self.scale),
            "coef": list(self.coef),
            "intercept": self.intercept,
            "meta": self.meta,
        }

    @classmethod
    def load(cls, name_or_path: str) -> LinearModel:
        """A shipped model by id (``retrieval/models/<id>.json``) or a JSON file path."""
        path = Path(name_or_path)
        if not path.suffix:
            path = MODELS_DIR / f"{name_or_path}.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            model = cls(
                id=str(data["id"]),
                features=tuple(data["features"]),
                mean=tuple(float(v) for v in data["mean"]),
                scale=tuple(float(v) for v in data["scale"]),
                coef=tuple(float(v) for v in data["coef"]),
                intercept=float(data["intercept"]),
                meta=dict(data.get("meta", {})),
            )
        except FileNotFoundError as exc:
            shipped = sorted(p.stem for p in MODELS_DIR.glob("*.json"))
            raise ConfigError(
                f"no reranker model {name_or_path!r}; shipped models: {', '.join(shipped)}"
            ) from exc
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ConfigError(f"reranker model {path} is unreadable: {exc}") from exc
        unknown = [name for name in model.features if name not in FEATURES]
        if unknown or len(set(model.features)) != len(model.features):
            raise ConfigError(
                f"reranker model {model.id!r} was trained on other features "
                f"({', '.join(unknown) or 'repeated names'}); retrain it with "
                "`python -m experiments.rerank_training`"
            )
        if not len(model.mean) == len(model.scale) == len(model.coef) == len(model.features):
            raise ConfigError(f"reranker model {model.id!r} has inconsistent vector lengths")
        return model


class FeatureReranker:
    """The learned offline reranker: probability that a passage holds the answer."""

    name = "features"
    wants_leg_scores = True

    def __init__(self, model: str | LinearModel | None = None) -> None:
        self.model = (
            model
            if isinstance(model, LinearModel)
            else LinearModel.load(model or DEFAULT_FEATURE_MODEL)
        )
        self._featurizer = Featurizer()

    def rerank(
        self, query: str, passages: Sequence[Passage], context: RerankContext
    ) -> list[Passage]:
        if not passages:
            return []
        scores = self.model.probabilities(self._featurizer.features(query, passages, context))
        return _reordered(passages, [float(s) for s in scores])


class CrossEncoderReranker:
    """A sentence-transformers cross-encoder scoring (query, passage) pairs jointly."""

    name = "cross-encoder"
    wants_leg_scores = False

    def __init__(self, model: str, batch_size: int = 16) -> None:
        try:
            from sentence_transformers import CrossEncoder
        except ImportError as exc:  # pragma: no cover - a core dependency
            raise MissingDependencyError(
                "sentence-transformers (cross-encoder reranker)",
                "pip install sentence-transformers",
            ) from exc
        _require_trained_head(model)
        try:
            self._model = CrossEncoder(model, device="cpu", local_files_only=True)
        except OSError as exc:
            raise ConfigError(
                f"cannot load cross-encoder {model!r}: give a local folder holding a trained "
                f"cross-encoder (config, weights, tokenizer) or a cached model name ({exc})"
            ) from exc
        self.batch_size = batch_size

    def rerank(
        self, query: str, passages: Sequence[Passage], context: RerankContext
    ) -> list[Passage]:
        if not passages:
            return []
        raw = self._model.predict(
            [(query, p.text) for p in passages], batch_size=self.batch_size, show_progress_bar=False
        )
        return _reordered(
            passages, [float(s) for s in np.asarray(raw).reshape(len(passages), -1)[:, -1]]
        )


def _require_trained_head(model: str) -> None:
    """Refuse a model without a sequence-classification head: loading one would attach a
    randomly initialised head and rank at random (e.g. the bundled bi-encoder)."""
    from transformers import AutoConfig

    try:
        config = AutoConfig.from_pretrained(model, local_files_only=True)
    except (OSError, ValueError) as exc:
        raise ConfigError(
            f"cannot load cross-encoder {model!r}: give a local folder holding a trained "
            f"cross-encoder (config, weights, tokenizer) or a cached model name ({exc})"
        ) from exc
    architectures = getattr(config, "architectures", None) or []
    if not any(a.endswith("ForSequenceClassification") for a in architectures):
        raise ConfigError(
            f"{model!r} is not a cross-encoder (architectures: {architectures or 'none'}); "
            "its scoring head would be untrained, so it cannot rerank"
        )


def _reordered(passages: Sequence[Passage], scores: Sequence[float]) -> list[Passage]:
    """Stable sort by score: ties keep the retrieval order."""
    order = sorted(range(len(passages)), key=lambda i: -scores[i])
    return [dataclasses.replace(passages[i], score=scores[i]) for i in order]


def _llm(**options: Any) -> Reranker:
    from retrieval.rerank_llm import LLMReranker

    reranker: Reranker = LLMReranker(**options)
    return reranker


def _none(**options: Any) -> None:
    """Keep the retrieval order (the options, if any, are for other rerankers)."""
    return None


RERANKERS: dict[str, Callable[..., Reranker | None]] = {
    "none": _none,
    "features": FeatureReranker,
    "cross-encoder": CrossEncoderReranker,
    "llm": _llm,
}
NAMES = tuple(RERANKERS)


def make_reranker(name: str, **options: Any) -> Reranker | None:
    """The reranker called ``name``; ``none`` means keep the retrieval order (None).

    Unknown names raise ValueError listing the valid ones.
    """
    return pick(RERANKERS, name, "reranker")(**options)
