from __future__ import annotations

import pytest

from assistant.question_checks import (
    company_figure,
    finance_term,
    not_english,
    numbers_only,
    read_foreign,
    with_inferred_figure,
)


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
        ("How much cash did the company have at the end of 2019?", "cash"),
        ("What was the cash on hand?", "cash"),
        ("How much cash can a client hold in the sweep account?", None),
        ("What is the fund's top holding?", "top holding"),
        ("What is the TER of the Class I shares?", "TER"),
        ("Quanto a empresa vai ter de receita?", None),  # "ter" is no TER
        # A fund's NAV is also a trading deadline's subject: no company figure.
        ("What is the desk's cut-off for mutual fund orders to get same-day NAV?", None),
        ("How many client complaints did the firm receive?", None),
        ("Up to what amount can a manager authorise a goodwill payment?", None),
        ("What default rate does the firm expect for junk bonds in 2026?", None),
        # A fund is cheaper or dearer by its expense ratio; a stock by other measures.
        ("Which fund is cheaper?", "expense ratio"),
        ("Which of our funds is the cheapest?", "expense ratio"),
        ("Is the Alpha Fund more expensive than the Beta Fund?", "expense ratio"),
        ("Which stock is cheaper?", None),
        ("Is gold cheap?", None),
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


@pytest.mark.parametrize(
    ("question", "english", "terms"),
    [
        ("¿Cuáles fueron los ingresos de Nike en 2023?", "revenue Nike 2023", ("revenue",)),
        ("Quel était le chiffre d’affaires de PepsiCo en 2022 ?", "revenue PepsiCo 2022",
         ("revenue",)),
        ("Wie hoch war der Umsatz von Nike im Geschäftsjahr 2023?",
         "revenue Nike fiscal year 2023", ("revenue", "fiscal year")),
        ("Qual è l'utile netto di ACME nel 2024?", "net income ACME 2024", ("net income",)),
        ("¿Cuál es el beneficio por acción y el beneficio neto de Nike?",
         "earnings per share net income Nike", ("earnings per share", "net income")),
        ("¿Cuál es el EBITDA de Nike?", "EBITDA Nike", ()),  # an acronym stays as written
    ],
)  # fmt: skip
def test_a_question_in_another_language_is_read_as_english_keywords(
    question: str, english: str, terms: tuple[str, ...]
) -> None:
    reading = read_foreign(question)
    assert (reading.english, reading.terms, reading.unread) == (english, terms, ())


@pytest.mark.parametrize(
    ("question", "unread"),
    [
        ("¿Cuál fue el color favorito del CEO de Nike?", ("color", "favorito")),
        ("Quelle est la stratégie de Nike ?", ("stratégie",)),
        ("", ()),
        ("¿¿¿???", ()),
    ],
)
def test_words_another_language_uses_that_no_glossary_reads_are_unread(
    question: str, unread: tuple[str, ...]
) -> None:
    assert read_foreign(question).unread == unread


def test_a_huge_foreign_question_is_read_in_linear_time() -> None:
    import time

    started = time.perf_counter()
    reading = read_foreign("los ingresos de Nike " * 5000)
    assert time.perf_counter() - started < 2.0
    assert reading.terms == ("revenue",)


def test_finance_terms() -> None:
    assert finance_term("EBITDA Nike") and finance_term("the expense ratio")
    assert not finance_term("Nike 2023") and not finance_term("the ebitdas")


@pytest.mark.parametrize(
    ("question", "read"),
    [
        ("Which fund is cheaper?", "Which fund is cheaper (expense ratio)?"),
        (
            "Is the Alpha Fund cheaper than the Beta Fund",
            "Is the Alpha Fund cheaper than the Beta Fund (expense ratio)?",
        ),
        # A figure written, or none asked: the question as typed.
        ("What is the fund's expense ratio?", "What is the fund's expense ratio?"),
        ("What was revenue in 2025?", "What was revenue in 2025?"),
        ("Is gold cheap?", "Is gold cheap?"),
        ("", ""),
    ],
)
def test_a_figure_asked_without_being_written_is_named(question: str, read: str) -> None:
    assert with_inferred_figure(question) == read
