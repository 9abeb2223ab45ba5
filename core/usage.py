"""What language-model calls cost: token counts, prices, and a per-context meter.

Kept apart from the client (``core.llm``) because answers, experiments and reports add
up usage without talking to a model. Cost is computed from the per-million-token prices
in settings; with no prices set (the default) every call costs 0, which means "unknown
price", not "free".
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, NamedTuple


class Prices(NamedTuple):
    """US dollars per million tokens; zeros when the deployment did not configure prices."""

    prompt_per_mtok: float = 0.0
    completion_per_mtok: float = 0.0

    def cost(self, prompt_tokens: int, completion_tokens: int) -> float:
        # One division of exact integers-times-prices keeps the result correctly rounded.
        total = prompt_tokens * self.prompt_per_mtok + completion_tokens * self.completion_per_mtok
        return total / 1_000_000


@dataclass(frozen=True, slots=True)
class Usage:
    """Tokens a call consumed as the server reported them, and what they cost."""

    prompt_tokens: int
    completion_tokens: int
    cost_usd: float
    model: str

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: Usage) -> Usage:
        """Sum two calls (e.g. reranking + answering); different models are joined by '+'."""
        models = dict.fromkeys([*self.model.split("+"), *other.model.split("+")])
        return Usage(
            self.prompt_tokens + other.prompt_tokens,
            self.completion_tokens + other.completion_tokens,
            self.cost_usd + other.cost_usd,
            "+".join(models),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "total_tokens": self.total_tokens,
            "cost_usd": self.cost_usd,
        }


# Usage of every LLM call made inside ``metered()`` in this thread or task, so one answer
# can add up its classifier, expansion, reranking and generation calls without shared state.
_METER: ContextVar[list[Usage] | None] = ContextVar("researchdesk_llm_usage", default=None)


@contextmanager
def metered() -> Iterator[list[Usage]]:
    """Collect the usage of the LLM calls made inside the block (this context only)."""
    token = _METER.set([])
    try:
        calls = _METER.get()
        assert calls is not None
        yield calls
    finally:
        _METER.reset(token)


def total_usage(calls: Sequence[Usage]) -> Usage | None:
    """The sum of ``calls``; None when no call reported usage."""
    total: Usage | None = None
    for usage in calls:
        total = usage if total is None else total + usage
    return total


def record(usage: Usage | None) -> None:
    """Add one call's usage to the enclosing ``metered()`` block, if any (the client calls it)."""
    calls = _METER.get()
    if calls is not None and usage is not None:
        calls.append(usage)
