"""The extractive answerer's table handling: rows with headers, the period asked, synonyms."""

from __future__ import annotations

import pytest

from assistant.extractive import best_quotes, expansions, focus_row
from retrieval.types import Passage

ROW = "Revenue | FY2025A: 4,760 | FY2026E: 5,620 | FY2027E: 6,450"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What revenue is forecast for FY2026?", "Revenue | FY2026E: 5,620"),
        ("Revenue in 2026 and 2027?", "Revenue | FY2026E: 5,620 | FY2027E: 6,450"),
        ("What revenue is forecast?", ROW),  # no period asked: the whole row
        ("Revenue in 2019?", ROW),  # no such column: never lose the figures
    ],
)
def test_a_row_is_cut_to_the_period_asked(question: str, expected: str) -> None:
    assert focus_row(ROW, question) == expected


def test_rows_without_named_cells_stay_whole() -> None:
    assert focus_row("Revenue | 4,760 | 5,620", "in 2026?") == "Revenue | 4,760 | 5,620"
    assert focus_row("Just a sentence from 2026.", "in 2026?") == "Just a sentence from 2026."


def passage(number: int, text: str) -> Passage:
    return Passage(f"c{number}", "d", "Fund fact sheet", "f.pdf", 1, 1, "", text, 0.5)


def test_the_row_with_headers_replaces_its_flattened_copy() -> None:
    page = passage(1, "Fees\nTotal expense ratio 0.85% 0.55%\nOther text about the fund.")
    table = passage(2, "Fees and expenses\nTotal expense ratio | Class A: 0.85% | Class I: 0.55%")
    (quote,) = best_quotes("What is the TER of the Class I shares?", [page, table], limit=1)
    assert (quote.passage, quote.text) == (
        1,
        "Total expense ratio | Class A: 0.85% | Class I: 0.55%",
    )


def test_acronyms_and_bound_words_reach_the_sentence_that_spells_them_out() -> None:
    assert expansions("What is the TER?") == " total expense ratio"
    assert expansions("Nothing to expand") == ""
    policy = passage(
        1,
        "Harbor Point Wealth | Version 5.0 | Owner: Chief Information Security Officer\n"
        "Passwords must be at least 14 characters long and must not be reused.\n"
        "Use the approved password manager to store them.",
    )
    question = "What is the minimum password length required by the information security policy?"
    (quote,) = best_quotes(question, [policy], limit=1)
    assert quote.text == "Passwords must be at least 14 characters long and must not be reused."
