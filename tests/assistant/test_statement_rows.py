"""Statement rows read as cells of known line items: labels, years, sections, hostile rows."""

from __future__ import annotations

from decimal import Decimal

from assistant.statement_rows import row_item, table_cells
from retrieval.types import Passage


def sources(*texts: str) -> list[Passage]:
    return [Passage(f"c{i}", "d", "T", "t.pdf", 1, 1, "", t, 0.5) for i, t in enumerate(texts)]


def test_cells_skip_text_and_multi_number_values() -> None:
    cells = table_cells(sources("Revenue | 2025: n/a | 2024: 1,000 and 2,000 | 2023: 900"))
    assert [(c.item, c.year, c.text) for c in cells] == [("revenue", "2023", "900")]
    assert Decimal("900") == Decimal(cells[0].text)


def test_a_chunk_below_the_header_takes_its_years_from_the_page_header_it_carries() -> None:
    below = "Total current assets 5,121.3 4,186.5\nTotal current liabilities $ 7,491.5 $ 7,087.1"
    source = Passage(
        "c", "d", "t", "s.pdf", 1, 1, "", below, 1.0, column_header="May 31, 2020 May 26, 2019"
    )
    cells = {(c.item, c.year): c.text for c in table_cells([source])}
    assert cells[("current_assets", "2020")] == "5,121.3"
    assert cells[("current_liabilities", "2019")] == "$ 7,087.1"
    # A header that is not one (words besides dates) gives no columns.
    worded = Passage("c", "d", "t", "s.pdf", 1, 1, "", below, 1.0, column_header="Notes 2020 2019")
    assert table_cells([worded]) == []


def test_a_label_may_hold_digits_and_amounts_stay_amounts() -> None:
    statement = (
        "2022 2021 2020\n"
        "Net income attributable to 3M $ 5,777 $ 5,921 $ 5,449\n"
        "Revenue 2,000 1,900 1,800"
    )
    cells = {(c.item, c.year): (c.label, c.text) for c in table_cells(sources(statement))}
    assert cells[("net_income", "2022")] == ("Net income attributable to 3M", "$ 5,777")
    # The shortest label wins: a number after the label is the first column's amount.
    assert cells[("revenue", "2022")] == ("Revenue", "2,000")


def test_cash_flow_rows_under_other_names() -> None:
    cash_flows = (
        "2022 2021\nNet cash from operations 87,582 89,035\n"
        "Payments to acquire property, plant and equipment (1,222) (980)\n"
        "Depreciation, amortization and accretion 856 788\n"
        "Depreciation, depletion and amortization 1,200 1,100"
    )
    cells = {(c.item, c.year): c.text for c in table_cells(sources(cash_flows))}
    assert cells[("capital_expenditure", "2022")] == "(1,222)"  # the US GAAP taxonomy's
    assert cells[("operating_cash_flow", "2022")] == "87,582"
    found = [
        c.text for c in table_cells(sources(cash_flows)) if c.item == "depreciation_amortization"
    ]
    assert found == ["856", "788", "1,200", "1,100"]


def test_amounts_a_label_quotes_for_each_column_are_not_the_row_s() -> None:
    balance = (
        "December 2, 2022 December 3, 2021\n"
        "Trade receivables, net of allowances for doubtful accounts of $23 and of $16, "
        "respectively 2,065 1,878"
    )
    (first, second) = table_cells(sources(balance))
    assert (first.item, first.year, first.text) == ("accounts_receivable", "2022", "2,065")
    assert second.text == "1,878" and "$23 and of $16" in first.row  # quoted as printed


def test_interest_net_on_an_industrial_s_statement_is_interest_expense() -> None:
    income = "2022 2021\nOperating profit 3,475.8 3,144.8\nInterest, net 379.6 420.3"
    cells = {(c.item, c.year): c.text for c in table_cells(sources(income))}
    assert cells[("interest_expense", "2022")] == "379.6"


def test_hostile_rows_stay_fast() -> None:
    import time

    rows = ["2019 2020", "Revenue " + " ".join(["1,234"] * 20000) + " x"]
    rows += ["Revenue " + "9" * 50000 + " a", "a " * 20000 + "1 2 x"]
    rows += ["Net " + "9" * 50000 + "M " * 5000 + "1 2 x"]
    rows += ["Receivables " + "1 " * 20000 + "x respectively 5 6", "A, of " + "$1 and " * 9000]
    started = time.perf_counter()
    table_cells([Passage("c", "d", "t", "s.pdf", 1, 1, "", "\n".join(rows), 1.0)])
    for row in [*rows, "a 1a" * 20000 + " 1", "Net income " + "(x) " * 20000 + "1"]:
        row_item(row)
    assert time.perf_counter() - started < 1.0


