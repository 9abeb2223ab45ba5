"""Rerankers: the learned feature model (exact arithmetic, loading, ordering), the
cross-encoder path on a tiny model built here, and the LLM listwise path over HTTP."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from core.errors import ConfigError, GeneratorError
from core.llm import LLMClient
from ingest.embedding import resolve_model_path
from retrieval.rerank import (
    DEFAULT_FEATURE_MODEL,
    CrossEncoderReranker,
    FeatureReranker,
    LinearModel,
    make_reranker,
)
from retrieval.rerank_features import FEATURES, RerankContext, candidate_features
from retrieval.rerank_llm import LLMReranker, parse_grades
from retrieval.types import Passage
from tests.fake_openai import FakeOpenAI


def passage(
    chunk_id: str, text: str, score: float = 0.5, doc: str = "d1", page: int = 1
) -> Passage:
    return Passage(chunk_id, doc, f"Title {doc}", f"/x/{doc}.pdf", page, page, "", text, score)


def linear(coef: list[float], intercept: float = 0.0) -> LinearModel:
    n = len(FEATURES)
    return LinearModel("t", FEATURES, (0.0,) * n, (1.0,) * n, tuple(coef), intercept, {})


def test_linear_model_is_a_standardised_logistic_unit() -> None:
    n = len(FEATURES)
    model = LinearModel("t", FEATURES, (1.0,) * n, (2.0,) * n, (0.5,) + (0.0,) * (n - 1), -1.0, {})
    (p,) = model.probabilities([[5.0] + [0.0] * (n - 1)])
    assert p == pytest.approx(1 / (1 + math.exp(-(0.5 * (5 - 1) / 2 - 1.0))))


def test_shipped_model_loads_and_bad_models_are_refused(tmp_path: Path) -> None:
    model = LinearModel.load(DEFAULT_FEATURE_MODEL)
    assert model.features == FEATURES and model.meta["questions"] > 0
    shipped = "shipped models: rerank-features-v1, rerank-features-v2, rerank-features-v3"
    with pytest.raises(ConfigError, match=shipped):
        LinearModel.load("no-such-model")
    other = tmp_path / "other.json"
    other.write_text(json.dumps({**model.to_json(), "features": ["a"]}))
    with pytest.raises(ConfigError, match="other features"):
        LinearModel.load(str(other))
    repeated = [*model.features[:-1], model.features[0]]
    other.write_text(json.dumps({**model.to_json(), "features": repeated}))
    with pytest.raises(ConfigError, match="repeated names"):
        LinearModel.load(str(other))
    for body in ["{", "[]", json.dumps({**model.to_json(), "coef": [1.0]}), ""]:
        other.write_text(body)
        with pytest.raises(ConfigError):
            LinearModel.load(str(other))


def test_features_are_computed_from_question_passage_and_retrievers() -> None:
    question = "How much revenue did Acme report in FY2022?"
    passages = [
        passage("a", "Acme revenue 2021 was 10 and 2020 was 9", 0.02, doc="d2", page=3),
        passage("b", "Revenue 2022 100 90\nCost 2022 50 40", 0.01, doc="d1", page=80),
    ]
    context = RerankContext(dense={"a": 0.5, "b": 0.25}, sparse={"b": 8.0}, routed=["d1"])
    rows = [
        dict(zip(FEATURES, row, strict=True))
        for row in candidate_features(question, passages, context)
    ]
    assert rows[0]["fused_rank_inv"] == 1.0 and rows[1]["fused_rank_inv"] == 0.5
    assert rows[1]["fused_score_rel"] == 0.5
    assert rows[0]["dense_rel"] == 1.0 and rows[1]["dense_rel"] == 0.5
    assert rows[1]["sparse_rel"] == 1.0 and rows[0]["sparse_rel"] == 1.0  # floor = only score
    assert rows[0]["sparse_rank_inv"] == 0.0 and rows[1]["sparse_rank_inv"] == 1.0
    assert (rows[0]["routed"], rows[1]["routed"]) == (0.0, 1.0)
    assert (rows[0]["year_match"], rows[1]["year_match"]) == (0.0, 1.0)
    assert (rows[0]["year_other"], rows[1]["year_other"]) == (1.0, 0.0)
    assert rows[1]["numeric_lines"] == 1.0 and rows[1]["wants_number_x_numeric"] == 1.0
    assert rows[1]["log_page"] == pytest.approx(math.log(81))


def test_equal_leg_scores_share_a_rank_whatever_their_ids() -> None:
    passages = [passage(i, "Revenue 2022", 0.5) for i in ("z", "a", "m")]
    context = RerankContext(dense={"z": 0.9, "a": 0.9, "m": 0.4}, sparse={"z": 3.0, "a": 3.0})
    rows = [dict(zip(FEATURES, row, strict=True)) for row in
            candidate_features("Revenue?", passages, context)]  # fmt: skip
    assert [r["dense_rank_inv"] for r in rows] == [1.0, 1.0, 1.0 / 3]
    assert [r["sparse_rank_inv"] for r in rows] == [1.0, 1.0, 0.0]


def test_feature_reranker_orders_by_its_model_and_keeps_every_passage() -> None:
    passages = [passage("a", "alpha", 0.9), passage("b", "beta", 0.5), passage("c", "gamma", 0.1)]
    coef = [0.0] * len(FEATURES)
    coef[FEATURES.index("fused_rank_inv")] = -5.0  # a model that prefers the last
    reranked = FeatureReranker(linear(coef)).rerank("alpha?", passages, RerankContext())
    assert [p.chunk_id for p in reranked] == ["c", "b", "a"]
    assert all(0.0 < p.score < 1.0 for p in reranked)
    assert FeatureReranker(linear(coef)).rerank("q", [], RerankContext()) == []


def test_older_shipped_models_still_load_and_score() -> None:
    older = LinearModel.load("rerank-features-v2")
    assert "statement_match" not in older.features
    assert older.probabilities([[0.5] * len(FEATURES)]).shape == (1,)


def test_a_model_trained_before_a_feature_existed_reads_only_its_own_features() -> None:
    older = FEATURES[:-1]
    n = len(older)
    coef = [0.0] * n
    coef[older.index("fused_rank_inv")] = 2.0
    model = LinearModel("old", older, (0.0,) * n, (1.0,) * n, tuple(coef), 0.0, {})
    row = [0.0] * len(FEATURES)
    row[FEATURES.index("fused_rank_inv")] = 1.0
    row[-1] = 1000.0  # the newer feature: ignored by a model that never saw it
    (p,) = model.probabilities([row])
    assert p == pytest.approx(1 / (1 + math.exp(-2.0)))


def test_registry_names_the_choices() -> None:
    assert make_reranker("none") is None
    with pytest.raises(
        ValueError, match="unknown reranker 'magic'; valid: cross-encoder, features, llm, none"
    ):
        make_reranker("magic")


@pytest.mark.slow
def test_cross_encoder_path_on_a_tiny_model_built_here(tmp_path: Path) -> None:
    from transformers import AutoTokenizer, BertConfig, BertForSequenceClassification

    tokenizer = AutoTokenizer.from_pretrained(resolve_model_path("bundled:all-MiniLM-L6-v2"))
    config = BertConfig(
        vocab_size=tokenizer.vocab_size,
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        num_labels=1,
    )
    model = BertForSequenceClassification(config)
    model.save_pretrained(tmp_path / "tiny")
    tokenizer.save_pretrained(tmp_path / "tiny")
    from sentence_transformers import CrossEncoder

    reference = CrossEncoder(str(tmp_path / "tiny"), device="cpu")
    passages = [passage(str(i), text) for i, text in enumerate(["one fish", "two fish", "red"])]
    expected = reference.predict([("fish?", p.text) for p in passages])
    reranked = CrossEncoderReranker(str(tmp_path / "tiny")).rerank(
        "fish?", passages, RerankContext()
    )
    order = sorted(range(3), key=lambda i: -float(expected[i]))
    assert [p.chunk_id for p in reranked] == [str(i) for i in order]
    assert [p.score for p in reranked] == pytest.approx([float(expected[i]) for i in order])


@pytest.mark.slow
def test_a_model_without_a_trained_head_is_not_a_reranker() -> None:
    with pytest.raises(ConfigError, match="not a cross-encoder"):
        CrossEncoderReranker(resolve_model_path("bundled:all-MiniLM-L6-v2"))
    with pytest.raises(ConfigError, match="cannot load cross-encoder"):
        CrossEncoderReranker("/nonexistent/folder")


def test_grades_are_parsed_leniently_but_never_invented() -> None:
    assert parse_grades("1: 3\n2: 0\n[3] - 2\n9: 3", 3) == [3, 0, 2]
    assert parse_grades("2: 1", 3) == [0, 1, 0]
    with pytest.raises(GeneratorError, match="no grades"):
        parse_grades("I cannot help with that.", 3)


def test_llm_reranker_over_http_reorders_by_grade() -> None:
    passages = [passage(str(i), f"text {i}") for i in range(4)]
    with FakeOpenAI(reply=lambda request: "1: 1\n2: 3\n3: 0\n4: 2") as fake:
        client = LLMClient("fake-model", api_key="k", base_url=fake.base_url, max_retries=0)
        reranker = LLMReranker(client=client, max_passages=3)
        reranked = reranker.rerank("question?", passages, RerankContext())
        user = fake.requests[0]["messages"][-1]["content"]
    assert [p.chunk_id for p in reranked] == ["1", "0", "2", "3"]  # the 4th was not graded
    assert [p.score for p in reranked] == [1.0, pytest.approx(1 / 3), 0.0, 0.0]
    assert "[3] text 2" in user and "[4]" not in user and "question?" in user
    assert reranker.last_usage is not None and reranker.last_usage.total_tokens == 17
