"""Exact-number tests for the experiment metrics; expected values are worked out in comments."""

from __future__ import annotations

import math

import numpy as np
import pytest

from experiments.metrics import (
    GoldPage,
    Retrieved,
    behaviour_confusion,
    citation_precision,
    citation_recall,
    doc_hit_at_k,
    extract_numbers,
    hits_gold,
    mrr_at_k,
    ndcg_at_k,
    numeric_match,
    p50,
    p95,
    page_hit_at_k,
    percentile,
    recall_at_k,
    token_f1,
)

# Gold pages are ZERO-based: 4 and 9 are the PDF's 5th and 10th pages (1-based 5 and 10).
GOLD = {("DOC", 4), ("DOC", 9)}
RUN = [
    Retrieved("OTHER", 5, 5),  # 1: wrong document
    Retrieved("DOC", 1, 3),  # 2: right document, pages 1-3 miss
    Retrieved("DOC", 4, 6),  # 3: contains page 5 -> hits gold 4
    Retrieved("DOC", 5, 5),  # 4: gold 4 again (a repeat)
    Retrieved("DOC", 10, 10),  # 5: hits gold 9
]


def test_zero_based_gold_page_is_hit_by_one_based_chunk_page() -> None:
    assert hits_gold(Retrieved("DOC", 5, 5), GoldPage("DOC", 4))
    assert not hits_gold(Retrieved("DOC", 4, 4), GoldPage("DOC", 4))  # off by one
    assert not hits_gold(Retrieved("DOC", 6, 9), GoldPage("DOC", 4))
    assert not hits_gold(Retrieved("OTHER", 5, 5), GoldPage("DOC", 4))
    assert hits_gold(Retrieved("DOC", 5, None), GoldPage("DOC", 4))  # one known page
    assert not hits_gold(Retrieved("DOC"), GoldPage("DOC", 4))  # page-less chunk


def test_pageless_gold_matches_by_section_or_document() -> None:
    pricing = GoldPage("WEB", None, "Pricing")
    assert hits_gold(Retrieved("WEB", section=("Products", "Pricing")), pricing)
    assert hits_gold(Retrieved("WEB", section="  pricing "), pricing)
    assert hits_gold(Retrieved("WEB", section="Products > Pricing"), pricing)
    assert not hits_gold(Retrieved("WEB", section="Products > Pricing list"), pricing)
    assert not hits_gold(Retrieved("WEB", section=("Products",)), pricing)
    assert not hits_gold(Retrieved("WEB"), pricing)
    assert hits_gold(Retrieved("WEB", 3, 4), GoldPage("WEB", None))
    assert not hits_gold(Retrieved("SITE"), GoldPage("WEB", None))


def test_page_and_doc_hit() -> None:
    assert [page_hit_at_k(RUN, GOLD, k) for k in (1, 2, 3)] == [False, False, True]
    assert [doc_hit_at_k(RUN, GOLD, k) for k in (1, 2)] == [False, True]


def test_recall_counts_distinct_gold_pages() -> None:
    # top 3 covers gold 4 only: 1/2; top 4 adds a repeat: still 1/2; top 5 covers both: 2/2.
    assert recall_at_k(RUN, GOLD, 3) == 0.5
    assert recall_at_k(RUN, GOLD, 4) == 0.5
    assert recall_at_k(RUN, GOLD, 5) == 1.0
    assert recall_at_k(RUN, [("DOC", 4), ("DOC", 4)], 3) == 1.0  # duplicates count once


def test_mrr() -> None:
    # first hit at rank 3.
    assert mrr_at_k(RUN, GOLD, 2) == 0.0
    assert mrr_at_k(RUN, GOLD, 5) == pytest.approx(1 / 3)


def test_ndcg() -> None:
    # relevant (new gold page) at ranks 3 and 5; rank 4 repeats gold 4 and earns nothing.
    # DCG@5 = 1/log2(4) + 1/log2(6) = 0.5 + 0.3868528072 = 0.8868528072
    # IDCG over min(5, 2) = 2 ranks = 1/log2(2) + 1/log2(3) = 1 + 0.6309297536 = 1.6309297536
    # nDCG@5 = 0.8868528072 / 1.6309297536 = 0.5437713092
    assert ndcg_at_k(RUN, GOLD, 5) == pytest.approx(0.5437713092)
    # nDCG@3 = 0.5 / 1.6309297536 = 0.3065735964
    assert ndcg_at_k(RUN, GOLD, 3) == pytest.approx(0.3065735964)
    assert ndcg_at_k(RUN, GOLD, 1) == 0.0
    # one gold page found at rank 1, then repeats: DCG = 1 = IDCG over min(3, 1) = 1 rank.
    assert ndcg_at_k([Retrieved("DOC", 5, 5)] * 3, {("DOC", 4)}, 3) == 1.0


def test_retrieval_metrics_reject_bad_k_and_empty_gold() -> None:
    with pytest.raises(ValueError, match="k must be a positive integer"):
        page_hit_at_k(RUN, GOLD, 0)
    with pytest.raises(ValueError, match="no gold evidence"):
        recall_at_k(RUN, set(), 5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$1,561M", [(1.561e9, False)]),
        ("1.56 billion", [(1.56e9, False)]),
        ("(6,513)", [(-6513.0, False)]),
        ("12.5%", [(12.5, True)]),
        ("-$1561M", [(-1.561e9, False)]),
        ("$ (1,234) million", [(-1.234e9, False)]),
        ("growth of 5 percent and 3.5bn", [(5.0, True), (3.5e9, False)]),
        ("FY2022 and COVID-19 in a 10-K", [(19.0, False), (10.0, False)]),
        ("a ratio of 2.774729.", [(2.774729, False)]),
        ("5 months", [(5.0, False)]),
    ],
)
def test_extract_numbers(text: str, expected: list[tuple[float, bool]]) -> None:
    found = extract_numbers(text)
    assert [q.percent for q in found] == [percent for _, percent in expected]
    assert [q.value for q in found] == pytest.approx([value for value, _ in expected])


