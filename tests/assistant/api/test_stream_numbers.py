"""A streamed answer cites with the numbers its final answer keeps, end to end over HTTP.

The extractive answers of the sample corpus cite in source order, so this guards the path
rather than reproducing the bug; the reproduction (a draft citing out of order) is
``tests/assistant/test_pipeline.py::test_streamed_citation_numbers_are_the_final_ones``.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.assistant.api.conftest import Headers, sse_events

QUESTIONS = [
    "What is the minimum password length required by the firm's information security policy?",
    "What is the total expense ratio of the HPW Global Income Fund?",
    "What is Harbor Point's year-end 2026 target for the S&P 500?",
]


@pytest.mark.parametrize("question", QUESTIONS)
def test_streamed_and_final_citation_numbers_agree(
    client: TestClient, advisor: Headers, question: str
) -> None:
    response = client.post("/v1/chat", json={"message": question, "stream": True}, headers=advisor)
    events = sse_events(response.text)
    final = events[-1][1]
    assert events[-1][0] == "answer" and final["citations"], final
    streamed = "".join(data["text"] for name, data in events if name == "token")
    in_stream = [int(n) for n in re.findall(r"\[(\d+)\]", streamed)]
    in_final = [int(n) for n in re.findall(r"\[(\d+)\]", final["answer"])]
    assert set(in_final) <= set(in_stream), (streamed, final["answer"])
    assert {c["number"] for c in final["citations"]} == set(in_final)
    first_use = list(dict.fromkeys(in_stream))
    assert first_use == sorted(first_use)  # numbered by first use, as the final answer is
