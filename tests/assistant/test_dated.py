from __future__ import annotations

import pytest

from assistant.dated import dated_years, near_years, states_year, table_years
from ingest.sparse import tokenize

TARGET = frozenset(tokenize("target"))
RETURN = frozenset(tokenize("return"))
REVENUE = frozenset(tokenize("revenue sales"))

OUTLOOK = (
    "Our year-end 2026 target for the S&P 500 is 7,250, based on 2027 earnings per share "
    "of $322.\nApplying a forward multiple of 22.5x to 2027 earnings gives our\ntarget."
)
FACTS = (
    "Inception date 2 June 2014\nFund assets $1.84 billion\n"
    "Portfolio manager Lena Okafor, CFA (since 2019)\nBenchmark 50% Bloomberg Global Aggregate"
)
RETURNS = (
    "Calendar year returns (Class I)\nYear 2021 2022 2023 2024 2025\n"
    "Fund 9.8% -11.2% 10.4% 7.1% 9.3%"
)
SUMMARY = (
    "Fiscal year FY2023A FY2024A FY2025A FY2026E\nRevenue 3,410 3,980 4,760 5,620\n"
    "End market FY2025A revenue ($m) Share of revenue\n"
    "Revenue | FY2023A: 3,410 | FY2024A: 3,980 | FY2026E: 5,620"
)


def test_a_year_attached_to_the_topic_dates_it() -> None:
    assert dated_years(OUTLOOK, TARGET) == {2026}
    assert dated_years("The price target for the end of 2027 is $80.", TARGET) == {2027}
    assert dated_years("Revenue in fiscal 2025 rose 4%.", REVENUE) == {2025}


def test_a_column_label_does_not_date_the_topic() -> None:
    assert dated_years("End market FY2025A revenue ($m) Share of revenue", REVENUE) == set()
    segment = "End market FY2025A revenue ($m)\nRevenue 3,410 3,980"
    header = "Fiscal year FY2023A FY2024A FY2025A FY2026E\nRevenue 3,410 3,980 4,760 5,620"
    assert states_year([("m", segment), ("m", header)], 2026, REVENUE)


def test_a_table_header_does_not_date_the_topic() -> None:
    # "FY2025A revenue ($m)" names a column; the header line ends in a year before "Revenue".
    assert dated_years("Year FY2024A FY2025A\nRevenue 3,980 4,760", REVENUE) == set()


def test_the_asked_year_must_be_the_one_the_topic_is_given_for() -> None:
    # 2027 is written, for earnings: the target is for 2026.
    assert not states_year([("o", OUTLOOK)], 2027, TARGET)
    assert states_year([("o", OUTLOOK)], 2026, TARGET)


def test_a_year_written_for_something_else_does_not_count() -> None:
    assert not states_year([("f", FACTS), ("f", RETURNS)], 2019, RETURN)
    assert states_year([("f", FACTS), ("f", RETURNS)], 2023, RETURN)


def test_a_table_row_of_the_topic_reports_its_columns() -> None:
    assert table_years(SUMMARY, REVENUE) == {2023, 2024, 2026}
    assert states_year([("s", SUMMARY)], 2026, REVENUE)
    assert not states_year([("s", SUMMARY)], 2022, REVENUE)


def test_a_document_that_dates_the_topic_elsewhere_is_not_read_for_another_year() -> None:
    page4 = "we forecast $300 in 2026 and $322 in 2027. That gives our target."
    assert states_year([("o", page4)], 2027, TARGET)  # nothing dates the target here
    assert not states_year([("o", OUTLOOK), ("o", page4)], 2027, TARGET)
    # Another document's dating says nothing about this one.
    assert states_year([("x", OUTLOOK), ("o", page4)], 2027, TARGET)


def test_a_table_header_counts_only_in_a_passage_about_the_topic() -> None:
    header = "Fiscal year FY2023A FY2024A FY2025A FY2026E FY2027E\nRevenue 3,410 3,980"
    assert not states_year([("m", header)], 2027, TARGET)
    assert states_year([("m", header)], 2027, REVENUE)


def test_near_years_keeps_a_window_around_topic_words() -> None:
    text = "Revenue " + "word " * 25 + "2019 and then much later revenue grew in 2024"
    assert near_years(text, REVENUE) == {2019, 2024}
    assert near_years(text, REVENUE, window=3) == {2024}


def test_without_topic_words_a_year_anywhere_counts() -> None:
    assert states_year([("d", "Published in 2025.")], 2025, frozenset())
    assert not states_year([("d", "Published in 2025.")], 2024, frozenset())


@pytest.mark.parametrize(
    "text", ["", "|||", "2026 " * 5000, "FY FY2026E:::: |", "\x00\u200b2026\n\n", "20260 1926"]
)
def test_hostile_text_gives_an_answer_not_a_crash(text: str) -> None:
    assert isinstance(states_year([("d", text)], 2026, TARGET), bool)
    assert isinstance(states_year([("d", text)], 2026, frozenset()), bool)
