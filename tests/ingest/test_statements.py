from __future__ import annotations

import pytest

from ingest.models import Chunk, DocumentMeta
from ingest.profile import DocumentProfile
from ingest.statements import (
    column_header,
    glued_header,
    header_blocks,
    header_years,
    page_scale,
    statement_kinds,
    statement_pages,
    with_column_headers,
)

FIGURES = "\n".join(f"Line item {i} $ {1000 + i:,} $ {900 + i:,}" for i in range(10))


@pytest.mark.parametrize(
    ("heading", "kinds"),
    [
        ("CONSOLIDATED BALANCE SHEETS", ("balance_sheet",)),
        ("CONSOLIDATEDBALANCESHEETS", ("balance_sheet",)),  # glued by the PDF's text layer
        ("CONSOLIDATED\nBALANCE\nSHEETS", ("balance_sheet",)),  # one word a line
        ("Consolidated Statement of Financial Position", ("balance_sheet",)),
        ("Condensed Consolidated Statements of Cash Flows (Unaudited)", ("cash_flow",)),
        ("CASH FLOWS STATEMENTS", ("cash_flow",)),
        ("Consolidated Statements of Earnings", ("income",)),
        ("INCOME STATEMENTS", ("income",)),
        ("COMPREHENSIVE INCOME STATEMENTS", ("comprehensive_income",)),
        ("Consolidated Statements of Operations and Comprehensive Loss", ("income",)),
        ("Consolidated Statements of Comprehensive Income", ("comprehensive_income",)),
        ("Consolidated Statements of Stockholders' Equity", ("equity",)),
        ("Consolidated Statements of Changes in Shareholders' Equity", ("equity",)),
    ],
)
def test_a_statement_heading_on_a_page_of_figures(heading: str, kinds: tuple[str, ...]) -> None:
    page = f"Table of Contents\nACME CORP. AND SUBSIDIARIES\n{heading}\n(In millions)\n{FIGURES}"
    assert statement_kinds(page) == kinds


@pytest.mark.parametrize(
    "page",
    [
        # A sentence that refers to a statement, a possessive, a phrase with "balance sheet".
        f"Cash rose, as shown in the consolidated balance sheets.\n{FIGURES}",
        f"classified as follows in the Company's Consolidated Balance Sheets:\n{FIGURES}",
        f"Joint venture related balance sheet activity is as follows:\n{FIGURES}",
        f"NOTE 5: Supplemental Balance Sheet Information\n{FIGURES}",
        f"Notes to Consolidated Financial Statements\n{FIGURES}",
        # A consolidating schedule (parent, guarantors, eliminations) is supplementary,
        # also with its heading broken inside a word.
        f"The Kraft Heinz Company\nCondensed Consolidating Balance Sheets\n{FIGURES}",
        f"CONDENSED\nCONSO\nLIDATING\nSTATEMENT\nOF\nOPERATIONS\nAND\nCOMPREHENSIVE\n{FIGURES}",
        # So is a statement of part of the group.
        f"Deed of Cross Guarantee\nConsolidated Statements of Income\n{FIGURES}",
        f"Parent Company Only\nBalance Sheets\n{FIGURES}",
        f"Combined Guarantors' Statements of Operations\n{FIGURES}",
        # A heading with too few figures under it is text about the statement.
        "CONSOLIDATED BALANCE SHEETS\nSee the accompanying notes. 2023 2022",
        # A contents page lists every statement.
        "Index\nConsolidated Statements of Operations 50\nConsolidated Balance Sheets 51\n"
        f"Consolidated Statements of Cash Flows 52\n{FIGURES}",
        "",
    ],
)
def test_pages_that_are_not_statements(page: str) -> None:
    assert statement_kinds(page) == ()


def test_statement_pages_keeps_only_tagged_pages_in_order() -> None:
    pages = {
        9: f"CONSOLIDATED STATEMENTS OF CASH FLOWS\n{FIGURES}",
        3: "Risk factors",
        7: f"CONSOLIDATED BALANCE SHEETS\n{FIGURES}",
    }
    assert statement_pages(pages) == {7: ("balance_sheet",), 9: ("cash_flow",)}


def test_profile_round_trips_statement_pages_and_answers_a_page_range() -> None:
    profile = DocumentProfile(
        doc_type="10-K", statement_pages=((7, ("balance_sheet",)), (9, ("cash_flow", "equity")))
    )
    stored = profile.to_json()
    assert stored["statement_pages"] == {"7": ["balance_sheet"], "9": ["cash_flow", "equity"]}
    assert DocumentProfile.from_json(stored) == profile
    assert profile.statements_on(6, 7) == ("balance_sheet",)
    assert profile.statements_on(7, 9) == ("balance_sheet", "cash_flow", "equity")
    assert profile.statements_on(8, 8) == ()
    assert profile.statements_on(None, None) == ()
    assert profile.statements_on(9, None) == ("cash_flow", "equity")


