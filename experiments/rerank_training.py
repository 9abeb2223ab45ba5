"""Train and cross-validate the learned reranker (``retrieval.rerank.FeatureReranker``).

    python -m experiments.rerank_training --set DATA_DIR=QUESTIONS.jsonl [--set ...]
        [--folds 5] [--split bench/splits/financebench-dev.json --train-on dev:train ...]
        [--out retrieval/models/rerank-features-v3.json]

For every labelled question the searcher's candidates (routing boost, hybrid, no
reranking) become feature rows, labelled 1 when the chunk covers a gold evidence page
(or section). Cross-validation folds are grouped by gold document, so no question is
scored by a model that saw a question about the same filing; the printed report compares
retrieval order ("none") with the reranked order on the held-out folds. With ``--out``,
a final model is fit on every question and written as the JSON the reranker loads.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from core.settings import Settings
from experiments.datasets import LabelledQuestion, load_questions
from experiments.metrics import GoldPage, Retrieved, hits_gold
from experiments.scoring import retrieved_of
from retrieval.config import SearchConfig
from retrieval.pipeline import Searcher
from retrieval.rerank import LinearModel
from retrieval.rerank_features import FEATURES, Featurizer

# Weak L2 regularisation: 19 standardised features, thousands of rows.
DEFAULT_C = 0.5


@dataclass(frozen=True, slots=True)
class QuestionRows:
    """One question's candidates: features, labels and where each candidate comes from."""

    set_name: str
    question_id: str
    group: str  # cross-validation group: the question's gold document
    features: np.ndarray[Any, Any]
    labels: np.ndarray[Any, Any]
    retrieved: tuple[Retrieved, ...]
    gold: tuple[GoldPage, ...]


def collect(
    set_name: str, searcher: Searcher, questions: Sequence[LabelledQuestion]
) -> list[QuestionRows]:
    """Feature rows for every question that has evidence, from ``searcher``'s candidates."""
    featurizer = Featurizer()
    rows = []
    for q in questions:
        if q.expected_behavior != "answer" or not q.evidence:
            continue
        result = searcher.search(q.question, groups=q.groups, k=searcher.config.candidates)
        context = searcher.rerank_context(q.question, result.routed_documents, q.groups)
        features = featurizer.features(q.question, result.passages, context)
        retrieved = tuple(retrieved_of(p) for p in result.passages)
        gold = tuple(GoldPage(*g) for g in q.gold())
        labels = [any(hits_gold(r, g) for g in gold) for r in retrieved]
        rows.append(
            QuestionRows(
                set_name,
                q.id,
                f"{set_name}:{sorted(g.doc_name for g in gold)[0]}",
                np.asarray(features, dtype=np.float64).reshape(len(retrieved), len(FEATURES)),
                np.asarray(labels, dtype=np.int64),
                retrieved,
                gold,
            )
        )
    return rows


def fit(rows: Sequence[QuestionRows], c: float = DEFAULT_C, model_id: str = "") -> LinearModel:
    """Logistic regression over standardised features (scikit-learn), as a LinearModel."""
    from sklearn.linear_model import LogisticRegression

    x = np.vstack([r.features for r in rows])
    y = np.concatenate([r.labels for r in rows])
    if y.min() == y.max():
        raise ValueError("training needs both relevant and irrelevant candidates")
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
    model.fit((x - mean) / scale, y)
    return LinearModel(
        id=model_id,
        features=FEATURES,
        mean=tuple(float(v) for v in mean),
        scale=tuple(float(v) for v in scale),
        coef=tuple(float(v) for v in model.coef_[0]),
        intercept=float(model.intercept_[0]),
        meta={
            "questions": len(rows),
            "rows": len(y),
            "positives": int(y.sum()),
            "C": c,
            "sets": sorted({r.set_name for r in rows}),
        },
    )


def ranked(rows: QuestionRows, scores: Sequence[float] | None) -> list[Retrieved]:
    """The question's candidates in retrieval order (None) or by descending score."""
    if scores is None:
        return list(rows.retrieved)
    order = sorted(range(len(rows.retrieved)), key=lambda i: -scores[i])
    return [rows.retrieved[i] for i in order]


def cross_validated_scores(
    rows: Sequence[QuestionRows], folds: int, c: float = DEFAULT_C
) -> list[list[float]]:
    """Held-out scores per question: folds group questions by their gold document."""
    groups = sorted({r.group for r in rows})
    fold_of = {g: i % folds for i, g in enumerate(groups)}
    scores: list[list[float]] = [[] for _ in rows]
    for fold in range(folds):
        train = [r for r in rows if fold_of[r.group] != fold]
        model = fit(train, c)
        for index, r in enumerate(rows):
            if fold_of[r.group] == fold:
                scores[index] = [float(s) for s in model.probabilities(r.features)]
    return scores


