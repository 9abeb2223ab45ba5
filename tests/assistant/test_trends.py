"""A measure's course over the years: the measure in each year the statements show."""

from __future__ import annotations

from assistant.asked_items import named_measures
from assistant.compute import check
from assistant.generate import ExtractiveGenerator
from assistant.trends import asks_trend, printed_course, trend
from retrieval.types import Passage

INCOME = (
    "Consolidated Statements of Earnings\n$ in millions\n"
    "Fiscal Years Ended January 28, 2023 January 29, 2022 January 30, 2021\n"
    "Revenue $ 46,298 $ 51,761 $ 47,262\n"
    "Cost of sales 36,386 40,121 36,689\n"
    "Gross profit 9,912 11,640 10,573\n"
    "Operating income 1,795 3,039 2,391"
)


def sources(*texts: str) -> list[Passage]:
    return [
        Passage(f"c{i}", "d", "10-K", "k.pdf", 40, 40, "", t, 1.0, statements=("income",),
                scale="millions")
        for i, t in enumerate(texts)
    ]  # fmt: skip


def formulas(question: str, *texts: str) -> list[str]:
    passages = sources(*texts)
    found = trend(question, passages)
    checked = [check(c, passages) for c in found]
    assert all(c.ok for c in checked)
    return [c.formula() for c in checked]


def test_a_course_asked_is_the_measure_in_each_year_shown() -> None:
    assert formulas("Are the gross margins historically consistent?", INCOME) == [
        "gross margin 2021 = 10,573 / $ 47,262 * 100 = 22.4% [1]",
        "gross margin 2022 = 11,640 / $ 51,761 * 100 = 22.5% [1]",
        "gross margin 2023 = 9,912 / $ 46,298 * 100 = 21.4% [1]",
        # And each year's change, in points, from the same quoted operands.
        "gross margin change 2021 to 2022 = (11,640 / $ 51,761 * 100) - "
        "(10,573 / $ 47,262 * 100) = 0.1 percentage points [1]",
        "gross margin change 2022 to 2023 = (9,912 / $ 46,298 * 100) - "
        "(11,640 / $ 51,761 * 100) = -1.1 percentage points [1]",
    ]
    # One year asked: it and the years before it.
    assert [
        f.split(" =")[0] for f in formulas("An improving operating margin as of FY2022?", INCOME)
    ] == [
        "operating margin 2021",
        "operating margin 2022",
        "operating margin change 2021 to 2022",
    ]
    # Years asked: each from the first to the last.
    found = formulas("Did the operating margin improve between FY2021 and FY2023?", INCOME)
    assert [f.split(" =")[0] for f in found] == [
        "operating margin 2021", "operating margin 2022", "operating margin 2023",
        "operating margin change 2021 to 2022", "operating margin change 2022 to 2023",
    ]  # fmt: skip


def test_no_course_is_proposed_where_none_is_asked_or_shown() -> None:
    # No word of a course: one year's measure is ``formulas.propose``'s.
    assert formulas("What was the gross margin in FY2023?", INCOME) == []
    # An average over the years is one figure.
    assert formulas("What was the average gross margin over the last three years?", INCOME) == []
    # No defined measure named.
    assert formulas("Has revenue been stable historically?", INCOME) == []
    # A year asked before the statements show two years.
    assert formulas("Was the gross margin consistent as of FY2021?", INCOME) == []
    # A year asked that no column shows, among the years asked.
    assert formulas("Did the gross margin improve from FY2020 to FY2023?", INCOME) == []
    # Years too far apart to be a course the statements show.
    assert formulas("Did the gross margin improve from FY2013 to FY2023?", INCOME) == []
    # A printed measure is quoted, not computed.
    printed = INCOME + "\nGross margin | 2023: 21.4% | 2022: 22.5%"
    assert formulas("Is the gross margin consistent?", printed) == []
    assert formulas("Is the gross margin consistent?") == []


def test_course_words_and_plural_names() -> None:
    assert asks_trend("Are margins historically consistent?")
    assert asks_trend("Has it improved over the past three years?")
    assert not asks_trend("What was the average margin over the past three years?")
    assert not asks_trend("What was the gross margin in 2023?")
    assert [d.measure for d in named_measures("gross margins?", "gross margins?")][:1] == [
        "gross margin"
    ]


