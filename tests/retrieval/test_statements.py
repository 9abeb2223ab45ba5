from __future__ import annotations

import pytest

from retrieval.statements import asked_statements


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        ("What was Acme's accounts payable at year end FY2021?", ("balance_sheet",)),
        ("Is the quick ratio of Acme healthy as of FY2022?", ("balance_sheet",)),
        ("What is Acme's FY2020 capital expenditure?", ("cash_flow",)),
        ("How much did Acme pay in dividends paid in 2019?", ("cash_flow",)),
        ("How much did Acme pay out in cash dividends in 2019?", ("cash_flow",)),
        ("What dividend per share did Acme declare?", ()),
        ("What is the FY2019 - FY2021 average gross margin?", ("income",)),
        ("Using the income statement, what was net income in 2018?", ("income",)),
        # A ratio over two statements needs both.
        ("What is FY2018 days payable outstanding (DPO)?", ("balance_sheet", "income")),
        ("What is the FY2022 unadjusted EBITDA less capex?", ("income", "cash_flow")),
        ("What is the fixed asset turnover ratio?", ("balance_sheet", "income")),
        # Cash held at a date is a balance sheet figure; cash made or spent is not.
        ("How much cash did Acme have at the end of 2017?", ("balance_sheet",)),
        ("What was Acme's cash position as of June 30, 2023?", ("balance_sheet",)),
        ("How much cash did Acme generate from operations?", ()),
        ("What is Acme's net interest income?", ("income",)),
        ("How much did Acme earn in 2019?", ("income",)),
        ("How much did Acme earn per share in 2019?", ()),
        # A figure guided or forecast is in the outlook, not in a statement.
        ("What is Acme's guidance for fiscal 2023 net sales?", ()),
        ("What capital expenditures does Acme forecast for 2024?", ()),
        # Nothing a statement reports.
        ("Who is the CEO and what legal battles is Acme facing?", ()),
        ("What are the geographies that Acme primarily operates in?", ()),
        ("", ()),
    ],
)
def test_statements_named_by_line_items(question: str, kinds: tuple[str, ...]) -> None:
    assert asked_statements(question) == kinds


def test_a_huge_question_is_read_quickly() -> None:
    # Alternations only, no nested quantifiers: linear in the question's length.
    assert asked_statements("revenue " * 20_000) == ("income",)
    assert asked_statements("cash " * 20_000) == ()
    assert asked_statements("how much did " + "Acme " * 20_000 + "earn") == ()
