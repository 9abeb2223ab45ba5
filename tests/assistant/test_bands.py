"""Tier bands of rate sheets and fee schedules, and the amount a question names."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.bands import band, holds
from assistant.quantities import money

INF = Decimal("Infinity")


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("$1,000,000 to $4,999,999", (Decimal(1_000_000), Decimal(4_999_999))),
        ("Under $100,000", (Decimal(0), Decimal(100_000))),
        ("Less than $250k", (Decimal(0), Decimal(250_000))),
        ("First $1,000,000", (Decimal(0), Decimal(1_000_000))),
        ("$5,000,000 and above", (Decimal(5_000_000), INF)),
        ("Above $10,000,000", (Decimal(10_000_000), INF)),
        ("$250,000 or more", (Decimal(250_000), INF)),
        ("Loans of $250,000+", (Decimal(250_000), INF)),
        # A band's width, then its bounds in brackets: the bounds are the band.
        (
            "Next $4,000,000 (from $1,000,001 to $5,000,000)",
            (Decimal(1_000_001), Decimal(5_000_000)),
        ),
        ("$1m to 5m", (Decimal(1_000_000), Decimal(5_000_000))),
        ("€2 million - €3 million", (Decimal(2_000_000), Decimal(3_000_000))),
        ("Balances between $1m and $5m", (Decimal(1_000_000), Decimal(5_000_000))),
    ],
)
def test_a_label_reads_as_the_band_it_covers(label: str, expected: tuple[Decimal, Decimal]) -> None:
    assert band(label) == expected


@pytest.mark.parametrize(
    "label",
    [
        "Total expense ratio",
        "Outgoing domestic wire",
        "Revenue 2023 2022",  # years are no money
        "$5,000,000 to $1,000,000",  # upside down
        "$1,000 and $2,000 fees",  # two amounts, no bound word
        "",
        "$" * 500,
        "Under $" + "9" * 40,  # a digit run longer than any amount
        " ".join(["from $1 to $2"] * 30),  # a paragraph, not a label
    ],
)
def test_a_label_that_is_no_band_is_none(label: str) -> None:
    assert band(label) is None


def test_a_sentence_holds_an_amount_in_its_band_or_by_stating_it() -> None:
    row = "$1,000,000 to $4,999,999 | APY from 2 Mar 2026: 2.05%"
    assert holds(row, Decimal(1_000_000)) and holds(row, Decimal(3_000_000))
    assert not holds(row, Decimal(5_000_000))
    assert holds("A household with $2,500,000 pays $22,000.", Decimal(2_500_000))
    assert not holds("A household with 2,500,000 shares.", Decimal(2_500_000))  # no currency
    assert not holds("Outgoing wire | Fee: $25", Decimal(1_000_000))


def test_money_is_an_amount_with_its_currency_sign() -> None:
    assert money("balances over $1 million, $250,000 and €2.5bn in 2023") == [
        ("$1 million", Decimal(1_000_000)),
        ("$250,000", Decimal(250_000)),
        ("€2.5bn", Decimal("2.5E+9")),
    ]
    assert money("revenue of 4,200 in 2023 and 12%") == []
    assert money("") == []
