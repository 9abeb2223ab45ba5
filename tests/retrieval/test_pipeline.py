from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.errors import NotFoundError
from core.settings import Settings
from experiments.datasets import load_questions
from experiments.metrics import Retrieved, doc_hit_at_k
from retrieval.config import SearchConfig
from retrieval.fusion import blend_orders
from retrieval.pipeline import Searcher
from tests.conftest import SAMPLE_CORPUS

pytestmark = pytest.mark.slow

RESTRICTED_QUOTE = "restricted list"


def _searcher(state: Path, **config: object) -> Searcher:
    return Searcher.from_settings(Settings(data_dir=state), SearchConfig(**config))  # type: ignore[arg-type]


def test_passages_carry_source_pages_and_text(sample_index: Path) -> None:
    searcher = _searcher(sample_index, rerank_order="model")
    result = searcher.search("fixed income outlook duration recommendation", k=5)
    searcher.close()
    assert len(result.passages) == 5
    top = result.passages[0]
    assert top.source.startswith(str(SAMPLE_CORPUS))
    pdf_hits = [p for p in result.passages if p.source.endswith(".pdf")]
    assert pdf_hits and all(p.page_start is not None and p.page_start >= 1 for p in pdf_hits)
    assert all(p.text for p in result.passages)
    assert [round(p.score, 9) for p in result.passages] == sorted(
        (round(p.score, 9) for p in result.passages), reverse=True
    )


@pytest.mark.parametrize("mode", ["dense", "sparse", "hybrid"])
@pytest.mark.parametrize("routing", ["off", "boost", "filter"])
def test_restricted_documents_never_reach_users_outside_their_groups(
    sample_index: Path, mode: str, routing: str
) -> None:
    searcher = _searcher(sample_index, mode=mode, routing=routing, candidates=100, k=100)
    question = "Which securities are on the current restricted list and why?"
    public = searcher.search(question, groups=())
    insider = searcher.search(question, groups=("compliance",))
    searcher.close()
    assert all(not p.allowed_groups for p in public.passages)
    assert not any("restricted_list_policy" in p.source for p in public.passages)
    assert any("restricted_list_policy" in p.source for p in insider.passages)
    assert all("restricted_list_policy" not in d for d in public.routed_documents)


def test_sample_questions_find_their_documents(sample_index: Path) -> None:
    questions = load_questions(SAMPLE_CORPUS / "questions.jsonl")
    searcher = _searcher(sample_index)
    hits = []
    for q in questions:
        if q.expected_behavior != "answer" or not q.evidence:
            continue
        result = searcher.search(q.question, groups=q.groups, k=5)
        retrieved = [
            Retrieved(Path(p.source).stem, p.page_start, p.page_end, p.section)
            for p in result.passages
        ]
        hits.append(doc_hit_at_k(retrieved, q.gold(), 5))
    searcher.close()
    rate = sum(hits) / len(hits)
    # Measured 2026-11-23 on the sample corpus: see docs/benchmarks.md. A floor, not a goal.
    assert rate >= 0.9, f"document hit@5 fell to {rate:.2f}"


def test_empty_index_is_a_clear_error(data_dir: Path) -> None:
    with pytest.raises(NotFoundError, match="researchdesk ingest"):
        Searcher.from_settings(Settings(data_dir=data_dir))


def test_search_cli_json_and_batch(sample_index: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from cli.app import app

    runner = CliRunner()
    base = ["search", "--data-dir", str(sample_index), "--json"]
    single = runner.invoke(app, [*base, "cash sweep rates", "--k", "3"])
    assert single.exit_code == 0, single.output
    data = json.loads(single.stdout)
    assert data["query"] == "cash sweep rates" and len(data["results"]) == 3
    assert set(data["results"][0]) >= {
        "rank",
        "chunk_id",
        "document_id",
        "title",
        "source",
        "page_start",
        "page_end",
        "score",
        "text",
    }

    batch = tmp_path / "q.jsonl"
    batch.write_text('{"id": "a", "question": "fee schedule"}\n\n{"question": "TER"}\n')
    result = runner.invoke(app, [*base, "--batch", str(batch), "--k", "2"])
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line.get("id") for line in lines] == ["a", None]

    for bad, message in [
        ('{"question": ""}\n', "empty question"),
        ("not json\n", "line 1: not JSON"),
        ('["list"]\n', "expected an object"),
        ("\n\n", "holds no questions"),
    ]:
        batch.write_text(bad)
        result = runner.invoke(app, [*base, "--batch", str(batch)])
        assert result.exit_code == 3 and message in result.output, (bad, result.output)
    assert runner.invoke(app, [*base]).exit_code == 2
    assert runner.invoke(app, [*base, "   "]).exit_code == 2
    cfg = tmp_path / "c.toml"
    cfg.write_text('[search]\nmode = "quantum"\n')
    result = runner.invoke(app, [*base, "x", "--config", str(cfg)])
    assert result.exit_code == 3 and "mode" in result.output


