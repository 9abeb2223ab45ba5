"""The names a question asks about (``assistant.question_names``)."""

from __future__ import annotations

import pytest

from assistant.question_names import compared_names, subject_names


def test_lower_case_brand_names_are_names() -> None:
    assert [n for n, _ in subject_names("Why did eBay raise its guidance?")] == ["eBay"]


def test_metric_names_are_not_names() -> None:
    names = subject_names("What is 3M's Adjusted EBITDA and Free Cash Flow?")
    assert names == [("3M", frozenset({"3m"}))]
    question = "What is Total Revenue and Net Income, in USD Millions, for 3M?"
    assert [n for n, _ in subject_names(question)] == ["3M"]


def test_a_name_of_financial_words_that_form_no_term_is_a_name() -> None:
    # "dollar" is an instruction word, "general" half of "selling, general and
    # administrative": together no measure, but a retailer the library may lack.
    question = "What are the geographies that Dollar General operates in as of FY2022?"
    assert [n for n, _ in subject_names(question)] == ["Dollar General"]


def test_people_addressed_by_title_and_masking_placeholders_are_not_names() -> None:
    question = "Is the Global Income Fund suitable for my client Mrs Chen? My card is [CARD]."
    assert [n for n, _ in subject_names(question)] == ["Global Income Fund"]


@pytest.mark.parametrize(
    ("question", "names"),
    [
        ("Compare 3M's and Amazon's revenue in FY2017.", ["3M", "Amazon"]),
        ("What were the capital expenditures of 3M and Honeywell?", ["3M", "Honeywell"]),
        ("What did Nike, Adidas or Puma earn?", ["Nike", "Adidas", "Puma"]),
        ("How does Nike's revenue compare with Adidas's?", ["Nike", "Adidas"]),
        ("Costco vs Walmart revenue", ["Costco", "Walmart"]),  # the first word is a name
        ("What was 3M's revenue in Europe?", []),  # a second name that qualifies the first
        ("What was 3M's revenue?", []),
        # Names listed right after one name's possessive are its parts.
        ("What was Boeing's Defense, Space & Security revenue?", []),
        ("What were 3M's Safety and Industrial net sales?", []),
        ("What were 3M's and Honeywell's net sales?", ["3M", "Honeywell"]),
        ("What were 3M and Honeywell's net sales?", ["3M", "Honeywell"]),
        (
            "Is the fee lower at the Alpha Income Fund or the Beta Growth Fund?",
            ["Alpha Income Fund", "Beta Growth Fund"],
        ),
        ("Did 3M and the Honeywell board raise dividends?", ["3M", "Honeywell"]),
        # One name set against another with a comparative: the name must follow "than".
        ("Was Amazon's FY2019 revenue higher than Walmart's?", ["Amazon", "Walmart"]),
        ("Did Amazon have more revenue than Walmart in 2019?", ["Amazon", "Walmart"]),
        ("Is Nike's margin better than that of Adidas?", ["Nike", "Adidas"]),
        ("Is the Alpha Fund cheaper than the Beta Fund?", ["Alpha Fund", "Beta Fund"]),
        ("Was 3M's revenue in Europe less than $5 billion?", []),
        ("Was Amazon's revenue higher in 2019 than in 2018?", []),
        # A second name's possessive ending the question asks the first one's figure.
        ("What was Nike's revenue in FY2023 and what was Adidas's?", ["Nike", "Adidas"]),
        ("What was Microsoft's revenue in FY2023, and Adobe's?", ["Microsoft", "Adobe"]),
        ("What is Nike's revenue, and what about Adidas's?", ["Nike", "Adidas"]),
        ("What was 3M's revenue according to Moody's?", []),  # a source, not compared
        ("Is Nike's CEO on Apple's board?", []),
        ("What were the net sales of General Mills and of Kellogg?", ["General Mills", "Kellogg"]),
        ("", []),
    ],
)
def test_compared_names(question: str, names: list[str]) -> None:
    assert compared_names(question) == names
