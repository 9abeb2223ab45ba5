"""What a question mentions: company-like names, fiscal periods and document types."""

from __future__ import annotations

import pytest

from retrieval.mentions import (
    Period,
    extract_doc_types,
    extract_entities,
    extract_periods,
    full_years,
)


@pytest.mark.parametrize(
    ("question", "entities", "periods", "doc_types"),
    [
        (
            "Does American Water Works have positive working capital based on FY2022 data?",
            ("American Water Works",),
            (Period(2022),),
            (),
        ),
        (
            "Any change in Best Buy stores between Q2 of FY2024 and FY2023?",
            ("Best Buy",),
            (Period(2024, 2), Period(2023)),
            (),
        ),
        ("As of FY2023Q1, why did Pepsico raise guidance?", ("Pepsico",), (Period(2023, 1),), ()),
        (
            "Did Pfizer grow its PPNE between FY20 and FY21?",
            ("Pfizer",),
            (Period(2020), Period(2021)),
            (),
        ),
        (
            "Revenue in fiscal 2021 and the third quarter of 2023?",
            (),
            (Period(2021), Period(2023, 3)),
            (),
        ),
        ("Q3'23 versus 4Q22 results", (), (Period(2023, 3), Period(2022, 4)), ()),
        ("Transfer $20,000 in 2024, up 5%", (), (Period(2024),), ()),
        ("Companies acquired by Pfizer in this 10K report?", ("Pfizer",), (), ("10-K",)),
        (
            "What was on the agenda of AMCOR's 8k filing dated 1st July 2022?",
            ("AMCOR",),
            (Period(2022),),
            ("8-K",),
        ),
        ("Move $10k and 10K shares", (), (), ()),
        (
            "Summarise the latest 10-Q and the earnings release",
            (),
            (),
            ("10-Q", "earnings release"),
        ),
        ("What does the fact sheet say about fees?", (), (), ("fact sheet",)),
        ("What does the restricted list policy say?", (), (), ("policy",)),
        ("What is the monetary policy outlook?", (), (), ()),
        ('What does "Project Falcon" cover?', ("Project Falcon",), (), ()),
        (
            "Compare Johnson & Johnson with Bank of America",
            ("Johnson & Johnson", "Bank of America"),
            (),
            (),
        ),
        ("What is the EPS of 3M and the P/E of JnJ?", ("3M", "JnJ"), (), ()),
        # Typed as keywords, a lone opening word before a finance term is whose it is.
        ("Nike revenue fiscal 2023", ("Nike",), (Period(2023),), ()),
        ("Honeywell capex FY2018", ("Honeywell",), (Period(2018),), ()),
        ("Tesla net income 2023", ("Tesla",), (Period(2023),), ()),
        ("Difference between revenue and sales?", (), (), ()),
        # ... or before another name listed with it.
        ("Costco vs Walmart revenue", ("Costco", "Walmart"), (), ()),
        ("Costco and Walmart net income 2021", ("Costco", "Walmart"), (Period(2021),), ()),
        ("Walmart or Costco: which earned more?", ("Walmart", "Costco"), (), ()),
        ("Revenue and Net Income of Nike", ("Nike",), (), ()),
        ("Latest revenue for Nike?", ("Nike",), (), ()),
        (
            "Is the Global Income Fund cheaper than Globex's?",
            ("Global Income Fund", "Globex"),
            (),
            (),
        ),
    ],
)
def test_mentions(
    question: str,
    entities: tuple[str, ...],
    periods: tuple[Period, ...],
    doc_types: tuple[str, ...],
) -> None:
    assert extract_entities(question) == entities
    assert extract_periods(question) == periods
    assert extract_doc_types(question) == doc_types


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("How much was spent on R&D in FY22?", "How much was spent on R&D in FY2022?"),
        ("Revenue in Q2 FY24", "Revenue in Q2 FY2024"),
        ("FY'22 and FY 23", "FY2022 and FY 2023"),
        ("in fiscal 22", "in fiscal 2022"),
        # Four-digit years, amounts and other numbers are left as written.
        ("in 2022 and Q3 2023", "in 2022 and Q3 2023"),
        ("revenue of $22 million in FY2021", "revenue of $22 million in FY2021"),
        ("22 stores opened", "22 stores opened"),
        ("", ""),
    ],
)
def test_two_digit_years_are_written_with_four(text: str, expected: str) -> None:
    assert full_years(text) == expected
    assert extract_periods(full_years(text)) == extract_periods(text)


def test_full_years_of_huge_input_stays_fast() -> None:
    import time

    started = time.perf_counter()
    assert full_years("FY22 " * 20000).count("FY2022") == 20000
    full_years("9" * 100000 + " FY" * 10000)
    assert time.perf_counter() - started < 2.0
