"""Rule proposals from accounting definitions over table rows, with exact numbers."""

from __future__ import annotations

import dataclasses

from assistant.compute import check
from assistant.formulas import propose
from assistant.lookups import lookup
from assistant.statement_rows import table_cells
from retrieval.types import Passage

SUMMARY = """Financial summary ($ million)
Revenue | FY2024A: 3,980 | FY2025A: 4,760 | FY2026E: 5,620
Cost of sales | FY2024A: 2,177 | FY2025A: 2,532 | FY2026E: 2,922
Operating income | FY2024A: 736 | FY2025A: 967 | FY2026E: 1,236
Net income (loss) | FY2024A: 584 | FY2025A: 750 | FY2026E: 959"""
BALANCE = """Balance sheet
Inventories | 2025: 410 | 2024: 390
Total current assets | 2025: 2,300 | 2024: 2,050
Total current liabilities | 2025: 1,150 | 2024: 1,000
Total assets | 2025: 8,000 | 2024: 7,600"""


def sources(*texts: str) -> list[Passage]:
    return [Passage(f"c{i}", "d", "T", "t.pdf", 1, 1, "", t, 0.5) for i, t in enumerate(texts)]


def formula(question: str, *texts: str) -> str | None:
    passages = sources(*texts)
    proposal = propose(question, passages)
    if proposal is None:
        return None
    checked = check(proposal, passages)
    assert checked.ok, checked.reason
    return checked.formula()


def test_margins_use_the_period_asked() -> None:
    assert formula("What was the operating margin in FY2025?", SUMMARY) == (
        "operating margin 2025 = 967 / 4,760 * 100 = 20.3% [1]"
    )
    assert formula("Net profit margin for 2024?", SUMMARY) == (
        "net margin 2024 = 584 / 3,980 * 100 = 14.7% [1]"
    )
    # Gross margin from revenue and cost of sales when no gross profit row exists.
    assert formula("What is the gross margin in 2026?", SUMMARY) == (
        "gross margin 2026 = (5,620 - 2,922) / 5,620 * 100 = 48.0% [1]"
    )


def test_without_a_year_the_latest_common_period_is_used() -> None:
    assert formula("What is the operating margin?", SUMMARY) == (
        "operating margin 2026 = 1,236 / 5,620 * 100 = 22.0% [1]"
    )


def test_ratios_and_turnover_across_two_sources() -> None:
    assert formula("What is the current ratio for 2025?", BALANCE) == (
        "current ratio 2025 = 2,300 / 1,150 = 2.00x [1]"
    )
    assert formula("quick ratio in 2024", BALANCE) == (
        "quick ratio 2024 = (2,050 - 390) / 1,000 = 1.66x [1]"
    )
    turnover = "What was inventory turnover in 2025?"
    assert formula(turnover, SUMMARY, BALANCE) == (
        "inventory turnover 2025 = 2,532 / avg(410, 390) = 6.33x [1][2]"
    )
    assert formula("Asset turnover 2025", SUMMARY, BALANCE) == (
        "asset turnover 2025 = 4,760 / avg(8,000, 7,600) = 0.61x [1][2]"
    )


def test_change_and_average() -> None:
    assert formula("How much did revenue grow from 2024 to 2025?", SUMMARY) == (
        "change in revenue 2024 to 2025 = (4,760 - 3,980) / abs(3,980) * 100 = 19.6% [1]"
    )
    assert formula("What was the change in net income in FY2025?", SUMMARY) == (
        "change in net income (loss) 2024 to 2025 = (750 - 584) / abs(584) * 100 = 28.4% [1]"
    )
    assert formula("Average operating income 2024 to 2026?", SUMMARY) == (
        "average operating income 2024-2026 = avg(736, 967, 1,236) = 979.67 [1]"
    )
    # A reason asked for is no change to compute.
    assert formula("What drove the increase in revenue in 2025?", SUMMARY) is None
    assert formula("Why did net income grow from 2024 to 2025?", SUMMARY) is None


def test_nothing_is_proposed_without_every_operand_or_when_the_measure_is_printed() -> None:
    assert formula("What was the operating margin in 2019?", SUMMARY) is None
    assert formula("What is the current ratio?", SUMMARY) is None
    printed = SUMMARY + "\nOperating margin | FY2025A: 20.3%"
    assert formula("What was the operating margin in FY2025?", printed) is None
    assert formula("Who is the CEO?", SUMMARY) is None
    assert (
        formula("What was the operating margin in 2025?", "No tables here. 967 and 4,760.") is None
    )
    assert formula("How much did revenue grow?", SUMMARY) is None  # no period: no guess


