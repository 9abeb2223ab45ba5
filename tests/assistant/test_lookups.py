"""The printed row a question asks the figure of (``assistant.lookups``): the line item's
row, in the column of the period asked, restated with its scale."""

from __future__ import annotations

import dataclasses

import pytest

from assistant.compute import check
from assistant.lookups import lookup, lookup_years, printed_row, restated
from assistant.statement_rows import table_cells
from tests.assistant.test_formulas import (
    REVENUE_LINES,
    sources,
)


def test_rows_printed_with_dot_leaders_are_read_and_quoted_as_printed() -> None:
    cash_flows = (
        "CONSOLIDATED STATEMENTS OF CASH FLOWS\n(In thousands)\n2015 2014 2013\n"
        "Net income ........................................ $ 629,551 $ 268,395 $ 289,985\n"
        "Net cash provided by operating activities.......... 1,469,502 1,287,482 1,151,686"
    )
    ask = "What was the operating cash flow in fiscal 2015?"
    row = lookup(ask, sources(cash_flows))
    assert row is not None and row.text == "1,469,502"
    # The quote is the row as the page prints it, so citation checks find it verbatim.
    assert row.quote.startswith("Net cash provided by operating activities..........")
    assert row.quote in cash_flows


@pytest.mark.parametrize(
    ("question", "figure"),
    [
        ("What was the total revenue in 2022?", "17,606"),
        ("What was Adobe's revenue in 2022?", "17,606"),
        ("What was the Adobe revenue in 2022?", "17,606"),  # a capitalised word is a name
        # Typed as keywords: names, periods and the item alone ask for the figure.
        ("Adobe revenue fiscal 2022", "17,606"),
        ("Adobe revenue outlook for 2022", None),
        ("Which had higher revenue in 2022, Adobe or Nike?", "17,606"),
        ("Was 2022 revenue higher than Nike's?", "17,606"),  # one name set against another
        ("What was the unadjusted revenue in 2022?", "17,606"),
        ("What was the R&D expense in 2022?", "2,987"),
        ("What were SG&A expenses in 2021?", "4,321"),
        # A word that qualifies the item asks for another figure than the item's total:
        # the row of that part where one is printed (under the item's heading, or named
        # with it), else none.
        ("What was the subscription revenue in 2022?", "16,388"),
        ("What was the deferred revenue in 2022?", "2,405"),
        ("What was the product revenue in 2021?", "555"),
        ("What was the adjusted net income in 2022?", None),
        ("What was the non-GAAP revenue in 2022?", None),
        ("What was the GAAP revenue in 2022?", "17,606"),
        ("What was the research revenue in 2022?", None),
    ],
)
def test_a_qualified_line_item_is_not_answered_with_the_item_s_total(
    question: str, figure: str | None
) -> None:
    row = lookup(question, sources(REVENUE_LINES))
    assert (row.text if row is not None else None) == figure


def test_share_repurchases_are_restated_as_the_amount_spent() -> None:
    cash_flows = (
        "Consolidated Statements of Cash Flows\n(In millions) 2019 2018\n"
        "Repurchase of common stock (4,286) (4,254)"
    )
    passages = sources(cash_flows)
    passages = [dataclasses.replace(p, scale="millions") for p in passages]
    row = lookup("How much did Nike spend on share repurchases in fiscal 2019?", passages)
    assert row is not None and row.text == "(4,286)"
    figure = restated(row, "How much did Nike spend on share repurchases?", passages)
    assert figure is not None
    checked = check(figure, passages)
    assert checked.ok and checked.formula() == (
        "Repurchase of common stock 2019 = abs((4,286)) = 4,286.00 million [1]"
    )


