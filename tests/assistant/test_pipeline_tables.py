"""End to end over four sample documents with table extraction on: table answers carry
their row and column headers, and computations are shown only with verified operands."""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Sequence

import pytest

from assistant.compute import Computation, Operand
from assistant.config import PipelineConfig
from assistant.generate import Draft
from assistant.pipeline import Pipeline
from core.settings import Settings
from ingest.pipeline import run_ingest
from retrieval.types import Passage
from tests.conftest import SAMPLE_CORPUS

pytestmark = pytest.mark.slow

FILES = [
    "global_income_fund_factsheet.pdf",
    "meridian_semiconductor_initiation.pdf",
    "meridian_semiconductor_initiation.pdf.meta.json",
    "it_security_policy.html",
    "it_security_policy.html.meta.json",
    "model_portfolios_march_2026.html",
]


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pipeline]:
    corpus = tmp_path_factory.mktemp("corpus")
    for name in FILES:
        shutil.copy(SAMPLE_CORPUS / name, corpus / name)
    state = tmp_path_factory.mktemp("state")
    settings = Settings(data_dir=state, workers=1, pdf_tables=True)
    report = run_ingest([corpus], settings)
    assert report.failed == [], report.to_json()
    p = Pipeline.from_settings(settings, PipelineConfig(classify=False))
    yield p
    p.close()


def test_a_fee_row_is_quoted_with_its_share_class_headers(pipeline: Pipeline) -> None:
    answer = pipeline.ask("What is the total expense ratio of the HPW Global Income Fund?")
    assert answer.outcome == "answered", answer.reason
    assert "Total expense ratio | Class A: 0.85% | Class I: 0.55%" in answer.text
    assert any("Class I: 0.55%" in c.quote for c in answer.citations)


def test_the_password_policy_answers_at_least_14_characters(pipeline: Pipeline) -> None:
    answer = pipeline.ask(
        "What is the minimum password length required by the information security policy?"
    )
    assert answer.outcome == "answered", answer.reason
    assert "at least 14 characters" in answer.text.splitlines()[0]


def test_an_allocation_row_names_its_columns(pipeline: Pipeline) -> None:
    answer = pipeline.ask("Recommended allocation to emerging markets equities")
    assert answer.outcome == "answered", answer.reason
    first = answer.text.splitlines()[0]
    assert first.startswith('"Emerging market equities | ') and ": " in first


def test_a_margin_is_computed_from_cited_operands(pipeline: Pipeline) -> None:
    answer = pipeline.ask("What was Meridian Semiconductor's operating margin in FY2025?")
    assert answer.outcome == "answered", answer.reason
    (formula,) = [line for line in answer.text.splitlines() if " = " in line]
    assert formula.startswith("operating margin 2025 = 967 / 4,760 * 100 = 20.3% [")
    numbers = {c.number for c in answer.citations}
    assert all(int(n) in numbers for n in formula.split("[")[1:] for n in [n.rstrip("] ")])


class Proposing:
    """A generator that quotes nothing and proposes the computation the test gives."""

    name = "scripted"

    def __init__(self, computation: Computation) -> None:
        self.computation = computation

    def generate(
        self, question: str, sources: Sequence[Passage], *, on_token: object = None
    ) -> Draft:
        return Draft("", False, "scripted", None, None, (self.computation,))


def test_a_computation_with_an_operand_missing_from_its_source_is_dropped(
    pipeline: Pipeline,
) -> None:
    forged = Computation(
        "operating margin", "a / b * 100", (Operand("a", "968", 1), Operand("b", "4,760", 1)), "%"
    )
    scripted = Pipeline(
        pipeline.searcher, pipeline.config, Proposing(forged), pipeline.classifier,  # type: ignore[arg-type]
        pipeline.catalog, pipeline.abstain_threshold,
    )  # fmt: skip
    answer = scripted.ask("What was Meridian Semiconductor's operating margin in FY2025?")
    assert answer.outcome == "not_found" and answer.citations == []
    assert any("968 is not in source [1]" in claim for claim in answer.unsupported_claims)
