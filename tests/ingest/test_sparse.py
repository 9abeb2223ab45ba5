"""BM25 encoder and tokenizer: exact weights, token cases, and ranking against rank_bm25."""

from __future__ import annotations

import math
import time

import pytest

from ingest import sparse
from ingest.sparse import BM25Encoder, term_id, tokenize
from ingest.store.base import SparseVector


def as_dict(vector: SparseVector) -> dict[int, float]:
    return dict(zip(vector.indices, vector.values, strict=True))


def qdrant_idf(n_docs: int, df: int) -> float:
    """Qdrant's IDF modifier: ln(1 + (N - n + 0.5) / (n + 0.5))."""
    return math.log(1.0 + (n_docs - df + 0.5) / (df + 0.5))


# -- tokenizer ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Running runners ran; RUNS!", ["run", "runner", "ran", "run"]),
        ("The company's revenues", ["compani", "revenu"]),
        ("Growth of 12% in 2024, 3.5x leverage", ["growth", "12", "2024", "3.5", "x", "leverag"]),
        ("$1,200.5 million vs 1,2,3", ["1200.5", "million", "vs", "1", "2", "3"]),
        ("gpt-4 e-mail snake_case covid19", ["gpt", "4", "e", "mail", "snake", "case", "covid19"]),
        ("don't STOP: it’s not over", ["stop"]),
        ("Straße naïve ﬁnance ＡＢＣ１２３", ["strass", "naïv", "financ", "abc123"]),
        ("日本語のテキスト", ["日本語のテキスト"]),
        ("", []),
        ("  ... -- !!! ", []),
        ("the and of a", []),
        ("x" * 65 + " kept", ["kept"]),
    ],
)
def test_tokenize(text: str, expected: list[str]) -> None:
    assert tokenize(text) == expected


def test_tokenize_long_text_is_fast_and_complete() -> None:
    text = "alpha beta " * 9091  # 100,001 characters
    assert len(text) > 100_000
    started = time.perf_counter()
    tokens = tokenize(text)
    # A guard against pathological behaviour, not a speed target (see bench/).
    assert time.perf_counter() - started < 15.0
    assert tokens == ["alpha", "beta"] * 9091


def test_term_id_is_stable_and_in_range() -> None:
    # Pinned values: a change here silently orphans every stored sparse vector.
    assert term_id("revenu") == 2054202674
    assert term_id("grew") == 745458747
    assert term_id("fell") == 1773018014
    assert all(0 <= term_id(t) < 2**31 for t in ("", "a", "日本", "x" * 1000))


# -- encoder -----------------------------------------------------------------------------


def test_document_weights_exact_at_average_length() -> None:
    # dl == avgdl: weight = tf * 2.2 / (tf + 1.2)
    vec = BM25Encoder(k1=1.2, b=0.75, avgdl=4).encode_document("Revenue grew; revenue fell.")
    assert list(vec.indices) == sorted(vec.indices)
    assert as_dict(vec) == pytest.approx(
        {term_id("revenu"): 4.4 / 3.2, term_id("grew"): 1.0, term_id("fell"): 1.0}, abs=1e-12
    )
    assert as_dict(vec)[term_id("revenu")] == pytest.approx(1.375, abs=1e-12)


def test_document_weights_exact_for_short_document() -> None:
    # dl=4, avgdl=8: norm = 1.2 * (0.25 + 0.75 * 0.5) = 0.75
    vec = BM25Encoder(avgdl=8).encode_document("Revenue grew; revenue fell.")
    assert as_dict(vec) == pytest.approx(
        {term_id("revenu"): 1.6, term_id("grew"): 2.2 / 1.75, term_id("fell"): 2.2 / 1.75},
        abs=1e-12,
    )


def test_b_zero_ignores_length() -> None:
    encoder = BM25Encoder(k1=2.0, b=0.0, avgdl=1)
    vec = encoder.encode_document("alpha alpha alpha beta " + "gamma " * 50)
    assert as_dict(vec)[term_id("alpha")] == pytest.approx(3 * 3.0 / 5.0, abs=1e-12)


def test_colliding_ids_merge(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sparse, "term_id", lambda token: 7)
    vec = BM25Encoder(avgdl=4).encode_document("revenue grew revenue fell")
    assert as_dict(vec) == pytest.approx({7: 1.375 + 1.0 + 1.0}, abs=1e-12)
    assert BM25Encoder().encode_query("revenue grew") == SparseVector((7,), (1.0,))


def test_query_terms_unique_weight_one() -> None:
    vec = BM25Encoder().encode_query("Revenues and revenue growth, growing")
    assert as_dict(vec) == {term_id("revenu"): 1.0, term_id("growth"): 1.0, term_id("grow"): 1.0}


def test_empty_text_gives_empty_vectors() -> None:
    encoder = BM25Encoder()
    assert encoder.encode_document("") == SparseVector((), ())
    assert encoder.encode_query("the of and") == SparseVector((), ())


@pytest.mark.parametrize(("k1", "b", "avgdl"), [(-0.1, 0.75, 10), (1.2, 1.5, 10), (1.2, 0.5, 0)])
def test_invalid_parameters(k1: float, b: float, avgdl: float) -> None:
    with pytest.raises(ValueError):
        BM25Encoder(k1=k1, b=b, avgdl=avgdl)


# -- ranking against the reference implementation -----------------------------------------

