"""Query expansion: the lexicon both ways, mined definitions, follow-up rewriting."""

from __future__ import annotations

import time
from collections.abc import Sequence

import pytest

from retrieval.expand import (
    Expansion,
    LexiconExpander,
    NoExpander,
    mine_lexicon,
)
from retrieval.expanders import EXPANDERS, make_expander
from retrieval.lexicon import LEXICON, case_sensitive, fold, words

LEX = LexiconExpander()

REQUIRED_TERMS = words(
    """EBITDA EPS P/E TER AUM YoY CAGR FCF capex COGS SG&A R&D D&A ROE ROA ROIC NAV ETF bps FX EM
    DM IG HY CPI GDP Fed ECB YTM duration KYC AML MiFID PEP revenue EBIT FY Q1 Q2 Q3 Q4 goodwill
    impairment amortization restructuring segment guidance DSO"""
)
REQUIRED_PHRASES = [
    "net income",
    "total expense ratio",
    "ongoing charges figure",
    "assets under management",
    "free cash flow",
    "capital expenditure",
    "cost of goods sold",
    "basis points",
    "emerging markets",
    "investment grade",
    "high yield",
    "yield to maturity",
    "top line",
    "bottom line",
    "operating profit",
    "dividend payout ratio",
    "working capital",
    "current ratio",
    "quick ratio",
    "inventory turnover",
    "days sales outstanding",
    "accounts receivable",
    "accounts payable",
    "cash conversion cycle",
    "gross margin",
    "operating margin",
    "net margin",
    "debt to equity",
    "interest coverage",
    "total debt",
    "long-term debt",
    "share buyback",
    "share repurchase",
    "fiscal year",
]


def test_lexicon_is_large_and_has_the_required_terms() -> None:
    assert len(LEXICON) >= 80
    terms = {term for group in LEXICON for term in group}
    assert [t for t in REQUIRED_TERMS + REQUIRED_PHRASES if t not in terms] == []


def test_every_term_belongs_to_one_group() -> None:
    seen: dict[str, int] = {}
    for index, group in enumerate(LEXICON):
        for term in group:
            key = term if case_sensitive(term) else fold(term)
            assert seen.setdefault(key, index) == index, f"{term!r} is in two groups"


@pytest.mark.parametrize(
    ("question", "variant", "terms"),
    [
        (
            "What was ACME's EPS in 2022?",
            "What was ACME's earnings per share in 2022?",
            ("earnings per share",),
        ),
        ("How did free cash flow change?", "How did FCF change?", ("FCF",)),
        (
            "What's the TER of the fund?",
            "What's the total expense ratio of the fund?",
            ("ongoing charges figure",),
        ),
        ("ongoing charges figure of the fund", "TER of the fund", ("TER", "total expense ratio")),
        ("YoY growth", "year over year growth", ("year over year", "year on year")),
        (
            "Net income in FY2022",
            "Net income in fiscal year 2022",
            ("net profit", "bottom line", "fiscal year"),
        ),
        ("Globex P/E", "Globex price to earnings ratio", ("price to earnings ratio",)),
        ("depreciation and amortisation", "D&A", ("D&A",)),
        (
            "ebitda for acme",
            "earnings before interest, taxes, depreciation and amortization for acme",
            (),
        ),
        ("What were revenues?", "What were sales?", ("sales", "turnover", "top line")),
        ("AUM of EM funds", "assets under management of emerging markets funds", ()),
        ("Q3 results", "third quarter results", ("third quarter",)),
        ("KYC and AML checks", "know your customer and anti-money laundering checks", ()),
    ],
)
def test_lexicon_expansion(question: str, variant: str, terms: Sequence[str]) -> None:
    expansion = LEX.expand(question)
    assert expansion.original == question
    assert expansion.variants[0] == question
    assert variant in expansion.variants
    assert set(terms) <= set(expansion.added_terms)