@pytest.mark.parametrize(
    "stored",
    [None, [], "x", {"7": "balance_sheet"}, {"seven": ["income"]}, {"7": ["unknown kind"]}],
)
def test_malformed_stored_statement_pages_are_dropped(stored: object) -> None:
    assert DocumentProfile.from_json({"statement_pages": stored}).statement_pages == ()


@pytest.mark.parametrize(
    ("line", "years"),
    [
        ("May 31, 2020 May 26, 2019", ["2020", "2019"]),
        ("Fiscal Year 2020 2019 2018", ["2020", "2019", "2018"]),
        ("(In\xa0millions,\xa0except\xa0per\xa0share\xa0amounts) 2021 2020", ["2021", "2020"]),
        ("(MILLIONS, EXCEPT PER COMMON SHARE DATA) 2021 2020", ["2021", "2020"]),
        ("For the Years Ended December 31, 2021 2020 2019", ["2021", "2020", "2019"]),
        ("December 31, 2023", None),  # one year is no column header
        ("Revenue grew from 2019 to 2020", None),  # words other than dates
        ("", None),
    ],
)
def test_header_years(line: str, years: list[str] | None) -> None:
    assert header_years(line) == years


def _chunk(position: int, page: int | None, text: str) -> Chunk:
    return Chunk(f"c{position}", "d", position, text, text, page, page, (), 0, len(text))


def test_chunks_below_a_statement_header_carry_it_and_others_do_not() -> None:
    page = "ACME CORP.\nCONSOLIDATED BALANCE SHEETS\nMay 31, 2020 May 26, 2019\nCash 1 2"
    assert column_header(page) == "May 31, 2020 May 26, 2019"
    chunks = [
        _chunk(0, 7, "CONSOLIDATED BALANCE SHEETS\nMay 31, 2020 May 26, 2019\nCash 1 2"),
        _chunk(1, 7, "Total current assets 5,121.3 4,186.5"),
        _chunk(2, 8, "Risk factors 2020 2019"),  # not a statement page
        _chunk(3, None, "no page"),
    ]
    out = with_column_headers(chunks, {7: page})
    assert [c.column_header for c in out] == [None, "May 31, 2020 May 26, 2019", None, None]
    meta = DocumentMeta("d", "a.pdf", "Acme 10-K", "pdf", "0" * 64, 1, 0.0, 9)
    assert out[1].payload(meta, "v")["column_header"] == "May 31, 2020 May 26, 2019"
    assert "column_header" not in out[0].payload(meta, "v")
    assert [c.text for c in out] == [c.text for c in chunks]  # text and offsets unchanged
    assert column_header("CONSOLIDATED BALANCE SHEETS\nno years here") is None


@pytest.mark.parametrize(
    ("page", "scale"),
    [
        ("CONSOLIDATED BALANCE SHEETS\n(In Millions, Except Par Value)\n2019 2018", "millions"),
        ("STATEMENTS OF CASH FLOWS\n(Dollars in thousands)\n2020 2019", "thousands"),
        ("Statement of Income\n($ in billions)", "billions"),
        ("Consolidated Statement of Cash Flows\n(Millions) 2018 2017 2016", "millions"),
        ("Statement of Income\n($ thousands, except per share)", "thousands"),
        ("Segment data (Millions of units shipped are not amounts)", None),
        ("CONSOLIDATED BALANCE SHEETS\n2019 2018\nCash 1 2", None),  # states none
        ("BALANCE SHEETS\n" + "Cash 1 2\n" * 20 + "amounts in millions", None),  # too far down
        ("", None),
    ],
)
def test_page_scale(page: str, scale: str | None) -> None:
    assert page_scale(page) == scale


def test_every_chunk_of_a_statement_page_carries_its_scale() -> None:
    page = "CONSOLIDATED BALANCE SHEETS\n(In millions)\nMay 31, 2020 May 26, 2019\nCash 1 2"
    chunks = [_chunk(0, 7, page), _chunk(1, 7, "Total assets 9 8"), _chunk(2, 8, "Risks")]
    out = with_column_headers(chunks, {7: page})
    assert [c.scale for c in out] == ["millions", "millions", None]
    meta = DocumentMeta("d", "a.pdf", "Acme 10-K", "pdf", "0" * 64, 1, 0.0, 9)
    assert out[1].payload(meta, "v")["scale"] == "millions"
    assert "scale" not in out[2].payload(meta, "v")


STACKED = (
    "CONSOLIDATED STATEMENTS OF INCOME\n(In thousands, except per share data)\nYears Ended\n"
    "December 2,\n2016\nNovember 27,\n2015\nNovember 28,\n2014\nRevenue:\n"
    "Total revenue 5,854,430 4,795,511 4,147,065"
)


