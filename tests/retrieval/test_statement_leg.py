"""Statement pages end to end: tagged at ingest, searched as their own leg, fed to the reranker."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.settings import Settings
from ingest.catalog import Catalog
from ingest.db import connect
from ingest.pipeline import run_ingest
from retrieval.config import SearchConfig
from retrieval.pipeline import Searcher
from retrieval.rerank_features import FEATURES, RerankContext, candidate_features
from tests.ingest.loaders.test_pdf import make_pdf

pytestmark = pytest.mark.slow

COVER = [
    "UNITED STATES",
    "SECURITIES AND EXCHANGE COMMISSION",
    "FORM 10-K",
    "For the fiscal year ended December 31, 2023",
    "QUILLFEATHER INDUSTRIES, INC.",
    "(Exact name of registrant as specified in its charter)",
]
# Narrative that repeats the question's words, as MD&A pages do, without the figure.
NARRATIVE = [
    "Liquidity and capital resources",
    "Accounts payable terms with suppliers were extended during the year.",
    "We manage accounts payable and supplier financing programs actively,",
    "and accounts payable days are a focus of our working capital work.",
]
BALANCE = [
    "QUILLFEATHER INDUSTRIES, INC.",
    "CONSOLIDATED BALANCE SHEETS",
    "(In millions) December 31, 2023 2022",
    *[f"Line item {i} {1000 + i:,} {900 + i:,}" for i in range(8)],
    "Accounts payable 4,321 3,987",
    "Total current liabilities 9,876 9,001",
]
CASH_FLOW = [
    "CONSOLIDATED STATEMENTS OF CASH FLOWS",
    "(In millions) Year ended December 31, 2023 2022",
    *[f"Cash item {i} {500 + i:,} {400 + i:,}" for i in range(8)],
    "Capital expenditures (765) (701)",
]


@pytest.fixture(scope="module")
def filing_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("filings")
    make_pdf(root / "quill.pdf", [COVER, NARRATIVE, NARRATIVE, BALANCE, CASH_FLOW])
    state = tmp_path_factory.mktemp("filing-index")
    settings = Settings(data_dir=state, workers=1, chunk_size=64, chunk_overlap=8)
    report = run_ingest([root], settings)
    assert report.failed == [], report.to_json()
    return state


def test_statement_pages_are_catalogued_and_tag_their_chunks(filing_index: Path) -> None:
    settings = Settings(data_dir=filing_index)
    (entry,) = Catalog(connect(settings.resolved_database_url), settings.index).all()
    assert entry.profile.statement_pages == ((4, ("balance_sheet",)), (5, ("cash_flow",)))
    searcher = Searcher.from_settings(settings, SearchConfig(rerank="none", k=20, candidates=20))
    try:
        passages = searcher.search("Quillfeather accounts payable", k=20).passages
    finally:
        searcher.close()
    by_page = {p.page_start: p.statements for p in passages}
    assert by_page[4] == ("balance_sheet",)
    assert by_page[2] == ()


def test_a_line_item_question_is_searched_on_its_statement_page(filing_index: Path) -> None:
    question = "What was Quillfeather's accounts payable at the end of FY2023?"
    settings = Settings(data_dir=filing_index)
    first = {}
    for mode in ("off", "leg"):
        config = SearchConfig(statements=mode, rerank="none", k=1, candidates=3)  # type: ignore[arg-type]
        searcher = Searcher.from_settings(settings, config)
        try:
            first[mode] = searcher.search(question).passages[0].page_start
        finally:
            searcher.close()
    # The narrative repeats the question's words; only the balance sheet holds the figure.
    assert first["off"] in (2, 3) and first["leg"] == 4


def test_the_reranker_sees_which_passages_are_on_an_asked_statement(filing_index: Path) -> None:
    settings = Settings(data_dir=filing_index)
    searcher = Searcher.from_settings(settings, SearchConfig(rerank="none", k=5, candidates=5))
    try:
        question = "Quillfeather capital expenditures in 2023"
        passages = searcher.search(question).passages
    finally:
        searcher.close()
    rows = candidate_features(question, passages, RerankContext())
    column = FEATURES.index("statement_match")
    matched = {p.page_start for p, row in zip(passages, rows, strict=True) if row[column] == 1.0}
    assert matched == {5}  # the cash flow statement; the balance sheet is not what was asked
