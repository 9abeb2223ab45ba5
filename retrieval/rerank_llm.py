"""Listwise reranking by the configured OpenAI-compatible model (prompt ``rerank-v1``).

The model grades every candidate 0-3 in one call; passages are reordered by grade, ties
kept in retrieval order. Grades the model does not give (a short or garbled reply) count
as 0 for those passages only, and a reply with no usable grade at all is an error, never
a silent "no reranking". Token usage of the last call is kept for the answer's accounting.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from core.errors import GeneratorError
from core.llm import LLMClient
from core.prompts import load_prompt
from core.settings import Settings
from core.usage import Usage
from retrieval.rerank_features import RerankContext
from retrieval.types import Passage

_GRADE = re.compile(r"^\s*\[?(\d{1,3})\]?\s*[:=\-]\s*([0-3])\b", re.M)
MAX_PASSAGE_CHARS = 1200  # grading needs the gist; this bounds a 50-candidate prompt
# A reply line "12: 3" is about 5 tokens; the cap stops a model that rambles after them.
TOKENS_PER_GRADE = 8


class LLMReranker:
    name = "llm"
    wants_leg_scores = False

    def __init__(
        self,
        settings: Settings | None = None,
        model: str | None = None,
        *,
        client: LLMClient | None = None,
        prompt_id: str = "rerank-v1",
        max_passages: int = 30,
    ) -> None:
        if client is None:
            if settings is None:
                raise ValueError("LLMReranker needs settings or a client")
            if model:
                settings = settings.model_copy(update={"llm_model": model})
            client = LLMClient.from_settings(settings)
        self.client = client
        self.prompt = load_prompt("retrieval", prompt_id)
        self.max_passages = max_passages
        self.last_usage: Usage | None = None

    def rerank(
        self, query: str, passages: Sequence[Passage], context: RerankContext
    ) -> list[Passage]:
        if not passages:
            return []
        head, tail = list(passages[: self.max_passages]), list(passages[self.max_passages :])
        listing = "\n\n".join(
            f"[{n}] {' '.join(p.text.split())[:MAX_PASSAGE_CHARS]}"
            for n, p in enumerate(head, start=1)
        )
        completion = self.client.complete(
            self.prompt.render(question=query, passages=listing),
            max_tokens=TOKENS_PER_GRADE * len(head) + 16,
        )
        self.last_usage = completion.usage
        grades = parse_grades(completion.text, len(head))
        order = sorted(range(len(head)), key=lambda i: -grades[i])
        ranked = [dataclasses.replace(head[i], score=grades[i] / 3) for i in order]
        return ranked + [dataclasses.replace(p, score=0.0) for p in tail]


def parse_grades(reply: str, count: int) -> list[int]:
    """Grade per passage (0-based list) from lines like ``3: 2``; missing ones are 0."""
    grades = [0] * count
    found = False
    for number, grade in _GRADE.findall(reply):
        index = int(number) - 1
        if 0 <= index < count:
            grades[index] = int(grade)
            found = True
    if not found:
        raise GeneratorError(f"the reranking model's reply held no grades: {reply[:200]!r}")
    return grades