STATEMENT = """Consolidated Balance Sheets
(In millions, except per share data)
May 31, 2020 May 26, 2019
Total current assets 5,121.3 4,186.5
Total current liabilities $ 7,491.5 $ 7,087.1
Inventories 1,426.3 1,559.3 1,300.0"""


def test_plain_text_statement_rows_take_their_years_from_the_header_line() -> None:
    """PDFs read without table extraction print rows as text: 'label n n' under a header
    line of dates. Each amount gets the year of its column; the ratio is then checked."""
    source = Passage("c", "d", "t", "s.pdf", 1, 1, "", STATEMENT, 1.0)
    cells = {(c.item, c.year): c.text for c in table_cells([source])}
    assert cells[("current_assets", "2020")] == "5,121.3"
    assert cells[("current_liabilities", "2019")] == "$ 7,087.1"
    assert not any(item == "inventory" for item, _ in cells)  # 3 amounts under 2 years
    shown = formula("What is the FY2020 working capital ratio?", STATEMENT)
    assert shown is not None and shown.startswith("current ratio 2020")
    assert "0.68x" in shown


def test_text_rows_without_a_header_line_or_with_words_in_it_are_not_cells() -> None:
    no_header = STATEMENT.replace("May 31, 2020 May 26, 2019\n", "")
    prose = STATEMENT.replace("May 31, 2020 May 26, 2019", "Growth from 2019 to 2020 was strong")
    for text in (no_header, prose):
        source = Passage("c", "d", "t", "s.pdf", 1, 1, "", text, 1.0)
        assert table_cells([source]) == []


def test_rows_under_a_header_stacked_one_date_part_a_line_take_its_years() -> None:
    text = (
        "CONSOLIDATED STATEMENTS OF INCOME\nYears Ended\nDecember 2,\n2016\nNovember 27,\n"
        "2015\nNovember 28,\n2014\nTotal revenue 5,854,430 4,795,511 4,147,065\n"
        "Operating income 1,493,602 903,095 412,685"
    )
    assert formula("What was the change in operating income from FY2015 to FY2016?", text) == (
        "change in operating income 2015 to 2016 = (1,493,602 - 903,095) / abs(903,095) * 100 "
        "= 65.4% [1]"
    )


def test_a_named_measure_without_its_operands_is_not_answered_with_one_of_its_inputs() -> None:
    # Fixed asset turnover needs PP&E, which SUMMARY lacks: "average revenue" is no answer.
    question = "What is the FY2025 fixed asset turnover, using average PP&E of 2024 and 2025?"
    assert formula(question, SUMMARY) is None
    assert formula("Average revenue 2024 to 2025?", SUMMARY) is not None


CASH_FLOWS = """Consolidated Statements of Cash Flows
(In\xa0millions,\xa0except\xa0per\xa0share\xa0amounts) 2021 2020
Net\xa0cash\xa0provided\xa0by\xa0operating\xa0activities 3,676.2 2,807.0
Depreciation and amortization 594.7 620.1
Purchases of land, buildings, and equipment (460.8) (537.6)"""
INCOME = """Consolidated Statements of Income
Year ended December 31, 2021 2020 2019
Net sales $ 14,082 $ 11,303 $ 11,503
Operating income 2,112 509 1,306"""
FIXED = """Consolidated Balance Sheets
December 31, 2021 2020
Property and equipment, net 253 282
Total assets 19,845 17,890"""


def test_free_cash_flow_is_operating_cash_less_capital_expenditure() -> None:
    # No-break spaces between words and an "amounts" header, as PDF text layers print them;
    # the header's "(In millions ...)" is the amounts' scale.
    assert formula("What is the FY2021 free cash flow (FCF)?", CASH_FLOWS) == (
        "free cash flow 2021 = 3,676.2 - abs((460.8)) = 3,215.40 million [1]"
    )


def test_ebitda_margin_from_operating_income_and_d_and_a_when_not_printed() -> None:
    shown = formula("What is the FY2021 unadjusted EBITDA % margin?", INCOME, CASH_FLOWS)
    assert shown == "EBITDA margin 2021 = (2,112 + 594.7) / $ 14,082 * 100 = 19.2% [1][2]"


