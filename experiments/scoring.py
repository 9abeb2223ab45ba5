"""One question, one rung: what the pipeline returned and its per-question metrics.

The record written here is the per-question JSONL line of a run; every number in a run's
summary is recomputed from these lines (``experiments.summary``), so a reader can audit
any figure from the records alone. Which metrics a question gets depends only on its
labels (expected behaviour, evidence, gold answer), never on what the pipeline did, so two
rungs are always compared over the same questions; the exceptions are marked in
``experiments.summary.METRICS``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from assistant.answer import Answer, Citation, Outcome
from experiments.datasets import LabelledQuestion
from experiments.judge import Judgement
from experiments.metrics import (
    Retrieved,
    citation_precision,
    citation_recall,
    doc_hit_at_k,
    extract_numbers,
    mrr_at_k,
    ndcg_at_k,
    numeric_match,
    page_hit_at_k,
    recall_at_k,
    supported_share,
    token_f1,
)
from retrieval.types import Passage

Behaviour = Literal["answer", "refuse", "escalate", "error"]
RETRIEVAL_K = 10  # passages searched per question for the retrieval metrics

BEHAVIOUR_OF: dict[Outcome, Behaviour] = {
    "answered": "answer",
    "not_found": "refuse",
    "declined": "refuse",
    "escalated": "escalate",
}
# The governed outcome adds "blocked" (a guardrail refused the message): the user was refused.
GOVERNED_BEHAVIOUR: dict[str, Behaviour] = {str(k): v for k, v in BEHAVIOUR_OF.items()}
GOVERNED_BEHAVIOUR["blocked"] = "refuse"
_MARKER = re.compile(r"\s*\[\d+(?:\s*[,;]\s*\d+)*\]")


def doc_name(source: str) -> str:
    """A passage's document as question sets name it: the file stem (FinanceBench)."""
    return Path(source).stem


def retrieved_of(passage: Passage) -> Retrieved:
    """A retrieved chunk as the hit rule reads it: its document, pages and every heading it
    holds text under. A chunk running from one section into the next (``places``) holds
    both, and retrieves either's evidence."""
    section: str | tuple[str, ...] = passage.section
    if passage.places:
        paths = [passage.section, *(place.section for place in passage.places)]
        section = tuple(dict.fromkeys(h for path in paths for h in path.split(" > ") if h))
    return Retrieved(doc_name(passage.source), passage.page_start, passage.page_end, section)


def answer_text(answer: Answer) -> str:
    """The answer without its [n] markers: what is compared with the gold answer."""
    return _MARKER.sub("", answer.text).strip() if answer.outcome == "answered" else ""


def needs_judging(question: LabelledQuestion, answer: Answer | None) -> bool:
    """Whether the judge grades this answer: a gold answer was expected and given.

    An expected answer that the pipeline refused, escalated or failed scores 0 without a
    call, as ``answer_numeric`` does; there is nothing to grade.
    """
    return (
        question.expected_behavior == "answer"
        and bool(question.answer)
        and answer is not None
        and answer.outcome == "answered"
    )


