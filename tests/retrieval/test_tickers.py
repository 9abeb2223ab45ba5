from __future__ import annotations

import pytest

from retrieval.tickers import capitalised_words, is_ticker_like, shouting


def test_capitalised_short_words_in_a_normal_question() -> None:
    assert capitalised_words("What is the outlook for ON and NOW versus CAT, and ON?") == [
        "ON",
        "NOW",
        "CAT",
    ]
    assert capitalised_words("Revenue of Boeing in FY2022") == []  # FY2022 is no word


def test_capitals_mean_nothing_when_the_question_shouts() -> None:
    assert shouting("WHAT IS THE PRICE TARGET FOR CAT?")
    assert capitalised_words("WHAT IS THE PRICE TARGET FOR CAT?") == []
    assert not is_ticker_like("CAT", "WHAT IS THE PRICE TARGET FOR CAT?")
    assert is_ticker_like("CAT", "What is the price target for CAT?")
    assert not is_ticker_like("cat", "What is the price target for cat?")


@pytest.mark.parametrize("text", ["", "   ", "12345", "数字", "A" * 10_000, "ÉTÉ été"])
def test_hostile_text(text: str) -> None:
    assert isinstance(capitalised_words(text), list)
    assert isinstance(shouting(text), bool)