def test_a_measure_less_a_line_item_subtracts_it_as_spent() -> None:
    asked = "What is the FY2021 unadjusted EBITDA less capex? Answer in USD millions."
    assert formula(asked, INCOME, CASH_FLOWS) == (
        "EBITDA less capital expenditure 2021 = 2,112 + 594.7 - abs((460.8)) = 2,245.90 [1][2]"
    )
    minus = formula("FY2021 EBITDA minus the capital expenditures?", INCOME, CASH_FLOWS)
    assert minus is not None and minus.endswith("= 2,245.90 [1][2]")
    # Named alone, or less something no line item names, it is the measure itself.
    assert formula("What is the FY2021 unadjusted EBITDA?", INCOME, CASH_FLOWS) == (
        "EBITDA 2021 = 2,112 + 594.7 = 2,706.70 [1][2]"
    )
    assert formula("FY2021 EBITDA less one-offs?", INCOME, CASH_FLOWS) == (
        "EBITDA 2021 = 2,112 + 594.7 = 2,706.70 [1][2]"
    )
    # A ratio less an amount means nothing: the ratio is what is computed.
    margin = formula("FY2021 EBITDA margin less capex?", INCOME, CASH_FLOWS)
    assert margin is not None and margin.startswith("EBITDA margin 2021")


def test_fixed_asset_turnover_is_not_total_asset_turnover() -> None:
    shown = formula("What is the FY2021 fixed asset turnover ratio?", INCOME, FIXED)
    assert shown == "fixed asset turnover 2021 = $ 14,082 / avg(253, 282) = 52.64x [1][2]"
    shown = formula("What is the FY2021 total asset turnover?", INCOME, FIXED)
    assert shown == "asset turnover 2021 = $ 14,082 / avg(19,845, 17,890) = 0.75x [1][2]"


def test_an_average_of_a_margin_averages_each_year_s_margin() -> None:
    shown = formula("What is the FY2019 - FY2021 average operating income % margin?", INCOME)
    assert shown is not None and shown.startswith("average operating margin 2019-2021 = avg(")
    # (1,306 / 11,503 + 509 / 11,303 + 2,112 / 14,082) / 3 * 100 = 10.3%
    assert shown.endswith("= 10.3% [1]")
    # A year missing from the statement: no average of the years that are there.
    assert formula("What is the FY2018 - FY2021 average operating margin?", INCOME) is None


EARNINGS = """Consolidated Statements of Earnings
Year ended December 31, 2021 2020 2019
Net sales 14,600 13,000 12,100
Cost of sales 9,125 8,300 7,900"""
WORKING = """Consolidated Balance Sheets
December 31,
2021 December 31,
2020 ASSETS Current assets:
Receivables 1,200 1,000
Inventories 900 800
Accounts payable 1,500 1,300"""


def test_average_inside_a_definition_belongs_to_its_operand() -> None:
    # "average total assets" is the turnover's denominator, not an average of turnovers
    # over FY2020-FY2021 (which would need the FY2019 balance this statement lacks).
    question = (
        "What is the FY2021 asset turnover ratio? Asset turnover ratio is defined as: FY2021 "
        "revenue / (average total assets between FY2020 and FY2021)."
    )
    shown = formula(question, INCOME, FIXED)
    assert shown == "asset turnover 2021 = $ 14,082 / avg(19,845, 17,890) = 0.75x [1][2]"


def test_a_parenthetical_remark_does_not_hide_the_measure() -> None:
    question = (
        "What is the FY2021 depreciation and amortization (D&A from cash flow statement) % margin?"
    )
    shown = formula(question, INCOME, CASH_FLOWS)
    assert shown == "D&A margin 2021 = 594.7 / $ 14,082 * 100 = 4.2% [1][2]"


def test_days_measures_over_average_balances() -> None:
    # A header stacked over lines whose last has the first heading glued on (PDF text).
    assert formula("What is the FY2021 DIO?", EARNINGS, WORKING) == (
        "days inventory outstanding 2021 = 365 * avg(900, 800) / 9,125 = 34.00 [1][2]"
    )
    assert formula("Days sales outstanding in 2021?", EARNINGS, WORKING) == (
        "days sales outstanding 2021 = 365 * avg(1,200, 1,000) / 14,600 = 27.50 [1][2]"
    )
    # Payables over purchases: cost of sales plus the year's change in inventory.
    assert formula("What is FY2021 days payable outstanding (DPO)?", EARNINGS, WORKING) == (
        "days payable outstanding 2021 = 365 * avg(1,500, 1,300) / (9,125 + 900 - 800)"
        " = 55.39 [1][2]"
    )