def test_numeric_match() -> None:
    gold = "No, American Water Works had negative working capital of -$1561M in FY 2022."
    assert numeric_match("Working capital was -$1.561 billion.", gold)
    assert numeric_match("It was (1,561) million dollars", gold)
    assert not numeric_match("Working capital was $1.561 billion.", gold)  # sign differs
    assert not numeric_match("In FY 2022 it was negative.", gold)  # the year is ignored
    assert numeric_match("about 1.56 billion", "$1,561M")  # |1.56 - 1.561| / 1.561 < 1%
    assert not numeric_match("about 1.5 billion", "$1,561M")  # 3.9% off
    assert numeric_match("about 1.5 billion", "$1,561M", rel_tol=0.05)
    assert numeric_match("roughly 2.77", "approximately 2.774729")
    assert numeric_match("12.4%", "12.5%")  # 0.8% relative
    assert not numeric_match("0.125", "12.5%")  # fraction vs percent
    assert not numeric_match("12.5", "12.5%")
    assert numeric_match("in 2022", "2022")  # a gold with only a year keeps it
    assert not numeric_match("yes", "Yes, it is cyclical.")  # no gold number


def test_token_f1() -> None:
    # "cat sat on mat" vs "cat on mat": 3 common; P = 3/4, R = 3/3; F1 = 2PR/(P+R) = 6/7.
    assert token_f1("The cat sat on the mat!", "cat on a mat") == pytest.approx(6 / 7)
    assert token_f1("Yes.", "yes") == 1.0
    assert token_f1("the", "") == 1.0  # both normalise to nothing
    assert token_f1("cat", "") == 0.0
    assert token_f1("dog", "cat") == 0.0


def test_citation_precision_and_recall() -> None:
    # distinct citations (1-based pages): DOC p5 hits gold 4, DOC p4 misses, OTHER misses: 1/3.
    cited = [("DOC", 5), ("DOC", 5), ("DOC", 4), ("OTHER", 10)]
    assert citation_precision(cited, {("DOC", 4)}) == pytest.approx(1 / 3)
    assert citation_precision([], {("DOC", 4)}) == 0.0
    assert citation_precision([("WEB", None, "Pricing")], {("WEB", None, "pricing")}) == 1.0
    # gold 4 cited, gold 9 not: 1/2.
    assert citation_recall([("DOC", 5)], GOLD) == 0.5


def test_behaviour_confusion() -> None:
    expected = ["answer", "answer", "answer", "refuse", "refuse", "escalate"]
    actual = ["answer", "refuse", "answer", "refuse", "answer", "refuse"]
    result = behaviour_confusion(expected, actual)
    assert result.matrix[("answer", "answer")] == 2
    assert result.matrix[("answer", "refuse")] == 1
    assert result.matrix[("refuse", "answer")] == 1
    assert result.matrix[("escalate", "refuse")] == 1
    assert result.matrix[("escalate", "escalate")] == 0
    # answer: predicted 3 times, 2 right -> P 2/3; 3 expected, 2 found -> R 2/3.
    assert result.per_class["answer"] == pytest.approx((2 / 3, 2 / 3, 3))
    # refuse: predicted 3 times, 1 right -> P 1/3; 2 expected, 1 found -> R 1/2.
    assert result.per_class["refuse"] == pytest.approx((1 / 3, 1 / 2, 2))
    # escalate: never predicted -> P 0 (no denominator); 1 expected, 0 found -> R 0.
    assert result.per_class["escalate"] == (0.0, 0.0, 1)
    assert result.accuracy == 0.5  # 3 of 6


def test_behaviour_confusion_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="unknown behaviours \\['shrug'\\]"):
        behaviour_confusion(["answer"], ["shrug"])
    with pytest.raises(ValueError, match="2 expected behaviours but 1 actual"):
        behaviour_confusion(["answer", "refuse"], ["answer"])
    with pytest.raises(ValueError, match="no behaviours"):
        behaviour_confusion([], [])


def test_percentile_interpolates_linearly() -> None:
    # [1, 2, 3, 4]: q=50 -> position 1.5 -> 2 + 0.5 * (3 - 2) = 2.5;
    # q=95 -> position 2.85 -> 3 + 0.85 * (4 - 3) = 3.85.
    assert percentile([4, 1, 3, 2], 50) == 2.5
    assert percentile([4, 1, 3, 2], 95) == pytest.approx(3.85)
    assert percentile([4, 1, 3, 2], 0) == 1
    assert percentile([4, 1, 3, 2], 100) == 4
    assert percentile([7.0], 95) == 7.0
    # 1..20: position 19 * 0.95 = 18.05 -> 19 + 0.05 * (20 - 19) = 19.05.
    values = [float(v) for v in range(1, 21)]
    assert p95(values) == pytest.approx(19.05)
    assert p50([3.0, 1.0, 2.0]) == 2.0


def test_percentile_agrees_with_numpy() -> None:
    values = [0.3, 1.7, 0.2, 9.5, 4.4, 4.4, 0.05]
    for q in (0, 10, 33.3, 50, 90, 95, 99, 100):
        assert math.isclose(percentile(values, q), float(np.percentile(values, q)))


def test_percentile_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="no values"):
        percentile([], 50)
    with pytest.raises(ValueError, match="q must be"):
        percentile([1.0], 101)