@pytest.mark.parametrize(
    "question",
    [
        "is it true that us investors like IT stocks?",  # "it"/"us" are words, "IT" is unknown
        "em dashes and fed up dogs",  # lower-case "em"/"fed" are not EM or the Fed
        "What did the board discuss?",
        "",
        "   \n ",
    ],
)
def test_no_expansion_without_lexicon_terms(question: str) -> None:
    expansion = LEX.expand(question)
    assert expansion.added_terms == ()
    assert expansion.variants == ((question.strip(),) if question.strip() else ())


def test_variants_are_bounded_and_distinct() -> None:
    question = "How did FCF, capex, revenue and the operating margin change YoY?"
    expansion = LEX.expand(question)
    assert 1 < len(expansion.variants) <= 4
    assert len(set(expansion.variants)) == len(expansion.variants)
    assert len(LexiconExpander(max_variants=2).expand(question).variants) == 2
    assert len(LexiconExpander(max_terms=3).expand(question).added_terms) == 3
    with pytest.raises(ValueError, match="max_variants"):
        LexiconExpander(max_variants=0)


def test_extra_terms_join_groups_or_make_new_ones() -> None:
    expander = LexiconExpander(extra={"HPW": {"harbor point wealth"}, "FCF": {"free cashflow"}})
    assert "harbor point wealth" in expander.expand("HPW fund fees").added_terms
    assert "free cashflow" in expander.expand("FCF in 2023").added_terms
    assert "FCF" in expander.expand("free cashflow in 2023").added_terms


def test_none_expander_and_registry() -> None:
    assert NoExpander().expand(" EPS? ") == Expansion(" EPS? ", ("EPS?",), ())
    assert set(EXPANDERS) == {"none", "lexicon", "llm-rewrite", "llm-multi", "hyde"}
    assert isinstance(make_expander(), LexiconExpander)
    assert isinstance(make_expander("none"), NoExpander)
    with pytest.raises(
        ValueError, match="unknown expander 'magic'; valid: hyde, lexicon, llm-multi, llm-r"
    ):
        make_expander("magic")


@pytest.mark.parametrize(
    "text",
    ["EPS " * 25_000, "a" * 100_000, "free cash flow (FCF) " * 5_000, "\x00\u200b" * 50_000],
)
def test_huge_inputs_finish_fast(text: str) -> None:
    started = time.perf_counter()
    LEX.expand(text)
    mine_lexicon([text])
    # A guard against pathological (e.g. quadratic) behaviour, not a speed target.
    assert time.perf_counter() - started < 15.0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We track free cash flow (FCF) closely.", {"FCF": {"free cash flow"}}),
        (
            "Rules under the Markets in Financial Instruments Directive (MiFID) apply.",
            {"MiFID": {"markets in financial instruments directive"}},
        ),
        (
            "EBITDA (earnings before interest, taxes, depreciation and amortization) rose.",
            {"EBITDA": {"earnings before interest taxes depreciation and amortization"}},
        ),
        (
            "Higher selling, general and administrative (SG&A) costs.",
            {"SG&A": {"selling general and administrative"}},
        ),
        ("The Bank of England (BoE) held rates.", {"BoE": {"bank of england"}}),
        ("Flows into exchange-traded funds (ETFs) rose.", {"ETF": {"exchange-traded funds"}}),
        ("The price/earnings (P/E) multiple fell.", {"P/E": {"price/earnings"}}),
        ("Revenue (see note 3) grew.", {}),
        ("The company (ACME) grew.", {}),
        ("Growth was strong (GDP) this year.", {}),
        ("", {}),
    ],
)
def test_mine_lexicon(text: str, expected: dict[str, set[str]]) -> None:
    assert mine_lexicon([text]) == expected


def test_mined_terms_extend_the_expander() -> None:
    mined = mine_lexicon(["Harbor Point Wealth (HPW) and the HPW Global Income Fund (GIF)."])
    assert mined == {"HPW": {"harbor point wealth"}, "GIF": {"global income fund"}}
    expansion = LexiconExpander(extra=mined).expand("What are the GIF fees?")
    assert "What are the global income fund fees?" in expansion.variants
