from __future__ import annotations

import time

import pytest

from assistant.subjects import (
    asks_author,
    entity_terms,
    heading,
    is_byline,
    is_heading,
    name_groups,
    other_sections,
    title_phrases,
    whole_names,
)
from ingest.sparse import tokenize


def test_a_heading_is_a_short_first_line_that_is_no_sentence() -> None:
    assert heading("GREATER CHINA\nApparel 1,666 1,938") == "GREATER CHINA"
    assert heading("Revenue rose 5% in the year.\nGREATER CHINA") == ""  # a sentence
    assert heading("") == "" and heading(" ".join(["word"] * 30)) == ""


def test_a_line_that_only_names_what_follows_is_a_heading() -> None:
    for line in ("Consolidated Statements of Cash Flows", "BEFORE THE ACCOUNT IS OPENED",
                 "Overview of Business", "Revenue:"):  # fmt: skip
        assert is_heading(line), line
    for line in ("Rating: Underperform", "We keep duration neutral", "Top 10 holdings",
                 "Net income attributable to Verizon", "Orders are executed at NAV.",
                 "Total expense ratio | Class A: 0.85%", "", " ".join(["Word"] * 9)):  # fmt: skip
        assert not is_heading(line), line


def test_later_sections_naming_another_subject() -> None:
    note = (
        "Atlas Power & Light (APLX): Outperform\n\nWe expect 6% growth.\n\n"
        "Crestline Energy (CRSE): Market Perform\n\nYield 4.1%."
    )
    named = entity_terms("What is the dividend yield of Atlas Power & Light?")
    assert other_sections(note, named) == {"Crestline Energy (CRSE): Market Perform"}


def test_title_phrases_are_two_or_more_question_words_running_as_in_the_title() -> None:
    def phrases(question: str, title: str) -> set[str]:
        return title_phrases(tokenize(question), tokenize(title))

    assert phrases(
        "What duration does the fixed income team recommend?", "Fixed Income Outlook"
    ) == set(tokenize("fixed income"))
    # One word is no phrase; numbers and period words never count.
    assert phrases("What does the income team say?", "Fixed Income Outlook") == set()
    assert (
        phrases("Revenue for the fiscal year ended 2022?", "Form 10-K for the fiscal year ended")
        == set()
    )
    assert phrases("What was in AMCOR's 8-K?", "AMCOR PLC Form 8-K") == set()
    # A title word the question leaves out keeps the phrase; two end it.
    assert phrases("What does the oil and gas brief say?", "Oil & Gas Sector Brief") == set(
        tokenize("oil gas brief")
    )
    assert phrases("the Meridian initiation", "Meridian Semiconductor (MRDS) Initiation") == set()
    assert phrases("", "Fixed Income Outlook") == set() and phrases("fixed income", "") == set()
    # A long hostile question and title stay cheap (quadratic in words, both bounded).
    assert phrases("fixed income " * 500, "Fixed Income " * 40) == set(tokenize("fixed income"))


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Harbor Point Wealth Equity Research | 6 February 2026 | Tom Keller, Analyst", True),
        ("Harbor Point Wealth | Version 5.0 | Effective 5 January 2026 | Owner: IT", True),
        ("Acme Research | March 3, 2026", True),
        ("Revenue | 2024A: 9,870 | 2025A: 9,655", False),
        ("Published 6 February 2026", False),  # one field: a sentence's date, no byline
        ("Date added | 2 Feb 2026 and again 3 Feb 2026", False),
    ],
)
def test_a_byline_is_fields_one_of_them_a_date(line: str, expected: bool) -> None:
    assert is_byline(line) is expected


def test_a_name_s_words_count_only_together() -> None:
    groups = name_groups("What is Harbor Point's rating on Northwind Logistics?")
    assert set(tokenize("Harbor Point")) in groups
    points = set(tokenize("within 10 percentage points of the market"))
    assert not whole_names(points, groups) & set(tokenize("Harbor Point"))
    byline = set(tokenize("Harbor Point Wealth Equity Research"))
    assert set(tokenize("Harbor Point")) <= whole_names(byline, groups)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Who covers Bayview Water?", True),
        ("Which analyst wrote the Meridian initiation?", True),
        ("Who is the author of the global outlook?", True),
        ("Whose research covered Northwind last year?", True),
        ("What does the analyst expect for 2026 EPS?", False),  # a view, not who wrote it
        ("Which funds hold Meridian?", False),
        ("Which sectors are covered by the note?", False),  # what it covers, not who
        ("", False),
    ],
)
def test_asks_author(question: str, expected: bool) -> None:
    assert asks_author(question) is expected


def test_asks_author_reads_a_huge_question_in_one_pass() -> None:
    started = time.perf_counter()
    assert not asks_author("who " * 25_000)
    assert asks_author("who " * 25_000 + "wrote it?")
    assert time.perf_counter() - started < 1.0