def test_the_row_printed_under_the_name_asked_is_preferred() -> None:
    income = (
        "Consolidated Statements of Income\n(In millions) 2021 2020\nNet sales 192,052 163,220\n"
        "Membership fees 3,877 3,541\nTotal revenue 195,929 166,761\n"
        "Net income 5,079 4,059\n"
        "Net income attributable to noncontrolling interests (72) (57)\n"
        "Net income attributable to Costco 5,007 4,002"
    )
    figure = {
        question: (row.text if (row := lookup(question, sources(income))) else None)
        for question in (
            "What was the revenue in 2021?",
            "What were net sales in 2021?",
            "What was the net income in 2021?",
        )
    }
    assert figure == {
        "What was the revenue in 2021?": "195,929",
        "What were net sales in 2021?": "192,052",
        # Net income attributable to the company is its net income, not the minority's
        # share, nor the total including it.
        "What was the net income in 2021?": "5,007",
    }


def test_a_label_broken_a_word_a_line_is_joined_when_it_names_a_line_item() -> None:
    operations = (
        "CONSOLIDATED STATEMENTS OF OPERATIONS\n(In thousands)\n2018 2017\nRevenues\n"
        "Casino $ 5,753,150 $ 5,016,426\nIncome\nbefore\nincome\ntaxes 634,006 960,790\n"
        "Net\nincome 583,894 2,088,184\n"
        "Net\nincome\nattributable\nto\nMGM\nResorts\nInternational $ 466,772 $ 1,952,052"
    )
    cells = {(c.item, c.year): c for c in table_cells(sources(operations))}
    assert cells[("pretax_income", "2018")].text == "634,006"
    assert cells[("revenue__casino", "2017")].label == "Casino"  # a heading is no label start
    row = lookup("What was the net income in 2018?", sources(operations))
    assert row is not None and row.text == "$ 466,772"
    # The quote holds the whole label, its lines joined, as the citation check reads it.
    assert row.quote == (
        "Net income attributable to MGM Resorts International $ 466,772 $ 1,952,052"
    )
    # A line ending mid-phrase is a label's start whatever its length.
    income = (
        "CONSOLIDATED STATEMENTS OF INCOME\n(In millions) 2017 2016\n"
        "CONSOLIDATED NET INCOME 1,283 6,550\n"
        "Less: Net income attributable to noncontrolling interests 35 23\n"
        "NET INCOME ATTRIBUTABLE TO SHAREOWNERS OF\nTHE COCA-COLA COMPANY $ 1,248 $ 6,527"
    )
    row = lookup("What was the net income in 2016?", sources(income))
    assert row is not None and row.text == "$ 6,527"


def test_columns_sharing_a_year_are_told_apart_by_their_spans() -> None:
    # A quarter's and the year to date's columns share the year; the spans above tell them.
    quarterly = (
        "CONDENSED CONSOLIDATED STATEMENTS OF INCOME\n(MILLIONS)\n"
        "Three Months Ended Six Months Ended\nJuly 2,\n2023\nJuly 3,\n2022\nJuly 2,\n2023\n"
        "July 3,\n2022\nRevenues $ 12,734 $ 27,742 $ 31,015 $ 53,402"
    )
    tabled = "Revenues | Three months 2023: 12,734 | Six months 2023: 31,015 | FY2022: 100,330"
    for text in (quarterly, tabled):
        for asked, figure in (
            ("in the six months of 2023", "31,015"),
            ("in the first half of 2023", "31,015"),
            ("in Q2 2023", "12,734"),
            ("in the second quarter of 2023", "12,734"),
        ):
            row = lookup(f"What were the revenues {asked}?", sources(text))
            assert row is not None and row.text.endswith(figure), (text[:20], asked)
        # The year alone names neither column.
        assert lookup("What were the revenues in 2023?", sources(text)) is None
    row = lookup("What were the revenues in 2022?", sources(tabled))
    assert row is not None and row.text == "100,330"
    latest = lookup("What were the revenues in the latest quarter?", sources(quarterly))
    assert latest is not None and latest.label == "Revenues three months 2023"
    # Spans that do not share the columns evenly, or the same date under both, name none.
    stacked = "Three Months Ended\nJuly 2, 2023 July 3, 2022 July 2, 2023\nRevenues 1 2 3"
    assert lookup("What were the revenues in Q2 2023?", sources(stacked)) is None
    # The row is still there to quote where no column of it is named.
    shown = printed_row("What were the revenues in 2023?", sources(quarterly))
    assert shown is not None and shown.quote == "Revenues $ 12,734 $ 27,742 $ 31,015 $ 53,402"
    assert printed_row("What were the revenues in 2023?", sources(tabled)) is not None
    assert printed_row("What were the revenues in 2022?", sources(tabled)) is None  # restated