def test_the_measure_named_first_is_the_one_asked() -> None:
    question = (
        "What is the FY2021 cash conversion cycle (CCC)? CCC is defined as: DIO + DSO - DPO. "
        "DIO is defined as: 365 * (average inventory between FY2020 and FY2021) / (FY2021 COGS)."
    )
    shown = formula(question, EARNINGS, WORKING)
    assert shown is not None and shown.startswith("cash conversion cycle 2021 = ")
    assert shown.endswith("= 6.11 [1][2]")  # 34.00 + 27.50 - 55.39
    # Its inputs missing (no payables): no DIO in its place.
    assert formula(question, EARNINGS, WORKING.replace("Accounts payable", "Other")) is None


RESULTS = """Consolidated Statements of Operations
Year ended December 31, 2021 2020
Net sales 14,600 13,000
Operating income 2,400 2,000
Interest expense (300) (320)
Income before income taxes 2,100 1,680
Provision for income taxes 441 370
Net income 1,659 1,310
Depreciation and amortization 600 580
Cash dividends paid (498) (400)"""
POSITION = """Consolidated Balance Sheets
December 31, 2021 2020
Total current assets 5,000 4,600
Total current liabilities 3,200 3,000
Total assets 20,000 18,000
Total stockholders' equity 8,000 7,800"""


def test_returns_coverage_tax_payout_and_amounts_from_their_definitions() -> None:
    def shown(question: str) -> str | None:
        return formula(question, RESULTS, POSITION)

    assert shown("FY2021 return on assets (ROA)?") == (
        "return on assets 2021 = 1,659 / avg(20,000, 18,000) * 100 = 8.7% [1][2]"
    )
    assert shown("What was the return on equity in 2021?") == (
        "return on equity 2021 = 1,659 / avg(8,000, 7,800) * 100 = 21.0% [1][2]"
    )
    assert shown("Interest coverage ratio for FY2021?") == (
        "interest coverage 2021 = 2,400 / abs((300)) = 8.00x [1]"
    )
    assert shown("What is the effective tax rate in 2021?") == (
        "effective tax rate 2021 = 441 / 2,100 * 100 = 21.0% [1]"
    )
    assert shown("What is the FY2021 dividend payout ratio?") == (
        "dividend payout ratio 2021 = abs((498)) / 1,659 * 100 = 30.0% [1]"
    )
    assert shown("How much working capital did it have at the end of FY2021?") == (
        "working capital 2021 = 5,000 - 3,200 = 1,800.00 [2]"
    )
    assert shown("What was FY2021 EBITDA?") == "EBITDA 2021 = 2,400 + 600 = 3,000.00 [1]"
    # A company's own variant, or adjusted EBITDA, is not the textbook measure.
    assert shown("How much core working capital did it have in FY2021?") is None
    assert shown("What was FY2021 adjusted EBITDA?") is None
    # The working capital ratio is the current ratio, not an amount.
    assert shown("Working capital ratio in 2021?") == (
        "current ratio 2021 = 5,000 / 3,200 = 1.56x [2]"
    )


def test_an_amount_is_shown_in_the_scale_its_statement_pages_state() -> None:
    def stated(scale: str, *texts: str) -> list[Passage]:
        return [dataclasses.replace(p, scale=scale) for p in sources(*texts)]

    question = "How much working capital did it have at the end of FY2021?"
    passages = stated("millions", POSITION)
    checked = check(propose(question, passages), passages)  # type: ignore[arg-type]
    assert checked.formula() == "working capital 2021 = 5,000 - 3,200 = 1,800.00 million [1]"
    # Asked in that scale: the label says it once and the number stands bare.
    asked = check(propose(question + " Answer in USD millions.", passages), passages)  # type: ignore[arg-type]
    assert asked.formula() == "working capital 2021 (in millions) = 5,000 - 3,200 = 1,800.00 [1]"
    other = check(propose(question + " Answer in USD billions.", passages), passages)  # type: ignore[arg-type]
    assert other.formula().endswith("= 1,800.00 million [1]")
    # Pages stating different scales, or none: a plain number, as before.
    mixed = [*stated("millions", INCOME), *stated("thousands", CASH_FLOWS)]
    checked = check(propose("What was FY2021 EBITDA?", mixed), mixed)  # type: ignore[arg-type]
    assert checked.ok and checked.formula() == "EBITDA 2021 = 2,112 + 594.7 = 2,706.70 [1][2]"
    unstated = sources(INCOME, CASH_FLOWS)
    checked = check(propose("What was FY2021 EBITDA?", unstated), unstated)  # type: ignore[arg-type]
    assert checked.formula() == "EBITDA 2021 = 2,112 + 594.7 = 2,706.70 [1][2]"
    # A ratio stays a ratio whatever the scale.
    passages = stated("millions", RESULTS, POSITION)
    shown = check(propose("FY2021 return on assets?", passages), passages)  # type: ignore[arg-type]
    assert shown.formula().endswith("= 8.7% [1][2]")