def test_the_answer_quotes_the_operand_rows_and_shows_each_year() -> None:
    passages = sources(
        "Under the credit facility, the ABR Margin ranges from 0.00% to 0.225% each year.",
        INCOME,
    )
    draft = ExtractiveGenerator(quotes=2).generate(
        "Are gross margins historically consistent (not fluctuating more than 2% each year)?",
        passages,
    )
    assert draft.text.splitlines() == [
        '"Gross profit 9,912 11,640 10,573" [2]',
        '"Revenue $ 46,298 $ 51,761 $ 47,262" [2]',
    ]
    assert [c.label for c in draft.computations] == [
        "gross margin 2021", "gross margin 2022", "gross margin 2023",
        "gross margin change 2021 to 2022", "gross margin change 2022 to 2023",
    ]  # fmt: skip


def test_each_definition_of_the_measure_is_tried_in_turn() -> None:
    # No gross profit row: gross margin from net sales less cost of sales, each year.
    income = "\n".join(line for line in INCOME.splitlines() if not line.startswith("Gross"))
    found = formulas("What was the gross margin trend from 2021 to 2023?", income)
    assert found == [
        "gross margin 2021 = ($ 47,262 - 36,689) / $ 47,262 * 100 = 22.4% [1]",
        "gross margin 2022 = ($ 51,761 - 40,121) / $ 51,761 * 100 = 22.5% [1]",
        "gross margin 2023 = ($ 46,298 - 36,386) / $ 46,298 * 100 = 21.4% [1]",
        "gross margin change 2021 to 2022 = (($ 51,761 - 40,121) / $ 51,761 * 100) - "
        "(($ 47,262 - 36,689) / $ 47,262 * 100) = 0.1 percentage points [1]",
        "gross margin change 2022 to 2023 = (($ 46,298 - 36,386) / $ 46,298 * 100) - "
        "(($ 51,761 - 40,121) / $ 51,761 * 100) = -1.1 percentage points [1]",
    ]


def test_a_reason_asked_keeps_the_sentences_giving_it_beside_the_computation() -> None:
    passages = sources(
        "Gross margin decreased 110 basis points primarily due to lower product margin rates "
        "and higher promotional activity.",
        INCOME,
    )
    draft = ExtractiveGenerator(quotes=1).generate(
        "Why did the gross margin decrease in FY2023?", passages
    )
    assert draft.text.startswith('"Gross margin decreased 110 basis points')
    assert [c.label for c in draft.computations] == ["gross margin 2023"]
    # Asked for the margin itself, its operand rows are the quotes.
    draft = ExtractiveGenerator(quotes=1).generate("What was the gross margin in FY2023?", passages)
    assert draft.text.startswith('"Gross profit 9,912')


def test_a_course_of_a_printed_measure_quotes_its_row() -> None:
    table = "Estimates\nEBITDA margin | FY2024A: 27.0% | FY2025A: 29.0% | FY2026E: 31.0%"
    note = "We forecast EBITDA of $1,742 million as gross margin improves by 1.2 points."
    passages = [
        Passage("c1", "d", "Note", "n.pdf", 1, 1, "", note, 1.0),
        Passage("c2", "d", "Note", "n.pdf", 2, 2, "", table, 0.9),
    ]
    question = "Has the EBITDA margin improved over the forecast years?"
    assert printed_course(question, passages) == (
        2, "EBITDA margin | FY2024A: 27.0% | FY2025A: 29.0% | FY2026E: 31.0%"
    )  # fmt: skip
    draft = ExtractiveGenerator(quotes=1).generate(question, passages)
    assert draft.text.splitlines()[0] == (
        '"EBITDA margin | FY2024A: 27.0% | FY2025A: 29.0% | FY2026E: 31.0%" [2]'
    )
    # No course asked, or no such row: none.
    assert printed_course("What is the EBITDA margin in FY2025?", passages) is None
    assert printed_course("Has the gross margin improved?", passages) is None


def test_a_course_of_a_ratio_in_times_shows_no_change_in_points() -> None:
    balance = (
        "Consolidated Balance Sheets\n$ in millions\nJanuary 28, 2023 January 29, 2022\n"
        "Total current assets 12,903 16,023\nTotal current liabilities 13,416 16,264"
    )
    found = formulas("Has the current ratio been stable historically?", balance)
    assert [f.split(" =")[0] for f in found] == ["current ratio 2022", "current ratio 2023"]
