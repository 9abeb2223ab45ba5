from __future__ import annotations

from ingest.loaders.cover import read_cover_page, read_tickers

TEN_K = """Table of Contents
UNITED STATES
SECURITIES AND EXCHANGE COMMISSION
Washington, D.C. 20549
FORM 10-K
☒ ANNUAL REPORT PURSUANT TO SECTION 13 OR 15(d) OF THE SECURITIES EXCHANGE ACT OF 1934
For the fiscal year ended August 29, 2021
or
☐ TRANSITION REPORT PURSUANT TO SECTION 13 OR 15(d) OF THE SECURITIES EXCHANGE ACT OF 1934
Commission file number 0-20355
____________________ Example Wholesale Corporation
(Exact name of registrant as specified in its charter)
Washington 91-1223280
"""

EIGHT_K = """FORM 8-K
CURRENT REPORT
Date of Report (Date of earliest event reported): May 20, 2022
Example Retail, Inc.
(Exact Name of Registrant as Specified in its Charter)
"""


def test_ten_k_cover_gives_issuer_form_and_fiscal_year() -> None:
    cover = read_cover_page(TEN_K)
    assert cover is not None
    assert cover.issuer == "Example Wholesale Corporation"
    assert (cover.form, cover.period, cover.period_kind, cover.year) == (
        "10-K",
        "August 29, 2021",
        "fiscal year",
        2021,
    )
    assert cover.title == (
        "Example Wholesale Corporation Form 10-K for the fiscal year ended August 29, 2021"
    )
    assert cover.metadata()["doc_type"] == "10-K"


def test_eight_k_cover_uses_the_event_date() -> None:
    cover = read_cover_page(EIGHT_K)
    assert cover is not None
    assert cover.title == "Example Retail, Inc. Form 8-K for the event of May 20, 2022"
    assert cover.year == 2022


def test_documents_without_a_cover_page_get_nothing() -> None:
    assert read_cover_page("") is None
    assert read_cover_page("Global Outlook 2026\nWe expect two rate cuts.") is None
    # The marker alone, with nothing usable above it, is not a cover page.
    assert read_cover_page("(Exact name of registrant as specified in its charter)") is None
    assert read_cover_page("x" * 100_000 + "\n(Exact name of registrant)") is None


# Shapes that real filings' text extraction produces (names made up).
SMALL_CAPS = """FORM 10-K
For the fiscal year ended December 31, 2018
Commission File No. 001-00000
ACME
G
ROUP H
OLDINGS
(Exact name of Registrant as specified in its charter)
"""

WORD_BY_WORD = """UNITED
STATES
SECURITIES
AND
EXCHANGE
COMMISSION
FORM
10-K
For
the
fiscal
year
ended
December
31,
2016
Commission
File
Number
001-00000
EXAMPLE,
INC.
(Exact
name
of
registrant
as
specified
in
its
charter)
"""

NO_MARKER = """UNITED STATES
SECURITIES AND EXCHANGE COMMISSION
Washington, D.C. 20549
FORM 10-K
For the Fiscal Year Ended June 30, 2016
Commission File Number 001-00000
EXAMPLE CORPORATION
WASHINGTON 91-0000000
(STATE OF INCORPORATION) (I.R.S. ID)
"""


def test_a_name_in_small_capitals_is_glued_back_together() -> None:
    cover = read_cover_page(SMALL_CAPS)
    assert cover is not None and cover.issuer == "ACME GROUP HOLDINGS"


def test_a_cover_laid_out_word_by_word_still_gives_issuer_and_form() -> None:
    cover = read_cover_page(WORD_BY_WORD)
    assert cover is not None
    assert cover.issuer == "EXAMPLE, INC."
    assert cover.title == "EXAMPLE, INC. Form 10-K for the fiscal year ended December 31, 2016"


def test_a_cover_without_the_marker_names_the_registrant_after_the_file_number() -> None:
    cover = read_cover_page(NO_MARKER)
    assert cover is not None
    assert cover.issuer == "EXAMPLE CORPORATION"
    assert cover.period == "June 30, 2016"


def test_the_file_number_rule_needs_a_commission_cover_and_a_name_like_line() -> None:
    # Not an SEC cover: a memo that quotes a file number is not a filing.
    assert read_cover_page("Memo\nCommission File Number 001-00000\nEXAMPLE CORPORATION") is None
    # The line after the number is the state of incorporation, not a name.
    state_first = NO_MARKER.replace("EXAMPLE CORPORATION\n", "")
    assert read_cover_page(state_first) is None
    # Lone capitals with no name line above the marker are not glued onto nothing.
    assert read_cover_page("X\n(Exact name of registrant as specified in its charter)") is None


def test_tickers_of_the_common_stock_a_cover_or_release_lists() -> None:
    cover = (
        "Securities registered pursuant to Section 12(b) of the Act:\n"
        "Title of each class Trading Symbol(s) Name of each exchange on which registered\n"
        "Common Stock, Par Value $.01 Per Share MMM New York Stock Exchange\n"
        "MMM Chicago Stock Exchange, Inc.\n"
        "0.950% Notes due 2023 MMM23 New York Stock Exchange\n"
        "Depositary Shares, each representing a share of Preferred Stock, Series DD\n"
        "JPM PR D The New York Stock Exchange\n"
    )
    assert read_tickers(cover) == ("MMM",)  # notes and preferred series are not the ticker
    ordinary = "Trading Symbol(s)\nOrdinary Shares, Par Value $0.01 Per Share AMCR New York"
    assert read_tickers(ordinary) == ("AMCR",)
    release = "NEW BRUNSWICK, N.J. - Johnson & Johnson (NYSE: JNJ) today announced results"
    assert read_tickers(release) == ("JNJ",)
    # Without the table's heading a capitalised word before an exchange is no ticker.
    assert read_tickers("Our Common Stock IS listed on the New York Stock Exchange") == ()
    assert read_tickers("") == ()
    assert read_tickers("Trading Symbol " + "Common Stock X " * 50_000) == ()
