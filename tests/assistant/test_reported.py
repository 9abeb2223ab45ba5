"""A fiscal period asked by name finds its column through the filing's profile."""

from __future__ import annotations

import dataclasses

from assistant.compute import check
from assistant.formulas import propose
from assistant.lookups import lookup, restated
from assistant.reported import reported_period
from assistant.statement_rows import table_cells
from ingest.profile import DocumentProfile
from retrieval.types import Passage

# A retailer's 10-Q: its fiscal 2024 ends in January 2024, so Q2 FY2024 ended in July 2023.
INCOME = (
    "Condensed Consolidated Statements of Earnings\n$ in millions\n"
    "Three Months Ended Six Months Ended\n"
    "July 29, 2023 July 30, 2022 July 29, 2023 July 30, 2022\n"
    "Revenue $ 9,583 $ 10,329 $ 19,050 $ 20,976\n"
    "Gross profit 2,220 2,287 4,370 4,640"
)
BALANCE = (
    "Condensed Consolidated Balance Sheets\n$ in millions\n"
    "July 29, 2023 January 28, 2023 July 30, 2022\n"
    "Total current assets 8,304 8,802 8,344\n"
    "Total assets $ 15,318 $ 15,803 $ 15,419\n"
    "Total liabilities and equity $ 15,318 $ 15,803 $ 15,419"
)
CASH_FLOWS = (
    "Condensed Consolidated Statements of Cash Flows\n$ in millions\n"
    "Six Months Ended July 29, 2023 July 30, 2022\n"
    "Total cash provided by operating activities 1,021 1,100"
)
QUARTER = DocumentProfile(
    issuer="Retailer Inc.",
    doc_type="10-Q",
    period_end="2023-07-29",
    fiscal_year=2024,
    fiscal_quarter=2,
)


def passage(text: str, profile: DocumentProfile | None, *statements: str) -> Passage:
    return Passage(
        "c", "d", "Form 10-Q", "q.pdf", 3, 3, "", text, 1.0, statements=statements,
        scale="millions", profile=profile,
    )  # fmt: skip


def test_a_fiscal_quarter_is_the_column_its_filing_dates_it() -> None:
    income = [passage(INCOME, QUARTER, "income")]
    row = lookup("What was the revenue in Q2 FY2024?", income)
    assert row is not None and row.text == "$ 9,583"
    assert row.label == "Revenue three months 2023 (Q2 FY2024)"
    # The same quarter a year earlier is the column beside it.
    row = lookup("What was the revenue in the second quarter of fiscal 2023?", income)
    assert row is not None and row.text == "$ 10,329"
    # A position at the quarter's end is the balance sheet column of that date, not the
    # year end's column that shares its year.
    balance = [passage(BALANCE, QUARTER, "balance_sheet")]
    row = lookup("What were total assets at the end of Q2 FY2024?", balance)
    assert row is not None and row.text == "$ 15,318"
    row = lookup("What were total assets at the end of Q2 of fiscal 2023?", balance)
    assert row is not None and row.text == "$ 15,419"
    restate = restated(row, "What were total assets at the end of Q2 of fiscal 2023?", balance)
    assert restate is not None and check(restate, balance).ok
    assert check(restate, balance).formula().startswith("Total assets 2022 (Q2 FY2023) = ")


def test_a_computed_measure_uses_the_fiscal_quarters_column() -> None:
    income = [passage(INCOME, QUARTER, "income")]
    proposal = propose("What was the gross margin in Q2 FY2024?", income)
    assert proposal is not None
    assert check(proposal, income).formula() == (
        "gross margin three months 2023 = 2,220 / $ 9,583 * 100 = 23.2% [1]"
    )


def test_what_the_filing_does_not_show_is_not_found() -> None:
    income = [passage(INCOME, QUARTER, "income")]
    # A quarter it does not report, and years earlier than the one it shows beside it.
    assert lookup("What was the revenue in Q1 FY2024?", income) is None
    assert lookup("What was the revenue in Q2 FY2022?", income) is None
    # A year-to-date column is no quarter's figure, not even on a statement of cash flows.
    flows = [passage(CASH_FLOWS, QUARTER, "cash_flow")]
    cells = table_cells(flows)
    assert reported_period("Operating cash flow in Q2 FY2024?", cells, flows) is None


