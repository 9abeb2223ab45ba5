"""The legs of a hybrid search: which filters run, each with the caller's groups, and how
their hits are fused. No store is opened; the searches themselves are tested through
``Searcher`` (test_pipeline, test_statement_leg) and the store contract tests."""

from __future__ import annotations

from typing import Any

import pytest

from ingest.store import Hit, SearchFilter
from retrieval.config import SearchConfig
from retrieval.hybrid import HybridSearch, Leg, entitled, fuse_legs


def _hybrid(**config: Any) -> HybridSearch:
    return HybridSearch(None, "c", None, SearchConfig(**config))  # type: ignore[arg-type]


def test_entitled_keeps_public_only_apart_from_unchecked() -> None:
    assert entitled(()) == ()
    assert entitled(["a", "b"]) == ("a", "b")
    assert entitled(None) is None


def test_boost_searches_the_routed_documents_then_everything() -> None:
    filters = _hybrid(routing="boost", routing_weight=2.0).filters(["d1"], ["g"])
    assert filters == [
        (SearchFilter(groups=("g",), document_ids=("d1",)), 2.0),
        (SearchFilter(groups=("g",)), 1.0),
    ]


def test_filter_mode_searches_only_the_routed_documents() -> None:
    filters = _hybrid(routing="filter").filters(["d1"], ())
    assert filters == [(SearchFilter(groups=(), document_ids=("d1",)), 2.0)]
    # Nothing routed: the one leg over everything the caller may see.
    assert _hybrid(routing="filter").filters([], ()) == [(SearchFilter(groups=()), 1.0)]


def test_statement_leg_only_for_routed_questions_naming_a_line_item() -> None:
    hybrid = _hybrid()
    question = "What were total current liabilities?"
    assert hybrid.statement_filter(question, [], ()) is None
    assert hybrid.statement_filter("Who is the CEO?", ["d1"], ()) is None
    assert _hybrid(statements="off").statement_filter(question, ["d1"], ()) is None
    assert hybrid.statement_filter(question, ["d1"], ["g"]) == SearchFilter(
        groups=("g",), document_ids=("d1",), statements=("balance_sheet",)
    )


def _hit(chunk: str, score: float) -> Hit:
    return Hit(chunk, score, {"document_id": "d", "text": chunk})


def test_one_leg_keeps_its_order_and_scores() -> None:
    legs = [Leg([_hit("a", 0.9), _hit("b", 0.5), _hit("c", 0.1)], 1.0)]
    assert [(p.chunk_id, p.score) for p in fuse_legs(legs, 2)] == [("a", 0.9), ("b", 0.5)]


def test_several_legs_fuse_by_weighted_rrf() -> None:
    # k=60, weights (2, 1): b = 2/62 + 1/61; a = 2/61; c = 1/62.
    legs = [Leg([_hit("a", 9.0), _hit("b", 8.0)], 2.0), Leg([_hit("b", 1.0), _hit("c", 0.5)], 1.0)]
    fused = fuse_legs(legs, 10)
    assert [p.chunk_id for p in fused] == ["b", "a", "c"]
    assert [p.score for p in fused] == pytest.approx([2 / 62 + 1 / 61, 2 / 61, 1 / 62])


def test_recent_leg_only_for_questions_asking_no_period() -> None:
    hybrid = _hybrid()
    routed = ["acme-2023-10k", "acme-2019-10k"]
    assert hybrid.recent_filter("What are Acme's total assets?", routed, ["g"]) == SearchFilter(
        groups=("g",), document_ids=("acme-2023-10k",)
    )
    # A year, a quarter or "latest" asked: the router already chose by it.
    assert hybrid.recent_filter("Acme's total assets in FY2019?", routed, ()) is None
    assert hybrid.recent_filter("Acme's total assets in Q2 2023?", routed, ()) is None
    assert hybrid.recent_filter("Acme's latest total assets?", routed, ()) is None
    # One routed filing is already searched alone; weight 0 turns the leg off.
    assert hybrid.recent_filter("What are Acme's total assets?", routed[:1], ()) is None
    assert _hybrid(recent_weight=0).recent_filter("Acme's total assets?", routed, ()) is None


class _Recorder:
    """A store that records which text each filtered search was asked with."""

    def __init__(self) -> None:
        self.asked: list[tuple[tuple[str, ...] | None, str]] = []

    def search_sparse(self, collection: str, sparse: Any, n: int, flt: SearchFilter) -> list[Hit]:
        self.asked.append((flt.document_ids, sparse))
        return []


class _Encoder:
    def encode_query(self, text: str) -> str:
        return text


def test_inside_the_routed_documents_the_routed_words_search_and_elsewhere_the_question() -> None:
    store = _Recorder()
    hybrid = HybridSearch(store, "c", _Encoder(), SearchConfig(mode="sparse"))  # type: ignore[arg-type]
    question = "What was Acme's total debt in 2021?"
    hybrid.legs(question, [question], [None], ["d1"], (), inside="What was total debt in 2021?")
    assert store.asked == [
        (("d1",), "What was total debt in 2021?"),  # routed documents
        (None, question),  # everything
        (("d1",), "What was total debt in 2021?"),  # the routed balance sheets
    ]


def test_documents_that_are_no_issuers_series_get_no_recent_leg() -> None:
    store = _Recorder()
    hybrid = HybridSearch(store, "c", _Encoder(), SearchConfig(mode="sparse"))  # type: ignore[arg-type]
    question = "What is the coupon on the HPW note?"
    routed = ["hpw-fund-factsheet", "hpw-autocallable-note"]
    hybrid.legs(question, [question], [None], routed, (), series=True)
    assert (("hpw-fund-factsheet",), question) in store.asked  # the first alone: the recent leg
    store.asked.clear()
    hybrid.legs(question, [question], [None], routed, (), series=False)
    assert all(ids != ("hpw-fund-factsheet",) for ids, _ in store.asked)
