"""Experiment config parsing: paths, cumulative rungs, env references and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.config import PipelineConfig
from experiments.config import ExperimentConfigError, load_config

CONFIGS = Path(__file__).resolve().parents[2] / "experiments" / "configs"

BASE = """
name = "t"
corpus = "corpus"
questions = "corpus/questions.jsonl"
"""
RUNG = """
[[rungs]]
name = "dense"
mode = "dense"
rerank = "none"
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "questions.jsonl").write_text('{"id": "1", "question": "q?"}\n')
    return tmp_path


def write(folder: Path, text: str) -> Path:
    path = folder / "exp.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_paths_resolve_against_the_file_and_rungs_accumulate(folder: Path) -> None:
    text = (
        BASE
        + RUNG
        + """
[[rungs]]
name = "hybrid"
mode = "hybrid"
rerank = "features"

[[rungs]]
name = "route"
routing = "boost"

[[rungs]]
name = "fresh"
reset = true
k = 5
"""
    )
    config = load_config(write(folder, text))
    assert config.corpus == (folder / "corpus").resolve()
    assert config.questions == (folder / "corpus" / "questions.jsonl").resolve()
    dense, hybrid, route, fresh = config.rungs
    assert (dense.config.mode, dense.config.rerank) == ("dense", "none")
    assert (hybrid.config.mode, hybrid.config.rerank) == ("hybrid", "features")
    # "route" names only routing; mode and rerank carry over from "hybrid".
    assert route.changes == {"routing": "boost"}
    assert (route.config.mode, route.config.rerank, route.config.routing) == (
        "hybrid",
        "features",
        "boost",
    )
    # reset starts again from PipelineConfig defaults.
    assert fresh.config == PipelineConfig(k=5)
    assert (config.judge, config.judge_model, config.judge_prompt) == ("auto", None, "judge-v1")


def test_env_reference_with_default_and_override(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (folder / "index").mkdir()
    (folder / "other").mkdir()
    text = BASE + '[build]\ndata_dir = "${RD_TEST_INDEX:-index}"\n' + RUNG
    assert load_config(write(folder, text)).build.data_dir == (folder / "index").resolve()
    monkeypatch.setenv("RD_TEST_INDEX", str(folder / "other"))
    assert load_config(write(folder, text)).build.data_dir == (folder / "other").resolve()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("name = ", "malformed TOML"),
        (BASE, "rungs: Field required"),
        (BASE + "rungs = []", "at least 1 item"),
        (BASE + "colour = 'red'" + RUNG, "colour: Extra inputs are not permitted"),
        (BASE + RUNG + "retriever = 'x'\n", "retriever: Extra inputs are not permitted"),
        (BASE + RUNG + "fusion = 'telepathy'\n", "rungs[0] (dense): fusion"),
        (BASE + "[build]\nchunk_size = 8\n" + RUNG, "build.chunk_size"),
        (BASE + "[build]\nchunk_size = 64\nchunk_overlap = 64\n" + RUNG, "must be smaller"),
        (BASE + "[build]\nsplitter = 'x'\n" + RUNG, "build.splitter"),
        (BASE + "limit = -3\n" + RUNG, "limit"),
        (BASE + "resamples = 10\n" + RUNG, "resamples"),
        (BASE.replace('"t"', '"../../etc"') + RUNG, "name: String should match"),
        (BASE + RUNG + RUNG, "duplicate rung name 'dense'"),
        (BASE + RUNG.replace('"dense"', '"a/b"'), "'name' must be"),
        (BASE + "[build]\ndata_dir = 'nowhere'\n" + RUNG, "does not exist"),
        (BASE + '[build]\ndata_dir = "${RD_TEST_UNSET_VAR}"\n' + RUNG, "RD_TEST_UNSET_VAR"),
        (BASE + RUNG + "[chunking]\nstrategies = []\nsizes = [64]\n", "chunking.strategies"),
        (
            BASE + RUNG + "[chunking]\nstrategies = ['token']\nsizes = [16]\n",
            "overlap 32 must be smaller",
        ),
        (
            BASE + RUNG + "[chunking]\nstrategies = ['token']\nsizes = [64]\nrung = 'x'\n",
            "chunking.rung 'x' is not a rung",
        ),
        (
            BASE + RUNG + "[chunking]\nstrategies = ['token']\nsizes = [64]\nmetric = 'vibes'\n",
            "chunking.metric 'vibes' is unknown",
        ),
        (BASE + RUNG + "[chunking]\nstrategies = ['token', 'token']\nsizes = [64]\n", "repeat"),
        (BASE + "judge = 'maybe'\n" + RUNG, "judge: Input should be 'auto', 'off' or 'on'"),
        (BASE + "judge_prompt = 'judge-v9'\n" + RUNG, "judge_prompt 'judge-v9' is unknown"),
    ],
)
def test_malformed_configs_say_what_is_wrong(folder: Path, text: str, message: str) -> None:
    with pytest.raises(ExperimentConfigError, match=r"exp\.toml") as caught:
        load_config(write(folder, text))
    assert message in str(caught.value)


