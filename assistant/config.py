"""``PipelineConfig``: every switch of the query pipeline, read from a ``[pipeline]`` table.

Retrieval's switches are inherited from ``retrieval.config.SearchConfig``; the answering
ones (classification, generator, prompt, abstention, verification) are added here.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError

from assistant.generate import MAX_SOURCE_CHARS, SourceWindow
from core.errors import ConfigError
from retrieval.config import SearchConfig

GeneratorName = Literal["extractive", "openai"]


class PipelineConfig(SearchConfig):
    """Every switch of the query pipeline: retrieval (inherited), then answering."""

    classify: bool = Field(
        default=True,
        description="Decline off-topic questions and escalate requests to act; when off, "
        "every question is searched (for retrieval experiments).",
    )
    generator: GeneratorName = "extractive"
    prompt_version: str = Field(default="answer-v1", description="Prompt id for 'openai'.")
    sources: int = Field(default=5, ge=1, le=20, description="Passages given to the generator.")
    compute_sources: int = Field(
        default=8,
        ge=1,
        le=20,
        description="Passages given to the generator when the question names a measure the "
        "offline rules compute (a margin, EBITDA, a turnover), whose operands often lie on "
        "different statements; never fewer than sources. With 'openai' the model reads "
        "only sources of them, the offline rules all.",
    )
    model_not_found: Literal["refuse", "quote"] = Field(
        default="refuse",
        description="What the 'openai' generator's NOT_FOUND does once the answerability "
        "checks have passed: 'refuse' (the model's verdict stands) or 'quote' (the offline "
        "extractive answer stands in its place, its reason saying so): for small local "
        "models, whose NOT_FOUND is mostly wrong (docs/local-llm.md).",
    )
    source_chars: int = Field(
        default=MAX_SOURCE_CHARS,
        ge=200,
        le=20_000,
        description="Characters of each passage the 'openai' generator reads; lower it for "
        "CPU models, whose prompt reading dominates latency (docs/local-llm.md).",
    )
    source_window: SourceWindow = Field(
        default="head",
        description="What of a passage over source_chars the 'openai' generator reads: "
        "'focus', its lines that share the question's words (with their column header); "
        "'head', its start.",
    )
    answer_tokens: int | None = Field(
        default=None, ge=1, le=4096, description="Cap on the 'openai' answer's length."
    )
    quotes: int = Field(
        default=2, ge=1, le=10, description="Sentences the extractive answer quotes."
    )
    abstain_threshold: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description="Evidence score under which the answer is 'not found'; None uses the "
        "threshold calibrated for the index (`researchdesk calibrate`), else the default.",
    )
    followup: Literal["rules", "llm"] = Field(
        default="rules",
        description="How follow-ups become standalone questions: offline rules, or the LLM.",
    )
    verify_semantic: bool = Field(
        default=True, description="Also accept paraphrases by embedding similarity."
    )
    compute: bool = Field(
        default=True,
        description="Show computations (the offline rules with either generator, and the model's "
        "COMPUTE line with answer-v3) when every operand is found in its cited source.",
    )

    @classmethod
    def from_toml(cls, path: Path) -> PipelineConfig:
        """Read a ``[pipeline]`` (or legacy ``[search]``) table; errors name the file."""
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read pipeline config {path}: {exc}") from exc
        section = data.get("pipeline", data.get("search", data))
        if not isinstance(section, dict):
            raise ConfigError(f"pipeline config {path}: [pipeline] must be a table")
        try:
            return cls(**section)
        except ValidationError as exc:
            raise ConfigError(f"invalid pipeline config {path}: {exc}") from exc