def test_a_figure_asked_in_several_years_is_each_year_s_column_of_one_row() -> None:
    income = (
        "Consolidated Statements of Income\n(Amounts in millions) 2020 2019 2018\n"
        "Consolidated net income attributable to Walmart $ 14,881 $ 6,670 $ 9,862"
    )
    ask = "What was Walmart's net income in fiscal 2018 compared to fiscal 2020?"
    found = lookup_years(ask, sources(income))
    assert [(o.label, o.text) for o in found] == [
        ("Consolidated net income attributable to Walmart 2018", "$ 9,862"),
        ("Consolidated net income attributable to Walmart 2020", "$ 14,881"),
    ]
    assert lookup(ask, sources(income)) is None  # not one figure
    # A year the row lacks, a change and an average are no lookups.
    assert lookup_years("What was net income in 2017 and 2020?", sources(income)) == ()
    assert lookup_years("How did net income change from 2018 to 2020?", sources(income)) == ()
    assert lookup_years("What was the average net income in 2018-2020?", sources(income)) == ()


def test_net_income_including_minorities_is_not_the_company_s_own() -> None:
    income = (
        "Consolidated Statement of Income\n(Millions) 2022 2021\n"
        "Net income including noncontrolling interest 5,791 5,929\n"
        "Net income, including noncontrolling interests 5,791 5,929"
    )
    assert lookup("What was the net income in 2022?", sources(income)) is None


def test_a_ratio_no_definition_knows_is_not_answered_with_one_of_its_figures() -> None:
    balance = (
        "Consolidated Balance Sheet\n(Millions) 2022 2021\n"
        "Long-term debt 14,001 16,056\nTotal equity 14,770 15,117"
    )
    for asked in ("debt to equity ratio", "equity as a share of assets", "equity per share"):
        assert lookup(f"What is the {asked} in 2022?", sources(balance)) is None, asked
    row = lookup("What is the total equity in 2022?", sources(balance))
    assert row is not None and row.text == "14,770"


def test_a_figure_guided_is_not_the_statement_row_of_that_year() -> None:
    flows = (
        "Condensed Consolidated Statements of Cash Flows\n(In thousands)\n"
        "52 Weeks Ended January 28, 2023 January 29, 2022\n"
        "Capital expenditures (312,126) (172,187)"
    )
    asked = "What is Acme's guidance for fiscal 2023 capital expenditures?"
    assert lookup(asked, sources(flows)) is None
    assert lookup("What were Acme's capital expenditures in 2023?", sources(flows)) is not None


def test_a_quarter_asked_is_not_answered_with_an_annual_column() -> None:
    annual = (
        "Consolidated Statements of Operations\n(in millions) 2022 2021\n"
        "Total revenues 322,467 292,111"
    )
    assert lookup("What was the revenue in Q4 2022?", sources(annual)) is None
    assert lookup("What was the revenue in the second quarter of 2022?", sources(annual)) is None
    quarterly = (
        "Condensed Consolidated Statements of Operations\nThree Months Ended June 30,\n"
        "(in millions) 2023 2022\nTotal revenues 88,917 80,636"
    )
    row = lookup("What was the revenue in Q2 2023?", sources(quarterly))
    assert row is not None and row.text == "88,917"