# Varied lengths and repeated terms, so tf saturation and length normalisation both matter.
CORPUS = [
    "Central banks raised interest rates again to fight persistent inflation; rates may stay high.",
    "Inflation expectations eased as energy prices fell in the second quarter, and core"
    " inflation slowed.",
    "Semiconductor earnings beat expectations on strong demand for AI chips.",
    "Chip export controls weigh on semiconductor equipment makers, and chip stocks fell as"
    " export rules tightened.",
    "Bond yields climbed after the central bank signalled more rate hikes.",
    "Equity valuations in technology stocks look stretched versus earnings; semiconductor"
    " stocks lead the rally while earnings growth slows outside technology.",
    "The merger faces antitrust review by the competition authority.",
    "Regulators fined the bank for antitrust violations in card payments, the largest antitrust"
    " fine this year.",
    "Oil prices rose on supply cuts while natural gas prices fell.",
    "Housing starts dropped as mortgage rates hit a twenty-year high; higher rates cut mortgage"
    " demand and housing affordability.",
    "Emerging market currencies weakened against a strong dollar as rates rose.",
    "Dividend growth in utilities outpaced inflation over the decade, though utilities lag when"
    " rates rise.",
    "Energy stocks rallied as oil supply tightened; energy earnings rose with oil prices and gas"
    " demand.",
    "Bank earnings rose as net interest margins widened with higher rates.",
]

QUERIES = [
    "semiconductor chip stocks",
    "antitrust bank fine",
    "oil energy prices",
    "housing demand",
    "utilities dividend inflation",
    "earnings growth",
    "interest rates bank",
    "export demand",
]


def pure_scores(query: str, encoder: BM25Encoder) -> list[float]:
    """Our BM25: document weights from the encoder times Qdrant's IDF, summed over terms."""
    docs = [as_dict(encoder.encode_document(text)) for text in CORPUS]
    q_ids = encoder.encode_query(query).indices
    scores = []
    for doc in docs:
        score = 0.0
        for tid in q_ids:
            df = sum(1 for d in docs if tid in d)
            if tid in doc:
                score += qdrant_idf(len(docs), df) * doc[tid]
        scores.append(score)
    return scores


def top(scores: list[float], n: int) -> list[int]:
    return sorted(range(len(scores)), key=lambda i: -scores[i])[:n]


@pytest.mark.parametrize("query", QUERIES)
def test_ranking_agrees_with_rank_bm25(query: str) -> None:
    from rank_bm25 import BM25Okapi

    tokens = [tokenize(text) for text in CORPUS]
    avgdl = sum(map(len, tokens)) / len(tokens)
    encoder = BM25Encoder(k1=1.2, b=0.75, avgdl=avgdl)
    q_tokens = tokenize(query)
    assert len(set(q_tokens)) == len(q_tokens), "rank_bm25 counts repeated query terms"

    ours = pure_scores(query, encoder)
    reference = [float(s) for s in BM25Okapi(tokens, k1=1.2, b=0.75).get_scores(q_tokens)]
    # The term-frequency part is identical; only IDF differs: rank_bm25 uses
    # ln((N - n + 0.5) / (n + 0.5)) (floored for terms in over half the documents), Qdrant
    # ln(1 + (N - n + 0.5) / (n + 0.5)). Queries use terms in few documents, so both IDFs
    # are positive and order the terms the same way; the top 3 must agree.
    assert top(ours, 3) == top(reference, 3)
    # Meaningful: the top 3 are real matches, with distinct scores (no tie decides).
    best = sorted(ours, reverse=True)[:4]
    assert best[2] > 0 and best[0] > best[1] > best[2] > best[3]


def test_ranking_exact_for_one_query() -> None:
    tokens = [tokenize(text) for text in CORPUS]
    avgdl = sum(map(len, tokens)) / len(tokens)
    assert avgdl == pytest.approx(152 / 14)
    scores = pure_scores("antitrust bank fine", BM25Encoder(avgdl=avgdl))
    # Doc 7 (11 terms): antitrust x2 (df 2), bank x1 (df 4), fine x2 ("fined", "fine"; df 1).
    norm = 1.2 * (0.25 + 0.75 * 11 / avgdl)
    expected = (
        qdrant_idf(14, 2) * 2 * 2.2 / (2 + norm)
        + qdrant_idf(14, 4) * 2.2 / (1 + norm)
        + qdrant_idf(14, 1) * 2 * 2.2 / (2 + norm)
    )
    assert scores[7] == pytest.approx(expected, rel=1e-12)
    assert scores[7] == pytest.approx(6.806, abs=1e-3)
    assert top(scores, 2) == [7, 6]


def test_common_terms_still_count_unlike_rank_bm25() -> None:
    """ "rates" is in 7 of 14 documents: rank_bm25's IDF is 0 there, Qdrant's stays ~0.69."""
    from rank_bm25 import BM25Okapi

    tokens = [tokenize(text) for text in CORPUS]
    avgdl = sum(map(len, tokens)) / len(tokens)
    ours = pure_scores("inflation rates", BM25Encoder(avgdl=avgdl))
    reference = [
        float(s) for s in BM25Okapi(tokens, k1=1.2, b=0.75).get_scores(tokenize("inflation rates"))
    ]
    assert top(ours, 1) == [0]  # both terms, "rates" twice
    assert top(reference, 1) == [1]  # "inflation" twice, no "rates"