def test_a_header_stacked_one_date_part_a_line_is_one_header() -> None:
    lines = STACKED.splitlines()
    ((first, last, header),) = header_blocks(lines)
    assert (lines[first], lines[last]) == ("(In thousands, except per share data)", "2014")
    assert header_years(header) == ["2016", "2015", "2014"]
    assert column_header(STACKED) == header
    # A chunk that starts with such a header has its own: it is given none.
    chunks = [_chunk(0, 3, STACKED), _chunk(1, 3, "Operating income 1,493,602 903,095 412,685")]
    assert [c.column_header for c in with_column_headers(chunks, {3: STACKED})] == [None, header]


def test_lines_that_are_headers_by_themselves_are_not_joined() -> None:
    lines = [
        "Fiscal years ended December 31, 2022, December 25, 2021 and December 26, 2020",
        "(in millions)",
        "2022 2021 2020",
        "Net Revenue $ 86,392 $ 79,474 $ 70,372",
    ]
    assert [(f, t) for f, _, t in header_blocks(lines)] == [(0, lines[0]), (2, lines[2])]
    # One year a line with nothing else is no header; nor are prose and figures.
    assert header_blocks(["December 31,", "2023", "Cash 1 2"]) == []
    assert header_blocks(["Revenue grew", "2019", "2020"]) == [(1, 2, "2019 2020")]
    assert header_blocks([]) == []


def test_a_stacked_header_may_end_in_a_line_with_the_first_heading_glued_on() -> None:
    lines = [
        "(In Millions, Except Par Value)",
        "May 26,",
        "2019 May 27,",
        "2018 ASSETS Current assets:",
        "Receivables 1,679.7 1,684.2",
    ]
    assert header_blocks(lines) == [(1, 3, "May 26, 2019 May 27, 2018")]
    # A line with figures after its year is a row, not a glued heading.
    assert header_blocks(["May 26,", "2019 May 27,", "2018 Receivables 1,679.7"]) == []


def test_huge_and_hostile_pages_are_read_quickly() -> None:
    import time

    started = time.perf_counter()
    pages = [
        "CONSOLIDATED BALANCE SHEETS " + "1,234 " * 200_000,
        "statements of " * 100_000,
        "\x00\u202e" * 100_000,
        "a" * 1_000_000,
    ]
    assert [statement_kinds(p) for p in pages] == [("balance_sheet",), (), (), ()]
    assert [column_header(p) for p in pages] == [None] * 4
    assert header_blocks(["2020"] * 100_000 + ["x"])[0][:2] == (0, 99_999)
    assert time.perf_counter() - started < 5


def test_a_header_whose_rows_the_text_layer_glued_onto_it_is_the_column_header() -> None:
    page = (
        "Consolidated Statements of Cash Flows\n(In Millions)\nFiscal Year\n"
        "2022 2021 2020 Cash Flows - Operating Activities Net earnings $ 2,735.0 $ 2,346.0 "
        "$ 2,210.8 Depreciation and amortization 570.3 601.3 594.7"
    )
    assert column_header(page) == "2022 2021 2020"
    assert column_header("Net income rose 5% in 2022 on higher sales.") is None


def test_header_words_may_lead_the_years_of_a_glued_header() -> None:
    line = (
        "For the Years Ended December 31, 2021 2020 2019 Operating revenues $ 3,930 $ 3,777 "
        "$ 3,610 Operation and maintenance 1,777 1,622 1,544"
    )
    assert column_header(f"Consolidated Statements of Operations\n{line}") == "2021 2020 2019"
    assert glued_header(line) == (["2021", "2020", "2019"], line[line.index("Operating") :])
    # Words that are not a header's, or a year among them, lead no glued header.
    assert glued_header("Revenue for 2021 2020 2019 Operating revenues 1 2 3") is None
    assert glued_header("Fiscal 2019 ended, 2021 2020 Sales 1 2") is None
    assert glued_header("For the years " * 20 + "2021 2020 Sales 1 2") is None  # too far in


def test_the_spans_over_a_quarterly_header_are_part_of_it() -> None:
    lines = ["Three Months Ended", "June 30,", "Six Months Ended", "June 30,",
             "2023 2022 2023 2022", "Revenues"]  # fmt: skip
    assert header_blocks(lines) == [
        (0, 4, "Three Months Ended June 30, Six Months Ended June 30, 2023 2022 2023 2022")
    ]
    # Without spans above it, a line that is a header by itself stays the header.
    assert header_blocks(["YEAR ENDED MAY 31,", "2023 2022 2021", "Revenues"]) == [
        (1, 1, "2023 2022 2021")
    ]
