"""Numbers as the citation checker reads them (every printed form of an amount)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.quantities import numbers_in, source_has_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", set()),
        ("1,234.5", {"1234.5"}),
        ("1234.5", {"1234.5"}),
        ("$4.2 billion", {"4.2", "4200", "4200000", "4200000000"}),
        ("4.2bn", {"4.2", "4200", "4200000", "4200000000"}),
        ("5m", {"5", "5000", "5000000"}),
        ("12%", {"12"}),
        ("12 percent", {"12"}),
        ("12 per cent", {"12"}),
        ("12.0%", {"12"}),
        ("(123)", {"-123"}),
        ("( 1,234.5 )", {"-1234.5"}),
        ("-5% and −7", {"-5", "-7"}),
        ("2020-2024", {"2020", "2024"}),
        ("published (2023)", {"2023"}),
        ("in FY2024", {"2024"}),
        ("Q3 covid19 v1.2.3", set()),
        ("rose 5% [1][2, 3]", {"5"}),
        ("rose 5% ［１］", {"5"}),
        ("٤.٢% in ٢٠٢٤", {"4.2", "2024"}),
        ("４．２％", {"4.2"}),
        ("ends at 5.", {"5"}),
        ("1" * 40, set()),
    ],
)
def test_numbers_in_normalises(text: str, expected: set[str]) -> None:
    assert numbers_in(text) == {Decimal(e) for e in expected}


@pytest.mark.parametrize(
    ("number", "source", "ok"),
    [
        ("4,200 million", "Revenue was $4.2 billion.", True),
        ("4.2 million", "Revenue was $4.2 billion.", False),
        ("4,200", "Revenue (in $ millions) 4,200.", True),
        ("4.23", "Revenue was 4.2.", False),  # an operand is the source's own figure
        ("1 and 2", "1 2", False),  # one number, not two
    ],
)
def test_an_operand_must_be_the_sources_own_figure(number: str, source: str, ok: bool) -> None:
    assert source_has_number(number, source) is ok
