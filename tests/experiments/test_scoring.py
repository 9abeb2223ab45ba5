"""Per-question records: exact metric values from hand-made pipeline outputs."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.answer import Answer
from core.usage import Usage
from experiments.datasets import Evidence, LabelledQuestion
from experiments.judge import Judgement, Verdict
from experiments.metrics import Retrieved, citation_precision, supported_share
from experiments.scoring import answer_text, needs_judging, score_question
from retrieval.types import Passage
from tests.experiments.fakes import answer, citation, passage

# Gold page 4 is ZERO-based: the PDF's 5th page.
QUESTION = LabelledQuestion(
    id="q1",
    question="What was revenue in FY2022?",
    answer="Revenue was $1.5 billion.",
    evidence=(Evidence("ACME_2022_10K", 4),),
)


def score(
    passages: list[Passage] | None, result: Answer | None, error: str | None = None
) -> dict[str, Any]:
    return score_question(
        QUESTION,
        passages,
        result,
        latency_ms=12.5,
        search_ms=3.0,
        support_threshold=0.6,
        error=error,
    )


def test_answered_question_gets_every_metric() -> None:
    passages = [passage("OTHER", 5), passage("ACME_2022_10K", 2, 3), passage("ACME_2022_10K", 4, 6)]
    cited = [citation("ACME_2022_10K", 4, 6, support=0.9), citation("OTHER", 1, support=0.3)]
    record = score(passages, answer("answered", "Revenue was 1,500 million dollars [1].", cited))
    m = record["metrics"]
    # first hit at rank 3 (pages 4-6 hold 1-based page 5): hit@1 0, hit@5 1, MRR 1/3.
    assert (m["hit@1"], m["hit@5"], m["hit@10"], m["mrr@10"]) == (0.0, 1.0, 1.0, 0.333333)
    # one gold item, found at rank 3: nDCG = (1/log2 4) / (1/log2 2) = 0.5.
    assert m["ndcg@10"] == 0.5
    assert m["doc_hit@5"] == 1.0
    assert m["behaviour_accuracy"] == 1.0
    # "1,500 million" = 1.5e9 = "$1.5 billion"; the FY2022 year is ignored.
    assert m["answer_numeric"] == 1.0
    # tokens: {revenue, was, 1500, million, dollars} vs {revenue, was, 15, billion}:
    # 2 common, P 2/5, R 2/4, F1 = 2*0.4*0.5/0.9 = 0.444444.
    assert m["answer_f1"] == pytest.approx(0.444444, abs=1e-6)
    # the first citation's pages 4-6 hold gold page 5; the second is another document.
    assert m["citation_precision"] == 0.5
    assert m["citation_recall"] == 1.0
    # supports 0.9 and 0.3 against 0.6: one of two.
    assert m["citation_support"] == 0.5
    assert record["actual"] == "answer" and record["error"] is None
    assert record["retrieved"][2]["doc_name"] == "ACME_2022_10K"
    assert record["citations"][0]["page_end"] == 6


def test_refusal_scores_zero_on_answers_and_keeps_retrieval() -> None:
    record = score([passage("ACME_2022_10K", 5)], answer("not_found", "I could not find it."))
    m = record["metrics"]
    assert record["actual"] == "refuse"
    assert m["behaviour_accuracy"] == 0.0
    assert (m["hit@1"], m["answer_numeric"], m["answer_f1"]) == (1.0, 0.0, 0.0)
    assert (m["citation_precision"], m["citation_recall"]) == (0.0, 0.0)
    assert "citation_support" not in m  # nothing cited: undefined, not perfect


def test_failed_question_is_recorded_as_wrong() -> None:
    record = score(None, None, error="ask: timeout")
    assert record["actual"] == "error" and record["error"] == "ask: timeout"
    assert record["metrics"]["behaviour_accuracy"] == 0.0
    assert record["metrics"]["answer_numeric"] == 0.0
    assert "hit@1" not in record["metrics"]  # retrieval not measured


def test_expected_refusal_has_no_answer_metrics() -> None:
    question = LabelledQuestion(id="r", question="Weather?", expected_behavior="refuse")
    record = score_question(
        question,
        None,
        answer("declined", "I can only help with research."),
        latency_ms=1.0,
        search_ms=None,
        support_threshold=0.6,
    )
    assert record["metrics"] == {"behaviour_accuracy": 1.0}


def test_answer_text_drops_markers() -> None:
    assert answer_text(answer("answered", '"Up 5%." [1][2]\n"Flat." [1, 3]')) == '"Up 5%."\n"Flat."'
    assert answer_text(answer("not_found", "I could not find this.")) == ""


def test_citation_metrics_on_page_ranges_and_support_share() -> None:
    gold = {("DOC", 4)}
    # Range 3-5 holds page 5 (gold 4); range 6-9 does not; duplicates count once: 1/2.
    cited = [Retrieved("DOC", 3, 5), Retrieved("DOC", 3, 5), Retrieved("DOC", 6, 9)]
    assert citation_precision(cited, gold) == 0.5
    assert supported_share([0.6, 0.59, 1.0, 0.0], 0.6) == 0.5
    with pytest.raises(ValueError, match="undefined"):
        supported_share([], 0.6)
    with pytest.raises(ValueError, match="threshold"):
        supported_share([0.5], 1.5)


def judged(
    result: Answer | None, judgement: Judgement, question: LabelledQuestion = QUESTION
) -> dict[str, Any]:
    return score_question(
        question,
        None,
        result,
        latency_ms=1.0,
        search_ms=None,
        support_threshold=0.6,
        judgement=judgement,
    )


def test_the_judge_metric_follows_the_verdict_and_refusals_score_zero() -> None:
    usage = Usage(100, 20, 0.5, "judge-model")
    answered = answer("answered", "Revenue was 1,500 million dollars [1].")
    assert needs_judging(QUESTION, answered)
    verdict = Verdict("partially_correct", "misses the year", usage)
    record = judged(answered, Judgement(verdict, None, usage))
    assert record["judge"] == {
        "verdict": "partially_correct",
        "score": 0.5,
        "reason": "misses the year",
        "error": None,
        "usage": usage.to_json(),
    }
    m = record["metrics"]
    assert (m["answer_judge"], m["judge_tokens"], m["judge_cost_usd"]) == (0.5, 120.0, 0.5)
    # A refusal of an answerable question scores 0 and is not sent to the judge.
    refused = answer("not_found", "I could not find this.")
    assert not needs_judging(QUESTION, refused) and not needs_judging(QUESTION, None)
    for result in (refused, None):
        record = judged(result, Judgement())
        assert record["metrics"]["answer_judge"] == 0.0 and record["judge"] is None
        assert "judge_tokens" not in record["metrics"]
    # A failed judgement leaves the metric out and keeps the error and the spent tokens.
    record = judged(answered, Judgement(None, "reply is not JSON", usage))
    assert "answer_judge" not in record["metrics"] and record["metrics"]["judge_tokens"] == 120.0
    assert record["judge"]["error"] == "reply is not JSON"
    # No judge in the run, or a question that expects no answer: no metric at all.
    assert "answer_judge" not in score(None, answered)["metrics"]
    refuse = LabelledQuestion(id="q9", question="Weather?", expected_behavior="refuse")
    assert not needs_judging(refuse, answered)
    assert "answer_judge" not in judged(answered, Judgement(), refuse)["metrics"]
    with pytest.raises(ValueError, match="verdict or its error"):
        judged(answered, Judgement())


def test_a_chunk_running_into_the_next_section_retrieves_either_s_evidence() -> None:
    from experiments.metrics import GoldPage, hits_gold
    from experiments.scoring import retrieved_of
    from retrieval.places import Place

    text = "Information Security Policy\n1. Passwords\nAt least 14 characters."
    places = (Place(0, None, "Information Security Policy"),
              Place(28, None, "Information Security Policy > 1. Passwords"))  # fmt: skip
    spanning = Passage("c", "d", "T", "/x/it_policy.html", None, None,
                       "Information Security Policy", text, 0.5, places=places)  # fmt: skip
    gold = GoldPage("it_policy", None, "1. Passwords")
    assert hits_gold(retrieved_of(spanning), gold)
    assert retrieved_of(spanning).section == ("Information Security Policy", "1. Passwords")
    # Without places the chunk holds its own section only.
    single = Passage("c", "d", "T", "/x/it_policy.html", None, None,
                     "Information Security Policy", text, 0.5)  # fmt: skip
    assert not hits_gold(retrieved_of(single), gold)
    assert retrieved_of(single).section == "Information Security Policy"