def test_total_assets_agree_with_the_other_side_of_the_balance_sheet() -> None:
    balance = (
        "CONSOLIDATED BALANCE SHEETS\n(in millions) 2021 2020\n"
        "Total liabilities and stockholders' equity $ 3,689,336 $ 3,384,757"
    )
    vies = (
        "Assets and liabilities of consolidated VIEs\n(in millions) 2021 2020\n"
        "Total assets $ 36,204 $ 40,234\nTotal liabilities $ 15,910 $ 17,811"
    )
    # A sub-table's total assets disagree with the liabilities and equity: not the answer.
    assert lookup("What were the total assets in 2021?", sources(balance, vies)) is None
    company = "Balance sheet\n(in millions) 2021 2020\nTotal assets $ 3,689,336 $ 3,384,757"
    row = lookup("What were the total assets in 2021?", sources(balance, vies, company))
    assert row is not None and row.text == "$ 3,689,336"
    # Without the other side printed, the sub-table's total is all there is to go by.
    row = lookup("What were the total assets in 2021?", sources(vies))
    assert row is not None and row.text == "$ 36,204"


def test_a_cost_shown_net_and_bracketed_is_the_amount_spent() -> None:
    operations = (
        "Consolidated Statements of Operations\n(Dollars in millions)\n"
        "Years ended December 31, 2022 2021 2020\n"
        "General and administrative expense (4,187) (4,157) (4,817)\n"
        "Research and development expense, net (2,852) (2,249) (2,476)"
    )
    passages = [dataclasses.replace(p, scale="millions") for p in sources(operations)]
    question = "How much did Boeing spend on research and development in 2022?"
    row = lookup(question, passages)
    assert row is not None and row.text == "(2,852)"
    figure = restated(row, question, passages)
    assert figure is not None
    checked = check(figure, passages)
    assert checked.ok and checked.formula() == (
        "Research and development expense, net 2022 = abs((2,852)) = 2,852.00 million [1]"
    )


def test_cash_held_at_a_date_is_the_balance_sheets_cash_and_equivalents() -> None:
    balance = (
        "Consolidated Balance Sheets\n(in millions)\nDecember 31, 2016 2017\n"
        "Cash and cash equivalents $ 19,334 $ 20,522\n"
        "Marketable securities 6,647 10,464"
    )
    flows = (
        "Consolidated Statements of Cash Flows\n(in millions) 2017 2016\n"
        "Net cash provided by (used in) operating activities 18,434 17,272"
    )
    passages = sources(balance, flows)
    for question in (
        "How much cash did Amazon have at the end of 2017?",
        "What was Amazon's cash at the end of 2017?",
        "What was Amazon's cash on hand in 2017?",
    ):
        row = lookup(question, passages)
        assert row is not None and row.text == "$ 20,522", question
    # Cash made, spent or qualified is another figure than the cash held.
    assert lookup("How much cash did Amazon generate from operations in 2017?", passages) is None
    assert lookup("How much restricted cash did Amazon have in 2017?", passages) is None


def test_rows_with_a_space_inside_brackets_and_compound_expense_names() -> None:
    flows = (
        "CASH FLOWS STATEMENTS\n(In millions)\nYear Ended June 30, 2023 2022 2021\n"
        "Common stock repurchased (22,245 ) (32,696 ) (27,385 )\n"
        "Common stock cash dividends paid (19,800 ) (18,135 ) (16,521 )"
    )
    row = lookup("How much did Microsoft pay in dividends in fiscal 2023?", sources(flows))
    assert row is not None and row.text == "(19,800)"
    operations = (
        "Consolidated Statements of Income\n(In millions)\nYears Ended 2022 2021\n"
        "Total revenue 17,606 15,785\nSales and marketing 4,968 4,321\n"
        "General and administrative 1,219 1,085"
    )
    passages = sources(operations)
    # "sales" in "sales and marketing" is no revenue.
    row = lookup("How much did Adobe spend on sales and marketing in fiscal 2022?", passages)
    assert row is not None and row.text == "4,968"
    row = lookup("What was the general and administrative expense in 2021?", passages)
    assert row is not None and row.text == "1,085"