def test_gross_profit_is_computed_only_where_no_row_prints_it() -> None:
    income = (
        "Statement of Income\n(Millions) 2018 2017\nNet sales 32,765 31,657\n"
        "Cost of sales 16,682 16,055"
    )
    shown = formula("What was the gross profit in 2018?", income)
    assert shown == "gross profit 2018 = 32,765 - 16,682 = 16,083.00 [1]"
    printed = income + "\nGross profit 16,083 15,602"
    assert propose("What was the gross profit in 2018?", sources(printed)) is None
    row = lookup("What was the gross profit in 2018?", sources(printed))
    assert row is not None and row.text == "16,083"
    # "How large" asks the printed figure as "what was" does.
    row = lookup("How large was the gross profit in 2018?", sources(printed))
    assert row is not None and row.text == "16,083"
    # The margin is another measure.
    margin = formula("What was the gross profit margin in 2018?", income)
    assert margin is not None and margin.startswith("gross margin 2018")


REVENUE_LINES = (
    "Consolidated Statements of Income\n(In millions) 2022 2021\nRevenue:\n"
    "Subscription 16,388 14,573\nProduct 532 555\nTotal revenue 17,606 15,785\n"
    "Deferred revenue 2,405 1,945\nSubscription 1,646 1,374\n"
    "Research and development 2,987 2,540\n"
    "Selling, general and administrative 4,968 4,321"
)


def test_a_qualified_item_s_change_is_the_part_s_change() -> None:
    total = formula("What was the revenue growth from 2021 to 2022?", REVENUE_LINES)
    assert total is not None and "(17,606 - 15,785)" in total
    part = formula("What was the subscription revenue growth from 2021 to 2022?", REVENUE_LINES)
    assert part is not None and "(16,388 - 14,573)" in part
    assert formula("What was the hardware revenue growth from 2021 to 2022?", REVENUE_LINES) is None


def test_a_balance_sheet_dated_within_one_year_is_latest_in_the_latest_dated_column() -> None:
    # A 10-Q: the quarter's end, the last year end and the same quarter a year earlier.
    # Two columns share 2023, so years alone would make 2022 the "latest" column.
    balance = (
        "Condensed Consolidated Balance Sheets\n$ in millions\n"
        "July 29, 2023 January 28, 2023 July 30, 2022\n"
        "Merchandise inventories 5,651 5,140 6,043\n"
        "Total current assets 8,304 8,802 8,344\n"
        "Total current liabilities 8,433 8,979 8,650"
    )
    latest = lookup("What is the inventory in the latest 10-Q?", sources(balance))
    assert latest is not None and latest.text == "5,651"
    assert latest.label == "Merchandise inventories July 29, 2023"
    # A date asked names its column, even where the year alone names two.
    year_end = lookup("What were inventories as of January 28, 2023?", sources(balance))
    assert year_end is not None and year_end.text == "5,140"
    assert formula("What is the current ratio?", balance) == (
        "current ratio July 29, 2023 = 8,304 / 8,433 = 0.98x [1]"
    )
    assert formula("What was the current ratio as of Jan. 28, 2023?", balance) == (
        "current ratio January 28, 2023 = 8,802 / 8,979 = 0.98x [1]"
    )
    # The year another column shares still names neither column.
    assert lookup("What were inventories in 2023?", sources(balance)) is None