def test_only_fiscal_names_in_filings_named_apart_from_the_calendar_are_mapped() -> None:
    income = [passage(INCOME, QUARTER, "income")]
    cells = table_cells(income)
    # "Q2 2023" names the calendar: the year heads its column as it reads.
    assert reported_period("What was the revenue in Q2 2023?", cells, income) is None
    row = lookup("What was the revenue in Q2 2023?", income)
    assert row is not None and row.text == "$ 9,583"
    # No profile (search without routing), or one whose fiscal year is its calendar year:
    # the fiscal year asked must head a column itself.
    for profile in (None, dataclasses.replace(QUARTER, fiscal_year=2023)):
        plain = [passage(INCOME, profile, "income")]
        assert reported_period("Revenue in Q2 FY2024?", table_cells(plain), plain) is None
        assert lookup("What was the revenue in Q2 FY2024?", plain) is None
    # An earnings release's date is its dateline, not its period's end: never read so.
    release = dataclasses.replace(QUARTER, doc_type="earnings release")
    assert lookup("What was the revenue in Q2 FY2024?", [passage(INCOME, release)]) is None
    # Two periods asked: each year must head its own column.
    assert reported_period("Revenue in Q2 FY2024 vs Q2 FY2023?", cells, income) is None


def test_a_year_that_ended_in_the_first_days_of_january_is_its_columns_year() -> None:
    # Fiscal 2022 ended January 1, 2023; the statements date their columns.
    annual = DocumentProfile(
        issuer="Health Co", doc_type="10-K", period_end="2023-01-01", fiscal_year=2022
    )
    income = (
        "Consolidated Statements of Earnings\n(Dollars in Millions)\n"
        "January 1, 2023 January 2, 2022 January 3, 2021\n"
        "Net earnings $ 17,941 20,878 14,714"
    )
    sources = [passage(income, annual, "income")]
    row = lookup("What were net earnings in fiscal 2022?", sources)
    assert row is not None and row.text == "$ 17,941"
    row = lookup("What were net earnings in FY2020?", sources)
    assert row is not None and row.text == "14,714"
    # Columns headed by the fiscal years themselves are read as they are.
    named = income.replace("January 1, 2023 January 2, 2022 January 3, 2021", "2022 2021 2020")
    row = lookup("What were net earnings in fiscal 2022?", [passage(named, annual, "income")])
    assert row is not None and row.text == "$ 17,941"


def test_malformed_profiles_are_read_as_unknown() -> None:
    income = INCOME
    for profile in (
        dataclasses.replace(QUARTER, period_end="not a date"),
        dataclasses.replace(QUARTER, period_end=None),
        dataclasses.replace(QUARTER, fiscal_year=None),
        dataclasses.replace(QUARTER, doc_type=None),
    ):
        sources = [passage(income, profile, "income")]
        assert reported_period("Revenue in Q2 FY2024?", table_cells(sources), sources) is None
    # A quarter that ended on 29 February was the same quarter a year before, ending on
    # the 28th: the 52/53-week tolerance finds its column.
    leap = dataclasses.replace(QUARTER, period_end="2024-02-29", fiscal_year=2025)
    sources = [passage(income, leap, "income")]
    found = reported_period("Revenue in Q2 FY2024?", table_cells(sources), sources)
    assert found is not None and found.period == "three months 2023"


def test_a_computed_measure_never_reads_a_calendar_year_as_the_fiscal_one() -> None:
    income = [passage(INCOME, QUARTER, "income")]
    # Q2 FY2022 ended in July 2021, which this filing does not show; "three months 2022"
    # is Q2 FY2023.
    assert propose("What was the gross margin in Q2 FY2022?", income) is None
    assert lookup("What was the revenue in Q2 FY2022 and Q2 FY2023?", income) is None
