"""Which line item a question asks the figure of: names, qualifiers, wording of rows."""

from __future__ import annotations

import pytest

from assistant.asked_items import asked_item, asked_line_item, named_part, question_words


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("What was Nike's revenue in fiscal 2023?", ("revenue", "revenue")),
        ("What were Adobe's subscription revenues?", ("revenue__subscription", "revenues")),
        ("What was the non-GAAP net income?", ("net_income__nongaap", "net income")),
        ("How much did it pay in dividends in 2022?", ("dividends_paid", "dividends paid")),
        ("Total revenues net of interest expense in 2022?", ("revenue", "revenues")),
        ("Interest expense, net of amounts capitalized?", ("interest_expense", "interest expense")),
        ("How much did they pay in dividends?", ("dividends_paid", "dividends paid")),
        ("What was the capex in 2022?", ("capital_expenditure", "capex")),
        ("What was Boeing's net loss in 2022?", ("net_income", "net loss")),
        ("How much cash did Amazon have in 2017?", ("cash", "cash and cash equivalents")),
        ("What was Acme's cash balance in 2022?", ("cash", "cash and cash equivalents")),
        ("How much cash flow did Amazon have in 2017?", None),
        ("What was Coca-Cola's net operating revenue?", ("revenue", "net operating revenue")),
        ("What was the net interest income?", ("net_interest_income", "net interest income")),
        ("How much did Activision Blizzard earn in 2019?", ("net_income", "net income")),
        ("How much did Amazon earn per share in 2019?", None),
        ("How much interest did Apple earn?", None),
        ("What is the outlook?", None),
        ("", None),
    ],
)
def test_asked_line_item(question: str, asked: tuple[str, str] | None) -> None:
    assert asked_line_item(question) == asked
    assert asked_item(question) == (asked[0] if asked else None)


def test_question_words_read_as_row_labels() -> None:
    assert question_words("Non-GAAP EPS, net of taxes in 2022?") == ["nongaap", "EPS", "in", "2022"]


@pytest.mark.parametrize(
    ("question", "part"),
    [
        ("What was Amazon's AWS operating income in 2019?", "AWS"),
        ("What was Microsoft's Intelligent Cloud revenue in fiscal 2023?", "Intelligent Cloud"),
        ("What was Nike's revenue in 2020?", None),
        ("What was 3M's FY2018 revenue?", None),  # a period, not a part
        ("What is Adobe subscription revenue?", None),  # lower case: ``asked_line_item``
        ("What is the capital of France?", None),  # no line item asked
        ("What was Lockheed Martin's Aeronautics segment net sales?", "Aeronautics"),
        ("What were Nike's segment revenues?", None),
        ("What were Apple's iPhone unit sales?", None),  # units sold: no part's revenue
    ],
)
def test_the_name_right_before_the_item_asked_is_its_part(question: str, part: str | None) -> None:
    assert named_part(question) == part
