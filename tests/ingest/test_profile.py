from __future__ import annotations

import pytest

from ingest.profile import DocumentProfile, profile_document

TEN_K = """UNITED STATES
SECURITIES AND EXCHANGE COMMISSION
Washington, D.C. 20549
FORM 10-K
ANNUAL REPORT PURSUANT TO SECTION 13 OR 15(d) OF THE SECURITIES EXCHANGE ACT OF 1934
For the fiscal year ended February 2, 2019
Commission file number 1-9595
BEST BUY CO., INC.
(Exact name of registrant as specified in its charter)
"""
STATEMENTS = """CONSOLIDATED STATEMENTS OF EARNINGS
Fiscal Years Ended February 2, 2019 February 3, 2018 January 28, 2017
Revenue 42,879 42,151 39,403
"""


def test_annual_report_cover_and_statement_years() -> None:
    profile = profile_document([TEN_K, "contents", STATEMENTS], title="whatever.pdf")
    assert profile.issuer == "BEST BUY CO., INC."
    assert profile.doc_type == "10-K"
    assert profile.period_end == "2019-02-02"
    assert profile.fiscal_year == 2019  # a year is named by the calendar year it ends in
    assert profile.fiscal_quarter is None
    assert profile.years == (2017, 2018, 2019)
    assert profile.covered_years == frozenset({2017, 2018, 2019})


def test_a_cover_naming_no_registrant_takes_the_name_heading_its_statements() -> None:
    # The cover's name is a logo: its text layer has the marker line and no name above it.
    cover = TEN_K.replace("BEST BUY CO., INC.\n", "")
    headed = "Table of Contents\nTHE COCA-COLA COMPANY AND SUBSIDIARIES\n"
    pages = [cover, "contents", headed + STATEMENTS, headed + "CONSOLIDATED BALANCE SHEETS\n"]
    assert profile_document(pages).issuer == "THE COCA-COLA COMPANY"
    # One statement page is not enough, nor a group line that heads no statement, nor any
    # of it in a document that is no filing.
    assert profile_document(pages[:3]).issuer is None
    lone = [cover, headed + "Notes to the statements\n", headed + "Risk factors\n"]
    assert profile_document(lone).issuer is None
    assert profile_document(["A research note", *pages[2:]]).issuer is None
    # The cover's own name wins.
    assert profile_document([TEN_K, *pages[1:]]).issuer == "BEST BUY CO., INC."


def test_year_ending_in_the_first_days_of_january_belongs_to_the_year_before() -> None:
    cover = TEN_K.replace("February 2, 2019", "January 1, 2023")
    assert profile_document([cover]).fiscal_year == 2022


def test_a_cover_that_names_its_fiscal_year_wins() -> None:
    cover = TEN_K.replace("February 2, 2019", "February 1, 2020") + (
        "\nOur fiscal 2019 ended February 1, 2020 and included 52 weeks."
    )
    assert profile_document([cover]).fiscal_year == 2019


def test_quarterly_report_with_no_break_spaces_and_glued_cells() -> None:
    cover = (
        "UNITED STATES\nSECURITIES\xa0AND\xa0EXCHANGE\xa0COMMISSION\nFORM 10-Q\n"
        "Quarterly report pursuant to Section 13 or 15(d)\n"
        "For the quarterly period ended Commission file\nJune 30, 2023 number 1-5805\n"
        "Commission file number 001-6991. _________ ACME HOLDINGS INC.\n"
        "(Exact\xa0name\xa0of\xa0registrant\xa0as\xa0specified\xa0in\xa0its\xa0charter)\n"
    )
    body = "Consolidated Statements of Income for the Three and Six Months Ended June 30, 2023"
    profile = profile_document([cover, body])
    assert profile.doc_type == "10-Q"
    assert profile.period_end == "2023-06-30"
    assert profile.fiscal_quarter == 2  # six months ended -> the second quarter
    assert profile.issuer == "ACME HOLDINGS INC."


def test_current_report_event_date() -> None:
    cover = (
        "UNITED STATES SECURITIES AND EXCHANGE COMMISSION\nFORM 8-K\nCURRENT REPORT\n"
        "Date of Report (Date of earliest event reported): July 1, 2022 (June 30, 2022)\n"
        "AMCOR PLC\n(Exact name of registrant as specified in its charter)\n"
    )
    profile = profile_document([cover])
    assert (profile.doc_type, profile.period_end, profile.issuer) == (
        "8-K",
        "2022-07-01",
        "AMCOR PLC",
    )


@pytest.mark.parametrize(
    ("first_page", "year", "quarter"),
    [
        (
            "PepsiCo Reports First-Quarter 2023 Results; Raises Full-Year Guidance\n"
            "PURCHASE, N.Y. - April 25, 2023 - PepsiCo, Inc. (NASDAQ: PEP) today reported",
            2023,
            1,
        ),
        (
            "FOR IMMEDIATE RELEASE\n• 2022 Fourth-Quarter reported sales decline of 4.4%\n"
            "New Brunswick, N.J. (January 24, 2023) – Johnson & Johnson (NYSE: JNJ) today",
            2022,
            4,
        ),
        (
            "Exhibit 99.1\nACME REPORTS FOURTH QUARTER AND FULL YEAR RESULTS\n"
            "Las Vegas, Nevada, February 8, 2023 – ACME Inc. (NYSE: ACME) today",
            2022,
            4,
        ),
        ("Amcor reports fiscal 2023 results and provides outlook for fiscal 2024", 2023, 4),
    ],
)
def test_results_releases(first_page: str, year: int, quarter: int) -> None:
    profile = profile_document([first_page])
    assert profile.doc_type == "earnings release"
    assert (profile.fiscal_year, profile.fiscal_quarter) == (year, quarter)


