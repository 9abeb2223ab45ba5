"""Table rows quoted in the columns asked, and a table's extreme rows."""

from __future__ import annotations

import pytest

from assistant.table_quotes import extreme_rows, focus_row

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


def test_a_year_named_as_a_bound_keeps_the_whole_row() -> None:
    row = "Under $100,000 | APY from 2 Mar 2026: 0.45% | APY from 1 Dec 2025: 0.50%"
    # "Before March 2026" is not the March 2026 column: the row stays whole.
    assert focus_row(row, "What was the APY under $100,000 before March 2026?") == row
    assert focus_row(row, "What was the APY prior to 2 March 2026?") == row
    assert focus_row(row, "Before March 2026, what was the APY?") == row
    assert focus_row(row, "What was the APY in 2025?") == (
        "Under $100,000 | APY from 1 Dec 2025: 0.50%"
    )


def test_no_row_is_extreme_in_a_table_of_several_figure_columns() -> None:
    table = (
        "Portfolio positioning\n"
        "US Treasuries | Benchmark weight: 42% | Model weight: 38%\n"
        "Agency MBS | Benchmark weight: 25% | Model weight: 29%"
    )
    rows = table.split("\n")
    assert extreme_rows(rows, largest=True) == set()  # neither column is the one ranked
    assert extreme_rows([rows[0], *(r.rsplit(" | ", 1)[0] for r in rows[1:])], True) == {1}
