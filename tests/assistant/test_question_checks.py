from __future__ import annotations

import pytest

from assistant.question_checks import company_figure, not_english, numbers_only


@pytest.mark.parametrize("question", ["12345", "2025 2026", "FY2025?", "$175", "42.5%", "Q3 2024"])
def test_numbers_only(question: str) -> None:
    assert numbers_only(question)


@pytest.mark.parametrize(
    "question", ["", "   ", "?!", "Revenue 2025", "3M 2018 capex", "数字 2025"]
)
def test_not_numbers_only(question: str) -> None:
    assert not numbers_only(question)


@pytest.mark.parametrize(
    ("question", "figure"),
    [
        ("What was revenue in 2025?", "revenue"),
        ("What is the price target?", "price target"),
        ("What drove the change in SG&A as a percent of net sales?", "SG&A"),
        ("What was the drop in Cash & Cash equivalents?", "Cash & Cash equivalents"),
        ("Was there any drop in cash and cash equivalents?", "cash and cash equivalents"),
        ("How many client complaints did the firm receive?", None),
        ("Up to what amount can a manager authorise a goodwill payment?", None),
        ("What default rate does the firm expect for junk bonds in 2026?", None),
    ],
)
def test_company_figure(question: str, figure: str | None) -> None:
    assert company_figure(question) == figure


@pytest.mark.parametrize(
    "question",
    [
        "¿Cuál es el precio objetivo de Meridian Semiconductor?",
        "Quel est l'objectif de cours de Meridian Semiconductor ?",
        "Wie hoch ist das Kursziel für Meridian Semiconductor?",
        "Meridian Semiconductor 的目标价是多少？",
    ],
)
def test_not_english(question: str) -> None:
    assert not_english(question)


@pytest.mark.parametrize(
    "question",
    [
        "What is the price target for Meridian Semiconductor?",
        "Meridian revenue 2025",  # terse English: no foreign function word either
        "Is Banco do Brasil covered?",  # a foreign name inside an English question
        "",
        "12345",
    ],
)
def test_english(question: str) -> None:
    assert not not_english(question)