def test_blended_order_is_rrf_of_retrieval_and_reranker_orders(sample_index: Path) -> None:
    question = "fixed income outlook duration recommendation"
    found = {}
    for name, options in {
        "plain": {"rerank": "none"},
        "model": {"rerank_order": "model"},
        "blend": {"rerank_order": "blend"},
    }.items():
        searcher = _searcher(sample_index, k=50, **options)  # one opener at a time
        try:
            found[name] = searcher.search(question).passages
        finally:
            searcher.close()
    fused = [p.chunk_id for p in found["plain"]]
    expected = blend_orders(fused, [p.chunk_id for p in found["model"]])
    assert [p.chunk_id for p in found["blend"]] == expected
    # The scores stay the reranker's probabilities (answerability reads the best of them).
    by_model = {p.chunk_id: p.score for p in found["model"]}
    assert {p.chunk_id: p.score for p in found["blend"]} == by_model


def test_the_firms_own_name_does_not_route(sample_index: Path) -> None:
    searcher = _searcher(sample_index)
    try:
        # "Harbor Point" is in most of the library's documents: the publisher, not a subject,
        # though the cash sweep notice and the fee schedule carry it in their titles.
        assert searcher.everywhere("Harbor Point")
        assert not searcher.everywhere("Meridian Semiconductor")
        assert not searcher.everywhere("Northwind")
        question = "What EBITDA does Harbor Point forecast for Atlas Power & Light in 2026?"
        result = searcher.search(question, k=5)
        assert not any("cash_sweep" in p.source or "fee_schedule" in p.source
                       for p in result.passages)  # fmt: skip
        assert "us_utilities_sector_note" in result.passages[0].source
        # A subject that also has a document of its own still routes.
        routed = searcher.search("What is Meridian Semiconductor's price target?").routed_documents
        assert routed
    finally:
        searcher.close()


def test_passages_carry_their_documents_catalogue_profile(sample_index: Path) -> None:
    # What a passage's document reports travels with it, so an answer can read a fiscal
    # period's column (``assistant.reported``); without routing no catalogue is read.
    question = "Meridian Semiconductor price target"
    routed = _searcher(sample_index, routing="boost")
    try:
        passages = routed.search(question, k=5).passages
        router = routed.router
        assert router is not None
        assert all(p.profile is not None for p in passages)
        assert all(p.profile == router.profile(p.document_id) for p in passages)
        assert router.profile("no such document") is None
    finally:
        routed.close()
    plain = _searcher(sample_index, routing="off")
    try:
        assert all(p.profile is None for p in plain.search(question, k=5).passages)
    finally:
        plain.close()


def test_a_documents_opening_is_its_first_passage_for_those_who_may_see_it(
    sample_index: Path,
) -> None:
    searcher = _searcher(sample_index)
    try:
        note = searcher.search("Bayview Water price target", k=1).passages[0]
        opening = searcher.opening(note.document_id)
        assert opening is not None and opening.document_id == note.document_id
        assert "Elena Vasquez" in opening.text and opening.title == note.title
        policy = searcher.search("restricted list", groups=("compliance",), k=1).passages[0]
        assert policy.allowed_groups
        assert searcher.opening(policy.document_id) is None  # public callers see nothing
        assert searcher.opening(policy.document_id, groups=("compliance",)) is not None
        assert searcher.opening("no-such-document") is None
    finally:
        searcher.close()
