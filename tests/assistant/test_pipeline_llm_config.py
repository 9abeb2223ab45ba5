"""The prompt-size switches for CPU models reach the OpenAI generator, and are bounded."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from assistant.config import PipelineConfig
from assistant.generate import MAX_SOURCE_CHARS, OpenAIGenerator
from assistant.pipeline import _generator
from core.settings import Settings

SETTINGS = Settings(openai_base_url="http://127.0.0.1:9/v1", llm_model="m")


def test_source_chars_and_answer_tokens_reach_the_generator() -> None:
    config = PipelineConfig(
        generator="openai",
        prompt_version="answer-local-v1",
        source_chars=600,
        answer_tokens=32,
        source_window="focus",
    )
    generator = _generator(config, SETTINGS)
    assert isinstance(generator, OpenAIGenerator)
    assert (generator.max_source_chars, generator.max_tokens) == (600, 32)
    assert generator.source_window == "focus"
    assert generator.prompt.id == "answer-local-v1"
    default = _generator(PipelineConfig(generator="openai"), SETTINGS)
    assert isinstance(default, OpenAIGenerator)
    assert (default.max_source_chars, default.max_tokens) == (MAX_SOURCE_CHARS, None)


BAD = [
    {"source_chars": 0},
    {"source_chars": 10**6},
    {"answer_tokens": 0},
    {"answer_tokens": -5},
    {"source_window": "middle"},
    {"source_window": ""},
    {"model_not_found": "maybe"},
    {"model_not_found": ""},
]


@pytest.mark.parametrize("bad", BAD)
def test_out_of_range_lengths_are_rejected(bad: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        PipelineConfig(**bad)  # type: ignore[arg-type]
