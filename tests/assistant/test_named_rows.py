"""A figure asked by the label its statement row prints, where no definition knows it."""

from __future__ import annotations

import pytest

from assistant.generate import ExtractiveGenerator
from assistant.named_rows import named_row
from retrieval.types import Passage

BOOKINGS = """Net bookings were as follows (amounts in millions):
Year Ended December 31, 2019 2018
Net bookings $ 6,388 $ 7,262
In-game net bookings $ 3,366 $ 4,203
Total other items 12 15
Atlas Power & Light | Price (20 Feb 2026): $86.40 | Dividend yield: 3.4%"""


def sources(text: str = BOOKINGS) -> list[Passage]:
    return [Passage("c1", "d", "Acme 10-K", "a.pdf", 33, 33, "", text, 0.5, scale="millions")]


@pytest.mark.parametrize(
    ("question", "label", "text"),
    [
        ("What were Acme's net bookings in 2019?", "Net bookings 2019", "$ 6,388"),
        ("What were Acme's in-game net bookings in 2018?", "In-game net bookings 2018", "$ 4,203"),
        ("What were Acme's net bookings?", "Net bookings 2019", "$ 6,388"),  # the latest
    ],
)
def test_the_row_the_question_names_gives_the_figure(question: str, label: str, text: str) -> None:
    row = named_row(question, sources())
    assert row is not None and (row.label, row.text) == (label, text)
    assert row.name.isidentifier() and row.source == 1


@pytest.mark.parametrize(
    "question",
    [
        "What were total other items in 2019?",  # words every statement uses
        "Why did Acme's net bookings fall in 2019?",  # a reason
        "How did net bookings change from 2018 to 2019?",  # a change, two years
        "What was Acme's revenue in 2019?",  # a known item: ``lookup`` answers it
        "What were Acme's gross bookings in 2019?",  # no row of that label
        "What were net bookings in 2017?",  # no column of that year
        "What is the dividend yield of Atlas Power & Light?",  # a name's row, many figures
    ],
)
def test_no_row_for_what_is_not_one_named_figure(question: str) -> None:
    assert named_row(question, sources()) is None


def test_the_extractive_answer_quotes_and_restates_the_named_row() -> None:
    passages = sources(
        BOOKINGS + "\nThe decrease in net bookings for 2019 was primarily due to Blizzard."
    )
    draft = ExtractiveGenerator().generate("What were Acme's net bookings in 2019?", passages)
    assert draft.text == '"Net bookings $ 6,388 $ 7,262" [1]'
    (restated,) = draft.computations
    assert (restated.label, restated.unit) == ("Net bookings 2019", "million")
    assert [o.text for o in restated.operands] == ["$ 6,388"]
