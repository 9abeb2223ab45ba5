"""One labelled question as an advisor would ask it: through the governed turn.

The runner asks every question through ``assistant.turn.GovernedDesk``, the path of the
HTTP service and ``researchdesk ask``: the question is masked before it is searched or
answered, the input guardrails may block it, and the risk tier applies. What differs
offline is said, not skipped: there is no approval queue (an escalation is recorded as
not queued), no conversation, and the audit records stay in memory. Each record carries
the governed outcome (``answered``, ``not_found``, ``declined``, ``escalated`` or
``blocked``) under ``governed``.
"""

from __future__ import annotations

import time
from typing import Any

from assistant.keys import Principal
from assistant.turn import AnsweringPipeline, Governed, GovernedDesk, MemoryAudit, TurnOptions
from core.errors import ResearchDeskError
from core.settings import Settings
from experiments.datasets import LabelledQuestion
from experiments.judge import Judgement, LLMJudge
from experiments.scoring import RETRIEVAL_K, answer_text, needs_judging, score_question
from retrieval.types import Passage

EXPERIMENT_PRINCIPAL = "experiment"  # the audit's principal id for experiment questions


def experiment_desk(settings: Settings) -> GovernedDesk:
    """The governed desk of an offline run: kind ``experiment``, no approval queue."""
    options = TurnOptions.from_settings(settings, kind="experiment", queue_approvals=False)
    return GovernedDesk(options, MemoryAudit())


def ask_one(
    pipeline: AnsweringPipeline,
    desk: GovernedDesk,
    question: LabelledQuestion,
    threshold: float,
    judge: LLMJudge | None,
) -> dict[str, Any]:
    """Search (for the retrieval metrics) and ask one question; score what was given.

    Both use the masked question, as the service does. A failing question is recorded
    with its error, not fatal; a blocked one counts as a refusal.
    """
    principal = Principal(EXPERIMENT_PRINCIPAL, "experiment runner", ("advisor",), question.groups)
    turn = desk.open(principal, question.question)
    passages: list[Passage] | None = None
    search_ms = latency_ms = None
    errors = []
    if question.evidence:
        t = time.perf_counter()
        try:
            passages = pipeline.search(turn.masked.text, k=RETRIEVAL_K, user=turn.user).passages
        except ResearchDeskError as exc:
            passages, errors = [], [f"search: {exc}"]
        search_ms = round((time.perf_counter() - t) * 1000, 2)
    governed: Governed | None = None
    t = time.perf_counter()
    try:
        governed = desk.run_turn(turn, pipeline)
        latency_ms = round((time.perf_counter() - t) * 1000, 2)
    except ResearchDeskError as exc:
        errors.append(f"ask: {exc}")
    answer = governed.answer if governed is not None else None
    judgement = None
    if judge is not None:
        judgement = Judgement()
        if needs_judging(question, answer):
            assert answer is not None and question.answer is not None
            judgement = judge.attempt(question.question, question.answer, answer_text(answer))
    return score_question(
        question,
        passages,
        answer,
        latency_ms=latency_ms,
        search_ms=search_ms,
        support_threshold=threshold,
        error="; ".join(errors) or None,
        judgement=judgement,
        governed=governed.to_json() if governed is not None else None,
    )
