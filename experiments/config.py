"""Experiment configs: one TOML file names the corpus, questions, index build and rungs.

Why a file and not flags: a run must be reproducible from its manifest, and a ladder is
several pipeline configs that only make sense together. Shape (see docs/experiments.md)::

    name = "ladder-sample"
    corpus = "../../data/sample_corpus"          # relative paths: against this file
    questions = "../../data/sample_corpus/questions.jsonl"
    judge = "auto"                               # LLM judge: auto, on (LLM required), off
    [build]                                      # index build settings (or data_dir)
    chunk_size = 256
    exclude = ["*.jsonl"]
    [[rungs]]                                    # each rung = name + PipelineConfig fields,
    name = "dense"                               # applied on top of the previous rung's
    mode = "dense"
    [chunking]                                   # optional strategies x sizes grid
    strategies = ["recursive", "token"]
    sizes = [128, 256]

Rungs are cumulative (a rung changes only what it names, on top of the rung before; set
``reset = true`` to start again from ``PipelineConfig`` defaults) because a ladder adds one
technique at a time, and the manifest records every rung's full resolved config anyway.
Path values may use ``${VAR}`` or ``${VAR:-default}`` so a shared index can be located by
environment (e.g. ``RESEARCHDESK_FB_DATA_DIR``) without editing the file.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from assistant.config import PipelineConfig
from core.errors import ConfigError
from core.prompts import available_prompts
from core.settings import DEFAULT_EMBEDDING_MODEL, ChunkStrategy
from experiments.splits import Split, SplitError, load_split

MAX_CONFIG_BYTES = 1 << 20
NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.+-]{0,63}$"
_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")
_PATH_KEYS = ("corpus", "questions", "cache_dir")
# auto: judge answers when an LLM is configured; on: an LLM is required; off: never.
JudgeMode = Literal["auto", "off", "on"]


class ExperimentConfigError(ConfigError):
    """An experiment config is missing, malformed or points at files that do not exist."""


class BuildConfig(BaseModel):
    """How the corpus becomes an index; every field but ``data_dir`` keys the build cache."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    chunk_strategy: ChunkStrategy = "recursive"
    chunk_size: int = Field(default=256, ge=16, le=8192)
    chunk_overlap: int = Field(default=32, ge=0, le=4096)
    contextual_header: bool = True
    pdf_tables: bool = Field(
        default=False, description="Read PDFs' ruled tables as rows with headers (slower)."
    )
    embedding_model: str = Field(default=DEFAULT_EMBEDDING_MODEL, min_length=1, max_length=500)
    include: tuple[str, ...] = Field(default=(), max_length=100)
    exclude: tuple[str, ...] = Field(default=(), max_length=100)
    data_dir: Path | None = Field(
        default=None,
        description="An existing index to use as it is (no ingestion): its own build "
        "settings are read from its catalogue and recorded in the manifest.",
    )
    index: str = Field(default="default", pattern=r"^[A-Za-z0-9_-]{1,64}$")

    @field_validator("include", "exclude")
    @classmethod
    def _globs(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for glob in value:
            if not glob.strip() or len(glob) > 300 or "\x00" in glob:
                raise ValueError(f"bad glob {glob!r}: non-empty, at most 300 characters")
        return value

    @model_validator(mode="after")
    def _overlap(self) -> BuildConfig:
        if self.chunk_overlap >= self.chunk_size:
            raise ValueError(
                f"chunk_overlap ({self.chunk_overlap}) must be smaller than "
                f"chunk_size ({self.chunk_size})"
            )
        return self

    def with_chunking(self, strategy: ChunkStrategy, size: int, overlap: int) -> BuildConfig:
        """This build with other chunking, always built (a reused index has one chunking)."""
        return self.model_copy(
            update={
                "chunk_strategy": strategy,
                "chunk_size": size,
                "chunk_overlap": overlap,
                "data_dir": None,
            }
        )


class ChunkingGrid(BaseModel):
    """Strategies x sizes, each cell its own index, all run with one rung's pipeline."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    strategies: tuple[ChunkStrategy, ...] = Field(min_length=1, max_length=4)
    sizes: tuple[int, ...] = Field(min_length=1, max_length=12)
    overlap: int | None = Field(default=None, ge=0, le=4096)
    rung: str | None = Field(default=None, description="Rung whose pipeline runs; default first.")
    metric: str = Field(default="hit@10", description="Metric the heatmap shows.")

    @field_validator("sizes")
    @classmethod
    def _sizes(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        for size in value:
            if not 16 <= size <= 8192:
                raise ValueError(f"chunk size {size} is outside 16..8192")
        if len(set(value)) != len(value):
            raise ValueError("sizes repeat")
        return value

    @field_validator("strategies")
    @classmethod
    def _strategies(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(value)) != len(value):
            raise ValueError("strategies repeat")
        return value


@dataclass(frozen=True, slots=True)
class Rung:
    """One step of a ladder: a name, what it changes, and the full resulting config."""

    name: str
    description: str
    changes: dict[str, Any]
    config: PipelineConfig


class _File(BaseModel):
    """The TOML document as written; ``rungs`` are checked against PipelineConfig after."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=NAME_PATTERN)
    description: str = Field(default="", max_length=2000)
    corpus: Path
    questions: Path
    subset: tuple[str, ...] = Field(default=(), max_length=100_000)
    limit: int | None = Field(default=None, ge=1, le=1_000_000)
    split: Path | None = None
    half: Literal["train", "test"] | None = Field(
        default=None, description="Run only this half of the split (needs split)."
    )
    seed: int = Field(default=0, ge=0, le=2**32 - 1)
    resamples: int = Field(default=10_000, ge=100, le=200_000)
    support_threshold: float = Field(default=0.6, ge=0.0, le=1.0)
    cache_dir: Path | None = None
    judge: JudgeMode = "auto"
    judge_model: str | None = Field(default=None, min_length=1, max_length=500)
    judge_prompt: str = Field(default="judge-v1", pattern=r"^[a-z0-9][a-z0-9._-]{0,63}$")
    build: BuildConfig = BuildConfig()
    rungs: tuple[dict[str, Any], ...] = Field(min_length=1, max_length=50)
    chunking: ChunkingGrid | None = None


@dataclass(frozen=True, slots=True)
class ExperimentConfig:
    """A validated experiment: absolute paths, resolved rungs."""

    name: str
    description: str
    corpus: Path
    questions: Path
    subset: tuple[str, ...]
    limit: int | None
    split: Split | None  # report every rung on each half too (experiments.splits)
    half: str | None  # only this half of the split is run ("train" or "test")
    seed: int
    resamples: int
    support_threshold: float
    cache_dir: Path | None
    judge: JudgeMode
    judge_model: str | None  # None: the configured LLM model (RESEARCHDESK_LLM_MODEL)
    judge_prompt: str
    build: BuildConfig
    rungs: tuple[Rung, ...]
    chunking: ChunkingGrid | None
    source: Path | None  # the TOML file, None when built in code
    raw: dict[str, Any]  # the file as parsed, for the manifest

    def rung(self, name: str) -> Rung:
        for rung in self.rungs:
            if rung.name == name:
                return rung
        raise KeyError(name)


def load_config(path: Path) -> ExperimentConfig:
    """Read and check an experiment TOML file; every problem is an ExperimentConfigError."""
    try:
        raw_bytes = path.read_bytes()
    except OSError as exc:
        raise ExperimentConfigError(
            f"cannot read experiment config {path}: {exc.strerror or exc}"
        ) from exc
    if len(raw_bytes) > MAX_CONFIG_BYTES:
        raise ExperimentConfigError(f"{path}: larger than {MAX_CONFIG_BYTES} bytes")
    try:
        data = tomllib.loads(raw_bytes.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ExperimentConfigError(f"{path}: not UTF-8 text") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ExperimentConfigError(f"{path}: malformed TOML: {exc}") from exc
    return parse_config(data, base_dir=path.resolve().parent, source=path.resolve())


def parse_config(
    data: dict[str, Any], base_dir: Path, source: Path | None = None
) -> ExperimentConfig:
    """Validate a parsed config; relative paths resolve against ``base_dir``."""
    where = str(source or "experiment config")
    if not data:
        raise ExperimentConfigError(f"{where}: empty; it needs name, corpus, questions, [[rungs]]")
    expanded = _expand_paths(data, where)
    try:
        parsed = _File.model_validate(expanded)
    except ValidationError as exc:
        raise ExperimentConfigError(f"{where}: {_problems(exc)}") from exc
    corpus = _resolve(parsed.corpus, base_dir)
    questions = _resolve(parsed.questions, base_dir)
    if not corpus.is_dir():
        raise ExperimentConfigError(f"{where}: corpus {corpus} is not a directory")
    if not questions.is_file():
        raise ExperimentConfigError(f"{where}: questions file {questions} does not exist")
    build = parsed.build
    if build.data_dir is not None:
        data_dir = _resolve(build.data_dir, base_dir)
        if not data_dir.is_dir():
            raise ExperimentConfigError(
                f"{where}: build.data_dir {data_dir} does not exist; build the index first "
                "(researchdesk ingest) or remove data_dir to let the runner build it"
            )
        build = build.model_copy(update={"data_dir": data_dir})
    rungs = _rungs(parsed.rungs, where)
    prompts = available_prompts("experiments")
    if parsed.judge_prompt not in prompts:
        raise ExperimentConfigError(
            f"{where}: judge_prompt {parsed.judge_prompt!r} is unknown; available: "
            + ", ".join(prompts)
        )
    if parsed.chunking is not None:
        _check_grid(parsed.chunking, build, rungs, where)
    if parsed.half is not None and parsed.split is None:
        raise ExperimentConfigError(f"{where}: half = {parsed.half!r} needs a split")
    return ExperimentConfig(
        name=parsed.name,
        description=parsed.description,
        corpus=corpus,
        questions=questions,
        subset=parsed.subset,
        limit=parsed.limit,
        split=_split(parsed.split, base_dir, questions, where),
        half=parsed.half,
        seed=parsed.seed,
        resamples=parsed.resamples,
        support_threshold=parsed.support_threshold,
        cache_dir=_resolve(parsed.cache_dir, base_dir) if parsed.cache_dir else None,
        judge=parsed.judge,
        judge_model=parsed.judge_model,
        judge_prompt=parsed.judge_prompt,
        build=build,
        rungs=rungs,
        chunking=parsed.chunking,
        source=source,
        raw=data,
    )


def _split(path: Path | None, base_dir: Path, questions: Path, where: str) -> Split | None:
    if path is None:
        return None
    try:
        split = load_split(_resolve(path, base_dir))
        split.members(questions)  # the split must fit this question file
    except SplitError as exc:
        raise ExperimentConfigError(f"{where}: {exc}") from exc
    return split


def _rungs(tables: tuple[dict[str, Any], ...], where: str) -> tuple[Rung, ...]:
    rungs: list[Rung] = []
    current: dict[str, Any] = {}
    for i, table in enumerate(tables):
        here = f"{where}: rungs[{i}]"
        changes = dict(table)
        name = changes.pop("name", None)
        if not isinstance(name, str) or not re.match(NAME_PATTERN, name):
            raise ExperimentConfigError(
                f"{here}: 'name' must be 1-64 letters, digits or _.+- (got {name!r})"
            )
        if any(r.name == name for r in rungs):
            raise ExperimentConfigError(f"{here}: duplicate rung name {name!r}")
        description = changes.pop("description", "")
        if not isinstance(description, str) or len(description) > 2000:
            raise ExperimentConfigError(f"{here}: 'description' must be a short string")
        reset = changes.pop("reset", False)
        if not isinstance(reset, bool):
            raise ExperimentConfigError(f"{here}: 'reset' must be true or false")
        current = {**({} if reset else current), **changes}
        try:
            config = PipelineConfig(**current)
        except ValidationError as exc:
            raise ExperimentConfigError(f"{here} ({name}): {_problems(exc)}") from exc
        rungs.append(Rung(name, description, changes, config))
    return tuple(rungs)


def _check_grid(
    grid: ChunkingGrid, build: BuildConfig, rungs: tuple[Rung, ...], where: str
) -> None:
    from experiments.summary import METRICS

    if grid.rung is not None and all(r.name != grid.rung for r in rungs):
        raise ExperimentConfigError(
            f"{where}: chunking.rung {grid.rung!r} is not a rung; rungs: "
            + ", ".join(r.name for r in rungs)
        )
    if grid.metric not in METRICS:
        raise ExperimentConfigError(
            f"{where}: chunking.metric {grid.metric!r} is unknown; valid: {', '.join(METRICS)}"
        )
    overlap = build.chunk_overlap if grid.overlap is None else grid.overlap
    if overlap >= min(grid.sizes):
        raise ExperimentConfigError(
            f"{where}: chunking overlap {overlap} must be smaller than every size "
            f"(smallest {min(grid.sizes)}); set chunking.overlap"
        )


def _expand_paths(data: dict[str, Any], where: str) -> dict[str, Any]:
    out = dict(data)
    for key in _PATH_KEYS:
        if isinstance(out.get(key), str):
            out[key] = _expand(out[key], key, where)
    build = out.get("build")
    if isinstance(build, dict) and isinstance(build.get("data_dir"), str):
        out["build"] = {**build, "data_dir": _expand(build["data_dir"], "build.data_dir", where)}
    return out


def _expand(value: str, key: str, where: str) -> str:
    def substitute(match: re.Match[str]) -> str:
        name, default = match.group(1), match.group(2)
        found = os.environ.get(name)
        if found:
            return found
        if default is None:
            raise ExperimentConfigError(
                f"{where}: {key} uses ${{{name}}} but {name} is not set; set it or write "
                f"${{{name}:-default}}"
            )
        return default

    expanded = _ENV_REF.sub(substitute, value)
    if not expanded.strip() or "\x00" in expanded or len(expanded) > 4096:
        raise ExperimentConfigError(f"{where}: {key} is not a usable path: {value!r}")
    return expanded


def _resolve(path: Path, base_dir: Path) -> Path:
    path = path.expanduser()
    return (path if path.is_absolute() else base_dir / path).resolve()


def _problems(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or 'config'}: {e['msg']}" for e in exc.errors()
    )
