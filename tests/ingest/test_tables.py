"""Cell grids -> rows that carry their column headers; merged, empty and ragged cells."""

from __future__ import annotations

import pytest

from ingest.models import Table, TableRow
from ingest.tables import fixed_width_tables, table_from_grid, table_text


def rows(table: Table | None) -> list[str]:
    assert table is not None
    return [r.text for r in table.rows]


def test_rows_name_their_columns_and_keep_page_and_box() -> None:
    grid = [
        ["Fee", "Class A", "Class I"],
        ["Management fee", "0.45%", "0.45%"],
        ["Total expense ratio", "0.85%", "0.55%"],
    ]
    boxes = [(1.0, 2.0, 3.0, 4.0), (1.0, 4.0, 3.0, 6.0), (1.0, 6.0, 3.0, 8.0)]
    table = table_from_grid(grid, caption=" Fees and\nexpenses ", page=2, boxes=boxes)
    assert table == Table(
        "Fees and expenses",
        "Fee | Class A | Class I",
        (
            TableRow("Management fee | Class A: 0.45% | Class I: 0.45%", 2, boxes[1]),
            TableRow("Total expense ratio | Class A: 0.85% | Class I: 0.55%", 2, boxes[2]),
        ),
    )
    assert table_text(table) == (
        "Fees and expenses\nManagement fee | Class A: 0.45% | Class I: 0.45%\n"
        "Total expense ratio | Class A: 0.85% | Class I: 0.55%"
    )


def test_filing_grids_glue_currency_signs_and_drop_empty_columns() -> None:
    grid = [
        ["(Millions)", "", "2018", "", "", "2017", ""],
        ["Net income", "", "$", "5,363", "", "$", "4,869"],
        ["Pension contributions", None, "", "(370", ")", "", "(967)"],
        ["Other", "", "", "", "", "", ""],
    ]
    table = table_from_grid(grid)
    assert table is not None
    assert table.header == "(Millions) | 2018 | 2017"
    assert rows(table) == [
        "Net income | 2018: $5,363 | 2017: $4,869",
        "Pension contributions | 2018: (370) | 2017: (967)",
        "Other",
    ]


def test_stacked_header_rows_are_joined_and_merged_cells_spread() -> None:
    grid = [
        ["", "Years ended", None, "Change"],
        ["", "2023", "2022", ""],
        ["Revenue", "100", "90", "11%"],
    ]
    assert rows(table_from_grid(grid)) == [
        "Revenue | Years ended 2023: 100 | Years ended 2022: 90 | Change: 11%"
    ]


def test_a_table_continued_on_the_next_page_takes_its_headers() -> None:
    first = table_from_grid([["Item", "2023", "2022"], ["Revenue", "100", "90"]], caption="P&L")
    cont = table_from_grid([["Net income", "10", "9"], ["EPS", "1.1", "1.0"]], continues=first)
    assert cont is not None and cont.caption == "P&L"
    assert rows(cont) == ["Net income | 2023: 10 | 2022: 9", "EPS | 2023: 1.1 | 2022: 1.0"]
    # A different width is a new table, here one whose header was not captured.
    other = table_from_grid([["A", "1"], ["B", "2"]], continues=first)
    assert rows(other) == ["A | 1", "B | 2"]


@pytest.mark.parametrize(
    "grid",
    [[], [[]], [["only one cell"]], [["a", "b"]], [["", ""], [None, None]], [["x"], ["y"], ["z"]]],
)
def test_grids_that_are_no_table_give_none(grid: list[list[str | None]]) -> None:
    assert table_from_grid(grid) is None


def test_hostile_cells_are_bounded_and_cannot_fake_a_separator() -> None:
    grid = [["k", "v | fake: 1"], ["row", "x" * 5000]]
    table = table_from_grid(grid)
    assert table is not None
    (row,) = table.rows
    assert row.text == f"row | v / fake: 1: {'x' * 300}"
    assert row.text.count(" | ") == 1
    with pytest.raises(ValueError, match="2 row boxes for 3 rows"):
        table_from_grid([["a", "b"], ["c", "d"], ["e", "f"]], boxes=[None, None])


def test_a_first_row_of_figures_is_data_with_unnamed_columns() -> None:
    grid = [["2020", "$ 449,823", "410"], ["2021", "60,464", "63,341"]]
    assert rows(table_from_grid(grid)) == ["2020 | $ 449,823 | 410", "2021 | 60,464 | 63,341"]
    periods = [["Item", "FY2024A", "2025"], ["Revenue", "1", "2"]]
    assert rows(table_from_grid(periods)) == ["Revenue | FY2024A: 1 | 2025: 2"]


def test_a_header_with_words_and_digits_starts_a_new_table() -> None:
    first = table_from_grid([["Asset class", "Return"], ["Equities", "7.8%"]])
    grid = [["Asset class", "Tilt", "Change from mid-2025"], ["Equities", "+1%", "Raised"]]
    table = table_from_grid(grid, continues=first)
    assert table is not None and table.header == "Asset class | Tilt | Change from mid-2025"
    sp = table_from_grid([["Period", "Fund", "S&P 500"], ["1 year", "15.9%", "14.3%"]])
    assert rows(sp) == ["1 year | Fund: 15.9% | S&P 500: 14.3%"]


def test_fixed_width_tables_are_found_where_gutters_line_up() -> None:
    lines = [
        "BANK DEPOSIT SWEEP RATES",
        "",
        "Balance tier                      APY from 2 Mar 2026   APY from 1 Dec 2025",
        "Under $100,000                    0.45%                 0.50%",
        "$5,000,000 and above              2.60%                 2.70%",
        "Rates may change at any time and apply to the whole balance.",
    ]
    [(start, end, table)] = fixed_width_tables(lines, caption="Rates")
    assert (start, end) == (2, 5)
    assert table.header == "Balance tier | APY from 2 Mar 2026 | APY from 1 Dec 2025"
    assert [r.text for r in table.rows] == [
        "Under $100,000 | APY from 2 Mar 2026: 0.45% | APY from 1 Dec 2025: 0.50%",
        "$5,000,000 and above | APY from 2 Mar 2026: 2.60% | APY from 1 Dec 2025: 2.70%",
    ]


@pytest.mark.parametrize(
    "lines",
    [
        [],
        [""],
        # Prose with double spaces after its sentences: the gaps never line up.
        ["One sentence.  Another one here.", "A longer first sentence.  Then more.", "Short.  X."],
        # Two lines are no table.
        ["Item    2025", "Sales   10"],
        ["a  b"] * 2,
    ],
)
def test_text_that_is_no_fixed_width_table(lines: list[str]) -> None:
    assert fixed_width_tables(lines) == []


def test_a_huge_fixed_width_block_is_read_in_time() -> None:
    lines = ["Label                 2025      2024"] + [
        f"Row {i:<17} {i:<9} {i}" for i in range(3000)
    ]
    [(_, end, table)] = fixed_width_tables(lines)
    assert end == len(lines) and len(table.rows) == 3000
