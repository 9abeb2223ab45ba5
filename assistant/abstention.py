"""When to answer ``not found``: the evidence score, its threshold and per-index calibration.

``researchdesk calibrate`` (``experiments.calibration``) fits a threshold on labelled
questions and stores it in the index's params under ``calibration_key``; without one the
shipped ``DEFAULT_ABSTAIN_THRESHOLD`` applies.
"""

from __future__ import annotations

from ingest.catalog import Catalog
from retrieval.config import SearchConfig
from retrieval.rerank import DEFAULT_FEATURE_MODEL
from retrieval.types import SearchResult

# Bump when the answerability score changes meaning: thresholds stored for older versions
# are then ignored (the shipped default applies until `researchdesk calibrate` runs).
ANSWERABILITY_VERSION = "answerability-v2"  # v2: years stated for the topic, tickers

# Used when neither the config nor the index's calibration gives a threshold. Fitted with
# experiments.calibration.choose_threshold on the design half only (FinanceBench dev's
# train companies and the sample set's answerable questions against the company-swapped
# train questions and the sample set's not-in-library ones; `bench/knowledge.py
# --threshold 0`), with the rerank-features-v2 model: balanced accuracy 0.94 there. From
# 0.20 to 0.52 every swapped question is refused and every answerable one not refused for
# its names is answered. Refit with answerability-v2 it came out at 0.572, but two
# FinanceBench train questions score 0.525-0.59 and 0.55-0.67 from run to run, so 0.572
# cost answers in some runs for one more sample near miss: the default stays 0.536. A name
# the library never mentions is refused whatever the score. With rerank-features-v3 and
# the blended order (2026-12-04) the design-half fit is 0.46 (balanced accuracy 0.977) on
# the same plateau, where 0.536 gives the same outcomes on every set: kept. See
# docs/results/knowledge.md.
DEFAULT_ABSTAIN_THRESHOLD = 0.536


def evidence_score(result: SearchResult, config: SearchConfig) -> float:
    """How strongly the best passage answers: the learned reranker's highest probability
    among the passages returned (with ``rerank_order = 'blend'`` the first passage need
    not be the most probable one).

    Without the learned reranker there is no calibrated score, so evidence is 1.0
    (never abstain here) and abstention rests on the generator's own not-found.
    """
    if config.rerank != "features" or not result.passages:
        return 0.0 if not result.passages else 1.0
    return max(p.score for p in result.passages)


def calibration_key(config: SearchConfig) -> str:
    """Calibrations are kept per scoring signal: the reranker (and its model) and the
    answerability checks; a new shipped model or check version starts from the default."""
    signal: str = config.rerank
    if signal == "features":
        signal = f"features:{config.rerank_model or DEFAULT_FEATURE_MODEL}"
    return f"{signal}+{ANSWERABILITY_VERSION}"


def calibrated_threshold(catalog: Catalog, config: SearchConfig) -> float:
    """The index's stored threshold for this reranker, else the default."""
    params = catalog.params() or {}
    stored = params.get("calibration", {}).get(calibration_key(config))
    if isinstance(stored, dict) and isinstance(stored.get("threshold"), float | int):
        return float(stored["threshold"])
    return DEFAULT_ABSTAIN_THRESHOLD