def test_a_release_that_cites_a_form_10q_is_not_one() -> None:
    page = (
        "ACME Reports Second-Quarter 2023 Results\nPlease refer to our Quarterly Report on "
        "Form 10-Q filed with the Securities and Exchange Commission."
    )
    assert profile_document([page]).doc_type == "earnings release"


def test_listed_name_is_the_issuer_of_a_release() -> None:
    page = "FOR IMMEDIATE RELEASE\nresults for second-quarter 2023 – Johnson & Johnson (NYSE: JNJ)"
    assert profile_document([page]).issuer == "Johnson & Johnson"


def test_non_filings_take_their_type_from_the_title_and_sidecar_hints_win() -> None:
    assert profile_document(["text"], title="Information Security Policy").doc_type == "policy"
    assert profile_document(["text"], title="Fund X - Fact Sheet").doc_type == "fact sheet"
    hinted = profile_document(
        [TEN_K], hints={"doc_type": "research note", "fiscal_year": 2030, "issuer": "X"}
    )
    assert (hinted.doc_type, hinted.fiscal_year, hinted.issuer) == ("research note", 2030, "X")


@pytest.mark.parametrize("pages", [[], [""], ["\x00\x01 binary junk"], ["FORM 10-K"] * 3])
def test_empty_or_junk_pages_give_an_unknown_profile(pages: list[str]) -> None:
    profile = profile_document(pages)
    assert profile.fiscal_year is None and profile.period_end is None


def test_impossible_dates_are_ignored() -> None:
    cover = TEN_K.replace("February 2, 2019", "February 30, 2019")
    assert profile_document([cover]).period_end is None


def test_json_round_trip_and_malformed_rows() -> None:
    profile = profile_document([TEN_K, STATEMENTS])
    assert DocumentProfile.from_json(profile.to_json()) == profile
    assert DocumentProfile.from_json(None).version == 0
    broken = DocumentProfile.from_json({"fiscal_year": "2019", "years": "x", "issuer": 3})
    assert broken.fiscal_year is None and broken.years == () and broken.issuer is None
    listed = DocumentProfile(tickers=("MMM",))
    assert DocumentProfile.from_json(listed.to_json()).tickers == ("MMM",)
    hostile = DocumentProfile.from_json({"tickers": ["MMM", 3, "<script>", "a" * 99, None]})
    assert hostile.tickers == ("MMM",)
    assert DocumentProfile.from_json({"tickers": "MMM"}).tickers == ()


def test_huge_input_is_bounded() -> None:
    pages = [STATEMENTS * 2000] * 500
    profile = profile_document([TEN_K, *pages])
    assert profile.years == (2017, 2018, 2019)


def test_years_ending_early_in_the_calendar_go_by_both_names() -> None:
    retail = DocumentProfile(doc_type="10-K", period_end="2023-01-28", fiscal_year=2022)
    assert retail.fiscal_labels == frozenset({2022, 2023})
    calendar = DocumentProfile(doc_type="10-K", period_end="2022-12-31", fiscal_year=2022)
    assert calendar.fiscal_labels == frozenset({2022})
    release = DocumentProfile(
        doc_type="earnings release", period_end="2023-03-09", fiscal_year=2022, fiscal_quarter=4
    )
    assert release.fiscal_labels == frozenset({2022, 2023})
    assert DocumentProfile().fiscal_labels == frozenset()


def test_cover_after_a_title_page() -> None:
    profile = profile_document(["FORM 10-K", TEN_K])
    assert (profile.doc_type, profile.fiscal_year) == ("10-K", 2019)


BEST_BUY_QUARTER = (
    "UNITED STATES\nSECURITIES AND EXCHANGE COMMISSION\nFORM 10-Q\n"
    "For the quarterly period ended July 29, 2023\n"
    "BEST BUY CO., INC.\n(Exact name of registrant as specified in its charter)\n"
)


def test_a_quarterly_report_takes_the_fiscal_year_its_pages_name_its_quarter_in() -> None:
    # A year ending in January: the quarter ended July 29, 2023 is Q2 of fiscal 2024, which
    # only the discussion pages say; the same quarter a year earlier is named less often.
    body = (
        "Condensed Consolidated Statements of Earnings\nThree Months Ended Six Months Ended",
        "Revenue in the second quarter of fiscal 2024 decreased compared to the second "
        "quarter of fiscal 2023. Our second quarter of fiscal 2024 results reflect ... "
        "In the fourth quarter of fiscal 2023 we opened stores.",
    )
    filler = ["Table of Contents"] * 4  # past the cover's pages
    profile = profile_document([BEST_BUY_QUARTER, body[0], *filler, body[1]])
    assert (profile.fiscal_year, profile.fiscal_quarter) == (2024, 2)
    # Named as often: the later year. Not named with "fiscal": the calendar year.
    tie = "the second quarter of fiscal 2024 and the second quarter of fiscal 2023"
    assert profile_document([BEST_BUY_QUARTER, body[0], *filler, tie]).fiscal_year == 2024
    plain = "Revenue in the second quarter of 2023 rose; the fourth quarter of fiscal 2024 is"
    assert profile_document([BEST_BUY_QUARTER, body[0], *filler, plain]).fiscal_year == 2023
