"""The LLM judge against a REAL model (llama.cpp server, Qwen2.5 0.5B), its reply constrained
by the verdict's JSON schema: every reply must parse; the label itself is not asserted."""

from __future__ import annotations

from typing import get_args

import pytest

from experiments.judge import Label, LLMJudge
from tests.local_llm_server import LocalServer

pytestmark = [pytest.mark.slow, pytest.mark.integration]


def test_the_judge_replies_with_a_parseable_verdict(local_llm: LocalServer) -> None:
    judge = LLMJudge(local_llm.client())
    judgement = judge.attempt(
        "What is the Class I total expense ratio of the HPW Global Income Fund?",
        "0.55%",
        "The Class I total expense ratio is 0.55% [1].",
    )
    assert judgement.error is None, judgement.error
    assert judgement.verdict is not None
    assert judgement.verdict.label in get_args(Label)
    assert isinstance(judgement.verdict.reason, str)
    assert judgement.usage is not None and judgement.usage.completion_tokens > 0