def test_taxes_on_income_are_income_taxes() -> None:
    income = (
        "Consolidated Statements of Income\n(MILLIONS, EXCEPT PER COMMON SHARE DATA) 2021 2020\n"
        "Income from continuing operations before provision/(benefit) for taxes on income "
        "24,311 7,036\nProvision/(benefit) for taxes on income 1,852 370"
    )
    assert formula("What was the effective tax rate in 2021?", income) == (
        "effective tax rate 2021 = 1,852 / 24,311 * 100 = 7.6% [1]"
    )


def test_rows_a_text_layer_glues_into_one_line_are_read_one_by_one() -> None:
    earnings = (
        "Consolidated Statements of Earnings\n(In Millions)\nFiscal Year\n"
        "2022 2021 2020 Net sales $ 18,992.8 $ 18,127.0 $ 17,626.6 Cost of sales 12,590.6 "
        "11,678.7 11,496.7\nSelling, general, and administrative expenses 3,147.0 3,079.6 "
        "3,151.6 Divestitures (gain) loss (194.1) 53.5 - Operating profit 3,475.8 3,144.8 2,953.9"
    )
    row = lookup("What were net sales in fiscal 2021?", sources(earnings))
    assert row is not None and row.text == "$ 18,127.0"
    assert row.quote == "Net sales $ 18,992.8 $ 18,127.0 $ 17,626.6"  # as printed, in the line
    margin = formula("What was the operating margin in fiscal 2022?", earnings)
    assert margin == "operating margin 2022 = 3,475.8 / $ 18,992.8 * 100 = 18.3% [1]"
    # A line that does not split exactly into rows of three amounts stays one line.
    prose = "2022 2021 2020 Net sales rose 5 % and costs 3 % while margins held"
    assert lookup("What were net sales in 2021?", sources(prose)) is None
    assert table_cells(sources("Revenue 1 2 3 and then some words 4 5")) == []
    # A heading may close the line; a chunk further down takes the page's glued header.
    cash = dataclasses.replace(
        sources(
            "Other, net (50.7) (131.8) 45.9 Net cash provided by operating activities 3,316.1 "
            "2,983.2 3,676.2 Cash Flows - Investing Activities\nPurchases of land, buildings, "
            "and equipment (568.7) (530.8) (460.8) Acquisition (1,201.3) - -"
        )[0],
        column_header="2022 2021 2020",
        scale="millions",
    )
    shown = formula("What was the free cash flow in fiscal 2022?", cash.text)
    assert shown is None  # no header in the text alone
    proposal = propose("What was the free cash flow in fiscal 2022?", [cash])
    assert proposal is not None
    assert check(proposal, [cash]).formula() == (
        "free cash flow 2022 = 3,316.1 - abs((568.7)) = 2,747.40 million [1]"
    )


def test_a_qualifier_closing_a_label_or_a_question_keeps_its_item() -> None:
    cash_flows = (
        "Consolidated Statements of Cash Flows\n(in millions) 2017 2016\n"
        "Net cash provided by (used in) operating activities 18,434 17,272\n"
        "Purchases of property and equipment, including internal-use software and website "
        "development (11,955) (7,804)"
    )
    assert formula("What was the free cash flow in 2017?", cash_flows) == (
        "free cash flow 2017 = 18,434 - abs((11,955)) = 6,479.00 million [1]"
    )
    capex = lookup("What was the capex in 2016?", sources(cash_flows))
    assert capex is not None and capex.text == "(7,804)"
    income = (
        "Consolidated Statements of Income\n(Millions) 2022 2021\n"
        "Total interest expense 2,763 1,283\n"
        "Total revenues net of interest expense 52,862 42,380"
    )
    # "net of interest expense" says how revenues are stated; it asks for no expense.
    for asked in ("total revenues net of interest expense", "total revenue"):
        row = lookup(f"What were the {asked} in 2022?", sources(income))
        assert row is not None and row.text == "52,862", asked
    row = lookup("What was the interest expense in 2022?", sources(income))
    assert row is not None and row.text == "2,763"


def test_a_measure_divides_by_the_company_s_own_net_income() -> None:
    cash_flows = (
        "Cash Flows\n(Millions) 2022 2021\nNet income 8,978 7,679\n"
        "Cash dividends paid (6,172) (5,815)"
    )
    income = "Income\n(Millions) 2022 2021\nNet income attributable to PepsiCo 8,910 7,618"
    assert formula("What was the FY2022 dividend payout ratio?", cash_flows, income) == (
        "dividend payout ratio 2022 = abs((6,172)) / 8,910 * 100 = 69.3% [1][2]"
    )


