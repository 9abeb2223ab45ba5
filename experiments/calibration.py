"""Calibrate the abstention threshold on labelled questions and store it with the index.

The pipeline answers "I could not find this in the research library" when its evidence
score (the learned reranker's probability for the best passage) is under a threshold.
Here the threshold is chosen on questions labelled ``answer`` (with evidence) and
``refuse`` that the classifier treats as research questions (not-in-library questions,
not off-topic ones): the one that maximises balanced accuracy, the lowest on ties so that
in doubt the assistant answers. The result is stored in the index's parameters, where
``Pipeline.from_settings`` reads it.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from assistant.abstention import calibration_key
from assistant.pipeline import Pipeline, User
from core.errors import ResearchDeskError
from experiments.datasets import LabelledQuestion
from ingest.catalog import Catalog


class CalibrationError(ResearchDeskError):
    """The labelled questions cannot calibrate this index (too few of a kind, empty index)."""


@dataclass(frozen=True, slots=True)
class Calibration:
    threshold: float
    balanced_accuracy: float
    answer_recall: float  # answerable questions still answered at the threshold
    refuse_recall: float  # unanswerable questions refused at the threshold
    answerable: int
    unanswerable: int
    signal: str
    questions: str
    calibrated_at: float

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def choose_threshold(
    answerable: Sequence[float], unanswerable: Sequence[float]
) -> tuple[float, float, float, float]:
    """(threshold, balanced accuracy, answer recall, refuse recall); a score under the
    threshold abstains. Candidates are 0 and the midpoints between distinct scores."""
    if not answerable or not unanswerable:
        raise CalibrationError(
            "calibration needs answerable and unanswerable (expected 'refuse') research "
            f"questions; got {len(answerable)} and {len(unanswerable)}"
        )
    values = sorted(set(answerable) | set(unanswerable))
    candidates = [0.0] + [(a + b) / 2 for a, b in itertools.pairwise(values)]
    scored = []
    for threshold in candidates:
        kept = sum(s >= threshold for s in answerable) / len(answerable)
        refused = sum(s < threshold for s in unanswerable) / len(unanswerable)
        scored.append((threshold, (kept + refused) / 2, kept, refused))
    top = max(balanced for _, balanced, _, _ in scored)
    # Of the thresholds that tie for best, the middle one: no labelled score sits between
    # them, so the middle leaves the most room on both sides for questions not seen here.
    ties = [row for row in scored if row[1] >= top - 1e-12]
    low, high = ties[0][0], ties[-1][0]
    middle = min(ties, key=lambda row: abs(row[0] - (low + high) / 2))
    return middle


def calibrate(pipeline: Pipeline, questions: Sequence[LabelledQuestion], name: str) -> Calibration:
    """Score every labelled research question and choose the threshold."""
    answerable: list[float] = []
    unanswerable: list[float] = []
    for q in questions:
        if q.expected_behavior == "escalate":
            continue
        if q.expected_behavior == "answer" and not q.evidence:
            continue
        label = pipeline.classifier.classify(q.question)
        if label.intent != "research":
            continue
        user = User(groups=q.groups)
        result = pipeline.search(q.question, user=user)
        check = pipeline.answerability(q.question, result, user, label)
        # A question whose names no source is about is refused whatever the threshold.
        score = 0.0 if check.refuse_names else check.score
        (answerable if q.expected_behavior == "answer" else unanswerable).append(score)
    threshold, balanced, kept, refused = choose_threshold(answerable, unanswerable)
    return Calibration(
        threshold=round(threshold, 6),
        balanced_accuracy=round(balanced, 4),
        answer_recall=round(kept, 4),
        refuse_recall=round(refused, 4),
        answerable=len(answerable),
        unanswerable=len(unanswerable),
        signal=calibration_key(pipeline.config),
        questions=name,
        calibrated_at=time.time(),
    )


def store(catalog: Catalog, key: str, calibration: Calibration) -> None:
    """Keep the calibration in the index parameters under ``key`` (see
    ``assistant.abstention.calibration_key``); ingestion preserves it."""
    params = catalog.params()
    if params is None:
        raise CalibrationError("the index is empty; ingest documents before calibrating")
    stored = dict(params.get("calibration", {}))
    stored[key] = calibration.to_json()
    catalog.set_params({**params, "calibration": stored})