def test_missing_files(folder: Path) -> None:
    with pytest.raises(ExperimentConfigError, match="cannot read experiment config"):
        load_config(folder / "absent.toml")
    text = BASE.replace('corpus = "corpus"', 'corpus = "gone"') + RUNG
    with pytest.raises(ExperimentConfigError, match="is not a directory"):
        load_config(write(folder, text))
    text = BASE.replace("questions.jsonl", "nope.jsonl") + RUNG
    with pytest.raises(ExperimentConfigError, match=r"questions file .* does not exist"):
        load_config(write(folder, text))


def test_hostile_bytes(folder: Path) -> None:
    path = folder / "exp.toml"
    path.write_bytes(b"name = '\xff'\n")
    with pytest.raises(ExperimentConfigError, match="not UTF-8"):
        load_config(path)
    path.write_bytes(b"#" * (1 << 20) + b"\n")
    with pytest.raises(ExperimentConfigError, match="larger than"):
        load_config(path)
    with pytest.raises(ExperimentConfigError, match="not a usable path"):
        load_config(write(folder, BASE.replace('"corpus"', '"${RD_TEST_UNSET_VAR:-}"') + RUNG))


def test_shipped_sample_configs_load() -> None:
    ladder = load_config(CONFIGS / "ladder-sample.toml")
    assert [r.name for r in ladder.rungs] == [
        "dense",
        "hybrid",
        "rerank",
        "classify-route",
        "expansion",
        "llm-answer-v1",
        "prompt-v2",
    ]
    assert ladder.rungs[0].config.classify is False
    assert ladder.rungs[-1].config.generator == "openai"
    grid = load_config(CONFIGS / "chunking-sample.toml")
    assert grid.chunking is not None and grid.chunking.metric == "hit@5"


def test_the_local_llm_ladder_config_loads_with_short_prompts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not (CONFIGS.parents[2] / "shared" / "benchmarks" / "financebench").is_dir():
        pytest.skip("FinanceBench is not beside the checkout (../shared/benchmarks)")
    monkeypatch.setenv("RESEARCHDESK_FB_DATA_DIR", str(tmp_path))  # an index's folder
    ladder = load_config(CONFIGS / "ladder-financebench-local-llm.toml")
    assert ladder.build.data_dir == tmp_path
    assert [r.name for r in ladder.rungs] == ["extractive", "local-1.5b", "local-1.5b-compute"]
    assert ladder.split is not None and ladder.judge == "off"
    extractive, local, compute = (r.config for r in ladder.rungs)
    assert extractive.generator == "extractive" and extractive.compute
    assert (local.generator, local.prompt_version) == ("openai", "answer-local-v1")
    assert local.compute and (local.sources, local.source_chars) == (3, 700)
    assert compute.prompt_version == "answer-local-v2" and compute.sources == 3


def test_the_source_window_ladder_config_compares_head_and_focus(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not (CONFIGS.parents[2] / "shared" / "benchmarks" / "financebench").is_dir():
        pytest.skip("FinanceBench is not beside the checkout (../shared/benchmarks)")
    monkeypatch.setenv("RESEARCHDESK_FB_DATA_DIR", str(tmp_path))
    ladder = load_config(CONFIGS / "ladder-financebench-local-llm-windows.toml")
    assert ladder.half == "test" and ladder.split is not None
    _, head, focus = (r.config for r in ladder.rungs)
    assert (head.source_window, focus.source_window) == ("head", "focus")
    assert (focus.generator, focus.sources, focus.source_chars) == ("openai", 3, 700)