def test_a_net_loss_is_net_income_and_capex_is_a_share_of_revenue_however_asked() -> None:
    income = (
        "Consolidated Statements of Operations\n(Dollars in millions) 2022 2021\n"
        "Net loss ($4,935) ($4,202)"
    )
    row = lookup("What was the net loss in 2022?", sources(income))
    assert row is not None and row.text == "($4,935)"
    flows = (
        "Consolidated Statements\n(in millions) 2022 2021\n"
        "Total operating revenues 136,835 133,613\n"
        "Capital expenditures (including capitalized software) (23,087) (20,286)"
    )
    for asked in ("capex as a percentage of revenue", "capital expenditures to revenue",
                  "capex as a % of total revenues"):  # fmt: skip
        assert formula(f"What was the {asked} in 2022?", flows) == (
            "capex as a share of revenue 2022 = abs((23,087)) / 136,835 * 100 = 16.9% [1]"
        ), asked


def test_an_expense_line_as_a_share_of_revenue_however_asked() -> None:
    income = (
        "Consolidated Statements of Income\n(in millions) 2022 2021\n"
        "Net Revenue $ 86,392 $ 79,474\n"
        "Cost of sales 40,576 37,075\n"
        "Selling, general and administrative expenses 34,459 31,237\n"
        "Research and development 1,210 1,100\n"
        "Sales and marketing 4,968 4,321\n"
        "General and administrative 2,000 1,900"
    )
    for asked, expected in (
        ("SG&A as a percentage of revenue", "SG&A as a share of revenue 2022 = abs(34,459)"),
        ("selling, general and administrative expenses to net sales", "SG&A as a share"),
        ("R&D to revenue ratio", "R&D as a share of revenue 2022 = abs(1,210)"),
        ("sales and marketing as a % of revenue", "sales and marketing as a share"),
        ("G&A as a share of revenue", "G&A as a share of revenue 2022 = abs(2,000)"),
        ("cost of sales as a percentage of net sales", "cost of revenue as a share"),
    ):
        found = formula(f"What was the {asked} in 2022?", income)
        assert found is not None and found.startswith(expected), (asked, found)
    # SG&A's own words name no G&A; the line alone is a figure, not a share.
    assert formula("What was the SG&A as a percentage of revenue in 2022?", income) == (
        "SG&A as a share of revenue 2022 = abs(34,459) / $ 86,392 * 100 = 39.9% [1]"
    )
    assert formula("What was the selling, general and administrative expense in 2022?",
                   income) is None  # fmt: skip


def test_ebitda_adds_depreciation_and_amortization_printed_as_two_lines() -> None:
    income = (
        "Consolidated Statements of Income\n(In millions) 2022 2021\n"
        "Net sales $ 14,189 $ 14,082\n"
        "Amortization of purchased intangibles 123 129\n"
        "Operating income 1,438 2,112"
    )
    flows = (
        "Consolidated Statements of Cash Flows\n(In millions) 2022 2021\n"
        "Depreciation 1,329 1,352\n"
        "Accumulated depreciation 9,000 8,000"
    )
    assert formula("What was the EBITDA in 2022?", income, flows) == (
        "EBITDA 2022 = 1,438 + 1,329 + 123 = 2,890.00 million [1][2]"
    )
    assert formula("What was the EBITDA margin in 2021?", income, flows) == (
        "EBITDA margin 2021 = (2,112 + 1,352 + 129) / $ 14,082 * 100 = 25.5% [1][2]"
    )
    # One line of the two missing: no EBITDA.
    assert formula("What was the EBITDA in 2022?", income) is None


def test_a_tax_line_deducted_in_brackets_is_an_expense() -> None:
    def income(label: str) -> str:
        return (
            "Consolidated Statements of Operations\nYear Ended December 31, 2019 2018\n"
            f"Income before income taxes 13,976 11,261\n{label} (2,374) (1,197)"
        )

    asked = "What was the effective tax rate in 2019?"
    assert formula(asked, income("Provision for income taxes")) == (
        "effective tax rate 2019 = abs((2,374)) / 13,976 * 100 = 17.0% [1]"
    )
    # A label giving the sign ("(expense)/benefit") is read as printed, brackets and all.
    signed = formula(asked, income("Income tax (expense)/benefit"))
    assert signed is not None and "abs(" not in signed