def score_question(
    question: LabelledQuestion,
    passages: Sequence[Passage] | None,
    answer: Answer | None,
    *,
    latency_ms: float | None,
    search_ms: float | None,
    support_threshold: float,
    error: str | None = None,
    judgement: Judgement | None = None,
    governed: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The JSON record of one question under one rung (see docs/experiments.md).

    ``passages`` is None when retrieval was not measured (no evidence labels); ``answer``
    is None when asking failed, and ``error`` then says why: the question counts as wrong
    on every answer metric rather than being dropped, so failures cannot flatter a rung.
    ``judgement`` is None when the run has no LLM judge; a judge that failed on this
    question leaves ``answer_judge`` out (its error is recorded), it is never guessed.
    ``governed`` is what the governed turn decided (``assistant.turn.Governed.to_json``):
    its outcome is what the user got, so it sets the behaviour (a message blocked by a
    guardrail has no answer and counts as a refusal).
    """
    outcome = _outcome(answer, governed)
    actual: Behaviour = GOVERNED_BEHAVIOUR[outcome] if outcome != "error" else "error"
    metrics: dict[str, float] = {"behaviour_accuracy": float(actual == question.expected_behavior)}
    gold = question.gold()
    retrieved = [retrieved_of(p) for p in passages] if passages is not None else None
    if retrieved is not None and gold:
        metrics.update(retrieval_metrics(retrieved, gold))
    prediction = answer_text(answer) if answer is not None else ""
    cited = (
        [r for c in answer.citations for r in retrieved_of_citation(c)]
        if answer is not None
        else []
    )
    if question.expected_behavior == "answer":
        if question.answer:
            metrics["answer_f1"] = token_f1(prediction, question.answer)
            if extract_numbers(question.answer):
                metrics["answer_numeric"] = float(
                    bool(prediction) and numeric_match(prediction, question.answer)
                )
            if judgement is not None:
                metrics.update(judge_metrics(judgement, needs_judging(question, answer)))
        if gold:
            metrics["citation_precision"] = citation_precision(cited, gold)
            metrics["citation_recall"] = citation_recall(cited, gold)
    supports = [c.support for c in answer.citations] if answer is not None else []
    if supports:
        # Depends on what was cited, so rungs may differ in which questions count here.
        metrics["citation_support"] = supported_share(supports, support_threshold)
    usage = answer.usage if answer is not None else None
    if usage is not None:
        metrics["tokens"] = float(usage.total_tokens)
        metrics["cost_usd"] = usage.cost_usd
    return {
        "id": question.id,
        "question": question.question,
        "question_type": question.question_type,
        "expected": question.expected_behavior,
        "actual": actual,
        "outcome": outcome,
        "governed": governed,
        "error": error,
        "gold_answer": question.answer,
        "gold": [list(g) for g in sorted(gold, key=repr)],
        "answer": answer.text if answer is not None else "",
        "citations": [
            {
                "doc_name": doc_name(c.source),
                "page_start": c.page_start,
                "page_end": c.page_end,
                "section": c.section,
                "support": c.support,
                "quote": c.quote,
                "also": [place.to_json() for place in c.also],
            }
            for c in (answer.citations if answer is not None else [])
        ],
        "retrieved": None
        if passages is None
        else [
            {
                "chunk_id": p.chunk_id,
                "doc_name": r.doc_name,
                "page_start": r.page_start,
                "page_end": r.page_end,
                "section": p.section,
                "score": round(p.score, 6),
            }
            for p, r in zip(passages, retrieved or [], strict=True)
        ],
        "latency_ms": latency_ms,
        "search_ms": search_ms,
        "timings_ms": answer.timings_ms if answer is not None else {},
        "model": answer.model if answer is not None else None,
        "prompt_version": answer.prompt_version if answer is not None else None,
        "usage": usage.to_json() if usage is not None else None,
        "judge": judge_record(judgement),
        "metrics": {name: round(value, 6) for name, value in metrics.items()},
    }


def _outcome(answer: Answer | None, governed: dict[str, Any] | None) -> str:
    if governed is not None:
        return str(governed["outcome"])
    return answer.outcome if answer is not None else "error"


def judge_metrics(judgement: Judgement, asked: bool) -> dict[str, float]:
    """``answer_judge`` (1, 0.5, 0; absent when the judge failed) and the judge's usage."""
    if not asked:
        if judgement.verdict is not None or judgement.error is not None:
            raise ValueError("the judge was asked about an answer that needs no judging")
        return {"answer_judge": 0.0}
    if judgement.verdict is None and judgement.error is None:
        raise ValueError("an answered question needs the judge's verdict or its error")
    metrics = {"answer_judge": judgement.verdict.score} if judgement.verdict is not None else {}
    if judgement.usage is not None:
        metrics["judge_tokens"] = float(judgement.usage.total_tokens)
        metrics["judge_cost_usd"] = judgement.usage.cost_usd
    return metrics


def judge_record(judgement: Judgement | None) -> dict[str, Any] | None:
    """What the judge said about this answer; None when it was not asked."""
    if judgement is None or (judgement.verdict is None and judgement.error is None):
        return None
    verdict = judgement.verdict
    return {
        "verdict": verdict.label if verdict is not None else None,
        "score": verdict.score if verdict is not None else None,
        "reason": verdict.reason if verdict is not None else None,
        "error": judgement.error,
        "usage": judgement.usage.to_json() if judgement.usage is not None else None,
    }


def retrieval_metrics(
    retrieved: Sequence[Retrieved], gold: frozenset[tuple[str, int | None, str | None]]
) -> dict[str, float]:
    """Page- and document-level retrieval metrics at the cut-offs the reports show."""
    return {
        "hit@1": float(page_hit_at_k(retrieved, gold, 1)),
        "hit@5": float(page_hit_at_k(retrieved, gold, 5)),
        "hit@10": float(page_hit_at_k(retrieved, gold, RETRIEVAL_K)),
        "recall@10": recall_at_k(retrieved, gold, RETRIEVAL_K),
        "mrr@10": mrr_at_k(retrieved, gold, RETRIEVAL_K),
        "ndcg@10": ndcg_at_k(retrieved, gold, RETRIEVAL_K),
        "doc_hit@5": float(doc_hit_at_k(retrieved, gold, 5)),
    }


def retrieved_of_citation(citation: Citation) -> list[Retrieved]:
    """A citation as the page ranges of its document it quotes (the same hit rule as
    retrieval): its quote's, then each place of ``also``."""
    name = doc_name(citation.source)
    return [
        Retrieved(name, citation.page_start, citation.page_end, citation.section),
        *(Retrieved(name, p.page_start, p.page_end, p.section) for p in citation.also),
    ]