def test_earnings_per_share_rows_under_their_heading_are_its_parts() -> None:
    income = (
        "INCOME STATEMENTS\n(In millions, except per share amounts) 2023 2022 2021\n"
        "Net income $ 72,361 $ 72,738 $ 61,271\n"
        "Earnings per share:\nBasic $ 9.72 $ 9.70 $ 8.12\nDiluted $ 9.68 $ 9.65 $ 8.05\n"
        "Weighted average shares outstanding:\nBasic 7,446 7,496 7,547\n"
        "Diluted 7,472 7,540 7,608"
    )
    page = [dataclasses.replace(sources(income)[0], scale="millions")]
    for asked, figure in (
        ("What was the diluted EPS in fiscal 2022?", "$ 9.65"),
        ("What was diluted earnings per share in 2023?", "$ 9.68"),
        ("What was basic EPS in 2021?", "$ 8.12"),
    ):
        row = lookup(asked, page)
        assert row is not None and row.text == figure, asked
        # Dollars per share, never in the page's millions.
        restate = restated(row, asked, page)
        assert restate is not None and restate.unit == ""
        assert check(restate, page).formula().endswith(f"= {figure} = {figure[2:]} [1]")
    # EPS unqualified is the diluted figure, labelled so.
    row = lookup("What was the EPS in 2022?", page)
    assert row is not None and (row.text, row.label) == ("$ 9.65", "Diluted 2022")
    # The shares outstanding are no earnings per share; a ratio per share is no row.
    assert lookup("What was net income in 2023?", page).text == "$ 72,361"  # type: ignore[union-attr]
    assert lookup("What is the price to earnings per share ratio in 2023?", page) is None


def test_a_figure_requested_in_the_imperative_and_operating_expenses() -> None:
    statement = (
        "Consolidated Statements\n(in millions) 2019 2018\n"
        "Total operating expenses 131,801 104,773\n"
        "Payments for property and equipment (10,344) (10,051)"
    )
    for asked, figure in (
        ("Give me the FY2019 capex.", "(10,344)"),
        ("Please show me total operating expenses in 2018", "104,773"),
        ("What were operating expenses in 2019?", "131,801"),
    ):
        row = lookup(asked, sources(statement))
        assert row is not None and row.text == figure, asked
    # Asked about, or why: no figure's row.
    assert lookup("Tell me about the capex plans for 2019.", sources(statement)) is None
    assert lookup("Show me why operating expenses rose in 2019", sources(statement)) is None


SEGMENTS = """Operating income (loss) by segment is as follows (in millions):
Year Ended December 31,
2018 2019
Operating Income (Loss):
North America $ 7,267 $ 7,033
International (2,142) (1,693)
AWS 7,296 9,201
Consolidated $ 12,421 $ 14,541"""


def test_a_part_named_before_the_item_is_its_row_under_the_item_s_heading() -> None:
    (row,) = lookup_years("What was Amazon's AWS operating income in 2019?", sources(SEGMENTS))
    assert (row.name, row.text, row.quote) == ("operating_income__aws", "9,201", "AWS 7,296 9,201")
    # The company's own figure, asked plain, is not one of its parts.
    (total,) = lookup_years("What was Amazon's operating income in 2019?", sources(SEGMENTS))
    assert total.text == "$ 14,541"


def test_a_segment_named_before_the_item_is_its_row_under_the_item() -> None:
    segments = (
        "Summary operating results for each of our business segments (in millions):\n"
        "2022 2021 2020\nNet sales\nAeronautics $ 26,987 $ 26,748 $ 26,266\n"
        "Space 11,532 11,814 11,880\nTotal net sales $ 65,984 $ 67,044 $ 65,398"
    )
    asked = "What was Lockheed Martin's Aeronautics segment net sales in 2022?"
    (row,) = lookup_years(asked, sources(segments))
    assert (row.label, row.text) == ("Aeronautics 2022", "$ 26,987")