def report(
    rows: Sequence[QuestionRows], scores: Sequence[Sequence[float]] | None
) -> dict[str, float]:
    """Gold-page hit@1/5/10, MRR@10 and document hit@5 over the questions."""
    from experiments.metrics import doc_hit_at_k, mrr_at_k, page_hit_at_k

    totals = dict.fromkeys(("hit@1", "hit@5", "hit@10", "mrr@10", "doc_hit@5"), 0.0)
    for index, r in enumerate(rows):
        order = ranked(r, None if scores is None else scores[index])
        totals["hit@1"] += page_hit_at_k(order, r.gold, 1)
        totals["hit@5"] += page_hit_at_k(order, r.gold, 5)
        totals["hit@10"] += page_hit_at_k(order, r.gold, 10)
        totals["mrr@10"] += mrr_at_k(order, r.gold, 10)
        totals["doc_hit@5"] += doc_hit_at_k(order, r.gold, 5)
    n = max(len(rows), 1)
    return {name: round(value / n, 3) for name, value in totals.items()}


def split_sets(
    name: str,
    questions: list[LabelledQuestion],
    path: Path,
    split: dict[str, Any] | None,
) -> list[tuple[str, list[LabelledQuestion]]]:
    """``questions`` whole, or as its split's train and test halves when ``split`` is
    about this question file (matched by file name; the group key is read from the file's
    own records, e.g. each question's company)."""
    if split is None or Path(split["questions"]).name != path.name:
        return [(name, questions)]
    key = split["key"]
    group = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            group[str(record.get("id"))] = record.get(key)
    halves = []
    for half in ("train", "test"):
        members = set(split[half])
        halves.append((f"{name}:{half}", [q for q in questions if group.get(q.id) in members]))
    return halves


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--set",
        action="append",
        required=True,
        metavar="DATA_DIR=QUESTIONS",
        help="an index data dir and a labelled question set over it (repeatable)",
    )
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--c", type=float, default=DEFAULT_C)
    parser.add_argument("--candidates", type=int, default=50)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument(
        "--train-on",
        action="append",
        default=None,
        metavar="SET",
        help="fit the --out model on these question sets only (file stems); the other sets "
        "are then scored out of sample by it",
    )
    parser.add_argument(
        "--split",
        type=Path,
        default=None,
        help="a frozen group split (bench/splits/*.json): the set it names becomes two sets, "
        "NAME:train and NAME:test, so --train-on NAME:train leaves the test half unseen",
    )
    args = parser.parse_args(argv)
    split = json.loads(args.split.read_text(encoding="utf-8")) if args.split else None
    rows: list[QuestionRows] = []
    for spec in args.set:
        data_dir, _, questions = spec.partition("=")
        qs = load_questions(Path(questions))
        config = SearchConfig(candidates=args.candidates, k=args.candidates, rerank="none")
        searcher = Searcher.from_settings(Settings(data_dir=Path(data_dir)), config)
        try:
            for name, part in split_sets(qs.name, list(qs), Path(questions), split):
                rows.extend(collect(name, searcher, part))
        finally:
            searcher.close()
    results: dict[str, Any] = {"folds": args.folds, "C": args.c, "sets": {}}
    scores = cross_validated_scores(rows, args.folds, args.c)
    for name in sorted({r.set_name for r in rows}):
        picked = [i for i, r in enumerate(rows) if r.set_name == name]
        subset = [rows[i] for i in picked]
        results["sets"][name] = {
            "questions": len(subset),
            "candidate_recall": round(
                sum(bool(r.labels.any()) for r in subset) / max(len(subset), 1), 3
            ),
            "none": report(subset, None),
            "features_cv": report(subset, [scores[i] for i in picked]),
        }
    if args.out is not None:
        train = [r for r in rows if args.train_on is None or r.set_name in args.train_on]
        model = fit(train, args.c, model_id=args.out.stem)
        for name in sorted({r.set_name for r in rows} - {r.set_name for r in train}):
            held = [r for r in rows if r.set_name == name]
            scored = [[float(p) for p in model.probabilities(r.features)] for r in held]
            results["sets"][name]["features_out_of_sample"] = report(held, scored)
        args.out.write_text(json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")
        results["model"] = {
            "path": str(args.out),
            "coef": dict(zip(FEATURES, (round(c, 3) for c in model.coef), strict=True)),
        }
    sys.stdout.write(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    main()
