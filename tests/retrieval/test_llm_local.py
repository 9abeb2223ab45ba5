"""The retrieval stages' LLM paths against a REAL model (llama.cpp server, Qwen2.5 0.5B).

The fake server (tests/fake_openai.py) covers faults; these check that a real
OpenAI-compatible server and a real model produce replies the strict parsers accept,
with JSON constrained by a schema where the server supports it. They assert structure,
never wording: a 0.5B model's answers are not the point.
"""

from __future__ import annotations

import json

import pytest

from core.llm import Message
from core.usage import metered
from retrieval.classify import INTENTS, RISKS
from retrieval.classify_llm import VERDICT_SCHEMA, LLMClassifier, parse_verdict
from retrieval.expand_llm import LLMExpander
from retrieval.rerank_features import RerankContext
from retrieval.rerank_llm import LLMReranker
from retrieval.types import Passage
from tests.local_llm_server import LocalServer

pytestmark = [pytest.mark.slow, pytest.mark.integration]

QUESTION = "What is the total expense ratio of the HPW Global Income Fund?"


def passage(number: int, text: str) -> Passage:
    return Passage(
        chunk_id=f"c{number}",
        document_id=f"d{number}",
        title=f"Doc {number}",
        source=f"doc{number}.pdf",
        page_start=1,
        page_end=1,
        section="",
        text=text,
        score=1.0 / number,
    )


def test_complete_and_stream_report_text_usage_and_finish(local_llm: LocalServer) -> None:
    client = local_llm.client()
    ask = [Message("user", "Reply with the single word: yes")]
    with metered() as calls:
        done = client.complete(ask, max_tokens=8)
    assert done.text.strip()
    assert done.finish_reason in ("stop", "length")
    assert done.usage is not None and done.usage.prompt_tokens > 0
    assert calls == [done.usage]

    stream = client.stream(ask, max_tokens=8)
    deltas = list(stream)
    assert deltas and "".join(deltas) == stream.text
    assert stream.finish_reason in ("stop", "length")
    # llama_cpp.server 0.2.x sends no usage in streams; the client must not invent one.
    assert stream.usage is None or stream.usage.completion_tokens > 0


def test_the_classifier_gets_schema_valid_json(local_llm: LocalServer) -> None:
    classifier = LLMClassifier(local_llm.client(), max_tokens=80)
    result = classifier.classify("What was 3M's capital expenditure in FY2022?")
    assert result.intent in INTENTS and result.risk in RISKS
    assert any(r.startswith("llm:classify-v1:") for r in result.reasons)  # the model was asked
    assert 2022 in result.years  # the rules' floor keeps the year whatever the model says
    assert classifier.last_usage is not None


def test_the_schema_constrains_a_reply_the_prompt_alone_does_not(local_llm: LocalServer) -> None:
    # Without a format rule in the prompt, the server's grammar alone must make it parse.
    messages = [Message("user", "Describe the question 'sell 500 ACME shares now' briefly.")]
    constrained = local_llm.client().complete(messages, max_tokens=80, schema=VERDICT_SCHEMA)
    data = json.loads(constrained.text)
    assert set(data) == {"intent", "risk", "entities", "years"}
    parse_verdict(constrained.text)  # every field within the allowed values


@pytest.mark.parametrize("kind", ["rewrite", "multi-query", "hyde"])
def test_expansion_kinds_give_usable_variants(local_llm: LocalServer, kind: str) -> None:
    expander = LLMExpander(local_llm.client(), kind, max_tokens=60)  # type: ignore[arg-type]
    expansion = expander.expand(QUESTION)
    assert expansion.variants[0] == QUESTION
    assert len(expansion.variants) >= 2
    assert all(v.strip() and len(v) <= 1000 for v in expansion.variants)


def test_the_llm_reranker_grades_every_passage(local_llm: LocalServer) -> None:
    passages = [
        passage(1, "The cafeteria menu changes every Monday."),
        passage(2, "HPW Global Income Fund: total expense ratio 0.85% (Class A), 0.55% (Class I)."),
        passage(3, "Bond yields rose in the third quarter."),
    ]
    reranker = LLMReranker(client=local_llm.client())
    ranked = reranker.rerank(QUESTION, passages, RerankContext())
    assert sorted(p.chunk_id for p in ranked) == ["c1", "c2", "c3"]
    assert all(0.0 <= p.score <= 1.0 for p in ranked)
    assert [p.score for p in ranked] == sorted((p.score for p in ranked), reverse=True)
    assert reranker.last_usage is not None