def test_a_row_printed_as_one_line_names_its_line_item() -> None:
    # Whatever its figures: a share of sales beside each amount is no amount of a cell.
    assert row_item("Net income $ 340,751 10.6% $ 289,366 10.6%") == "net_income"
    assert row_item("Total current assets 8,304 8,802 8,344") == "current_assets"
    assert row_item("Total assets $ 15,318 $ 15,803") == "total_assets"
    assert row_item("Net income attributable to 3M 5,777 5,921") == "net_income"
    assert row_item("Net sales $18,992.8") == "revenue"
    # Labels that name no known item, sentences, and lines with no figure after words.
    assert row_item("Interest (income) expense, net (4,378) (0.1%) 467 0.1%") is None
    assert row_item("Revenue grew 5% in 2023.") is None
    assert row_item("Net income") is None
    assert row_item("") is None
    assert row_item("2023 2022") is None
    assert row_item("x" * 300 + " 1 2") is None  # a label longer than any row's


def test_labels_are_read_past_acronyms_qualifiers_and_either_sign_wording() -> None:
    cash_flows = (
        "Consolidated Statements of Cash Flows\n(Dollars in millions) 2021 2020\n"
        "Cash provided (used) by operations 6,657 2,485\n"
        "Net cash provided/(used) by operating activities 3,512 (3,416)\n"
        "Net cash provided by/(used for) operating activities 3,552 2,574\n"
        "Net cash (used in) provided by financing activities (1,000) 250\n"
        "Purchases of property, plant and equipment (PP&E) (1,577) (1,373)\n"
        "Capital expenditures (including capitalized software) (20,286) (18,192)\n"
        "Net cash used in investing activities (900) (800)\n"
        "Consolidated net income 15,201 7,179"
    )
    cells = {(c.label, c.year): c.item for c in table_cells(sources(cash_flows))}
    assert cells[("Cash provided (used) by operations", "2021")] == "operating_cash_flow"
    assert cells[("Net cash provided/(used) by operating activities", "2020")] == (
        "operating_cash_flow"
    )
    assert cells[("Net cash provided by/(used for) operating activities", "2021")] == (
        "operating_cash_flow"
    )
    assert cells[("Purchases of property, plant and equipment (PP&E)", "2021")] == (
        "capital_expenditure"
    )
    assert cells[("Capital expenditures (including capitalized software)", "2020")] == (
        "capital_expenditure"
    )
    assert cells[("Consolidated net income", "2021")] == "net_income"
    # Financing and investing totals are no line item the definitions use.
    assert not any("financing" in label or "investing" in label for label, _ in cells)


def test_an_unlabelled_total_closing_a_section_takes_the_section_heading() -> None:
    operations = (
        "CONSOLIDATED STATEMENTS OF OPERATIONS\n(In thousands)\n2022 2021\nRevenues\n"
        "Casino $ 5,734,173 $ 5,362,912\nRooms 3,057,145 1,690,037\n13,127,485 9,680,140\n"
        "Expenses\nCasino 2,746,576 2,551,169\nRooms 937,272 600,942\n3,683,848 3,152,111\n"
        "Net income\n1,473,093 1,254,370"
    )
    cells = {(c.item, c.year): c.text for c in table_cells(sources(operations))}
    assert cells[("revenue", "2022")] == "13,127,485"
    assert cells[("net_income", "2021")] == "1,254,370"  # a label whose amounts wrapped
    single = "Statement\n2022 2021\nRevenues\nCasino 5 6\n5 6\n7 8"
    # One row under a heading is no section to total: only that row, a part of revenue.
    assert {c.item for c in table_cells(sources(single))} == {"revenue__casino"}


def test_a_column_of_changes_after_the_years_is_left_out() -> None:
    text = (
        "Net bookings were as follows (amounts in millions):\n"
        "For the Years Ended December 31, Increase\n"
        "2019 2018 (Decrease)\n"
        "Net revenues $ 6,489 $ 7,500 $ (1,011)\n"
        "Cost of revenues 2,000 2,100 (100) (4.8)\n"
        "Operating income 1,607 1,988 (381) (19) (3)"  # more values than columns: unread
    )
    passage = Passage("c", "d", "T", "f.pdf", 1, 1, "", text, 0.5)
    cells = {(c.item, c.year): c.text for c in table_cells([passage])}
    assert cells[("revenue", "2019")] == "$ 6,489" and cells[("revenue", "2018")] == "$ 7,500"
    assert cells[("cost_of_revenue", "2019")] == "2,000"
    assert not any(item == "operating_income" for item, _ in cells)
    # Without a change column's heading, a row of three values under two years is unread.
    plain = Passage(
        "c",
        "d",
        "T",
        "f.pdf",
        1,
        1,
        "",
        text.replace(" Increase", "").replace(" (Decrease)", ""),
        0.5,
    )
    assert not table_cells([plain])
