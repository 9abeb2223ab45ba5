"""Computations are shown only when every operand is a number of its cited source."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from assistant.answer import Citation
from assistant.arithmetic import ComputationError
from assistant.compute import (
    Computation,
    Operand,
    attach,
    check,
    format_result,
    from_json,
    quantity,
    stated_scale,
)
from retrieval.types import Passage


def passage(number: int, text: str) -> Passage:
    return Passage(f"c{number}", f"d{number}", f"Report {number}", f"r{number}.pdf", 3, 3,
                   "", text, 0.5)  # fmt: skip


SOURCES = [
    passage(1, "Gross profit | 2023: 15,000 | 2022: 14,100\nRevenue | 2023: 23,000"),
    passage(2, "Net sales were $4.2 billion in 2023, and inventories were (35) at year end."),
]
MARGIN = Computation(
    "gross margin 2023",
    "gross_profit / revenue * 100",
    (Operand("gross_profit", "15,000", 1), Operand("revenue", "23,000", 1)),
    "%",
)


def test_a_verified_computation_shows_its_formula_with_citations() -> None:
    checked = check(MARGIN, SOURCES)
    assert checked.ok and checked.reason == ""
    assert checked.result == Decimal("65.21739130434782608695652173913043")
    assert checked.formula() == "gross margin 2023 = 15,000 / 23,000 * 100 = 65.2% [1]"
    assert checked.formula({1: 3}) == "gross margin 2023 = 15,000 / 23,000 * 100 = 65.2% [3]"


def test_operands_from_two_sources_cite_both_and_scale_words_count() -> None:
    computation = Computation(
        "ratio", "a / b", (Operand("a", "15,000", 1), Operand("b", "$4.2 billion", 2)), "x"
    )
    checked = check(computation, SOURCES)
    assert checked.ok
    assert checked.result == Decimal("0.000003571428571428571428571428571428571")
    assert checked.formula().endswith("= 0.00x [1][2]")
    # The same amount with another scale word is found; a bare figure must be printed.
    in_millions = Computation("m", "a", (Operand("a", "4,200 million", 2),))
    assert check(in_millions, SOURCES).result == Decimal("4200000000")
    bare = Computation("m", "a", (Operand("a", "4,200", 2),))
    assert "is not in source [2]" in check(bare, SOURCES).reason


@pytest.mark.parametrize(
    ("operand", "reason"),
    [
        (Operand("a", "15,001", 1), "15,001 is not in source [1]"),
        (Operand("a", "15,000", 2), "15,000 is not in source [2]"),  # right number, wrong source
        (Operand("a", "4.2 million", 2), "is not in source [2]"),  # scale must match
        (Operand("a", "15,000", 3), "cites [3]: no such source"),
        (Operand("a", "15,000", 0), "no such source"),
        (Operand("a", "fifteen", 1), "not a single number"),
        (Operand("a", "15,000 and 14,100", 1), "not a single number"),
        (Operand("1a", "15,000", 1), "invalid or repeated operand name"),
    ],
)
def test_any_missing_or_invalid_operand_drops_the_computation(
    operand: Operand, reason: str
) -> None:
    computation = Computation("x", "a / 2", (operand,))
    checked = check(computation, SOURCES)
    assert not checked.ok and reason in checked.reason
    with pytest.raises(ValueError, match="no formula"):
        checked.formula()


def test_evaluation_failures_and_bad_units_drop_it() -> None:
    zero = Computation("z", "a / (a - a)", (Operand("a", "15,000", 1),))
    assert check(zero, SOURCES).reason == "division by zero"
    hostile = Computation("h", "__import__('os')", (Operand("a", "15,000", 1),))
    assert "not allowed" in check(hostile, SOURCES).reason
    unit = Computation("u", "a", (Operand("a", "15,000", 1),), "EUR")
    assert "unknown unit" in check(unit, SOURCES).reason
    assert "1 to 12 operands" in check(Computation("e", "1", ()), SOURCES).reason
    repeated = Computation("r", "a", (Operand("a", "15,000", 1), Operand("a", "23,000", 1)))
    assert "repeated" in check(repeated, SOURCES).reason


def test_quantity_applies_scale_and_accounting_negatives() -> None:
    assert quantity("$4.2 billion") == Decimal("4200000000")
    assert quantity("(35)") == Decimal(-35)
    assert quantity("48.0%") == Decimal("48.0")
    assert quantity("1.5bn") == Decimal("1500000000")
    with pytest.raises(ComputationError):
        quantity("1e999")


def test_format_result() -> None:
    assert format_result(Decimal("65.2173"), "%") == "65.2%"
    assert format_result(Decimal("1234567.891"), "") == "1,234,567.89"
    assert format_result(Decimal("1.525"), "x") == "1.52x"  # banker's rounding of Decimal
    assert format_result(Decimal("-1561"), "million") == "-1,561.00 million"


def test_an_amount_in_a_scale_needs_every_operand_s_page_to_state_that_scale() -> None:
    def sheet(number: int, scale: str) -> Passage:
        text = "Total current assets 1,250 1,190\nTotal current liabilities 2,811 2,400"
        return dataclasses.replace(passage(number, text), scale=scale)

    working = Computation(
        "working capital 2022",
        "a - b",
        (Operand("a", "1,250", 1), Operand("b", "2,811", 2)),
        "million",
    )
    checked = check(working, [sheet(1, "millions"), sheet(2, "millions")])
    assert checked.ok and checked.formula() == (
        "working capital 2022 = 1,250 - 2,811 = -1,561.00 million [1][2]"
    )
    reason = check(working, [sheet(1, "millions"), sheet(2, "thousands")]).reason
    assert reason == "source [2] does not state b in millions (its page states thousands)"
    reason = check(working, [sheet(1, "millions"), sheet(2, "")]).reason
    assert reason == "source [2] does not state b in millions (its page states no scale)"
    # An operand written with its own scale word is not scaled twice.
    own = dataclasses.replace(working, operands=(Operand("a", "$4.2 billion", 1),))
    billions = dataclasses.replace(passage(1, "Net sales were $4.2 billion."), scale="millions")
    assert "does not state a in millions" in check(own, [billions]).reason


def test_a_models_json_proposal_is_read_strictly() -> None:
    proposal = from_json(
        '{"label": "gross margin 2023", "expression": "a / b * 100", "unit": "%",'
        ' "operands": {"a": {"value": "15,000", "source": 1}, "b": {"value": 23000, "source": 1}}}'
    )
    checked = check(proposal, SOURCES)
    assert (
        checked.ok and checked.formula() == "gross margin 2023 = 15,000 / 23000 * 100 = 65.2% [1]"
    )


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "JSON object"),
        ('{"expression": "a", "operands": {"a": {"value": "1", "source": 1}}}', "label"),
        ('{"label": "x", "expression": 5, "operands": {"a": {"value": "1", "source": 1}}}',
         "as strings"),
        ('{"label": "x", "expression": "a", "operands": {}}', "1 to 12 operands"),
        ('{"label": "x", "expression": "a", "operands": {"a": 5}}', "must be an object"),
        ('{"label": "x", "expression": "a", "operands": {"a": {"value": "1", "source": "1"}}}',
         "source number"),
        ('{"label": "x", "expression": "a", "operands": {"a": {"value": "1", "source": true}}}',
         "source number"),
        ('{"label": "' + "x" * 200 + '", "expression": "a", "operands": {}}', "label"),
    ],
)  # fmt: skip
def test_malformed_proposals_are_clear_errors(payload: str, reason: str) -> None:
    with pytest.raises(ComputationError) as caught:
        from_json(payload)
    assert reason in str(caught.value)


def test_attach_numbers_new_sources_after_the_cited_ones() -> None:
    existing = Citation(1, "c2", "d2", "Report 2", "r2.pdf", 3, 3, "", "Net sales ...", 1.0)
    good = check(MARGIN, SOURCES)
    bad = check(Computation("x", "a", (Operand("a", "9", 1),)), SOURCES)
    text, citations = attach('"Net sales were $4.2 billion" [1]', [existing], {2: 1},
                             [good, bad], SOURCES)  # fmt: skip
    assert text == (
        '"Net sales were $4.2 billion" [1]\ngross margin 2023 = 15,000 / 23,000 * 100 = 65.2% [2]'
    )
    assert [c.number for c in citations] == [1, 2]
    assert citations[1].chunk_id == "c1" and citations[1].quote == "15,000"
    assert attach("", [], {}, [bad], SOURCES) == ("", [])


def test_attach_keeps_the_numbers_of_the_text_when_a_dropped_quote_left_a_gap() -> None:
    # Source 1's quote was dropped as unsupported: source 2's quote kept its number [2].
    existing = Citation(2, "c2", "d2", "Report 2", "r2.pdf", 3, 3, "", "Net sales ...", 1.0)
    text, citations = attach('"Net sales were $4.2 billion" [2]', [existing], {2: 2},
                             [check(MARGIN, SOURCES)], SOURCES)  # fmt: skip
    # The operands' source 1 gets a new number, not one the text already uses.
    assert text.endswith("= 65.2% [3]")
    assert [(c.number, c.chunk_id) for c in citations] == [(2, "c2"), (3, "c1")]


def test_an_operand_row_on_another_page_of_a_cited_source_is_a_place_of_its_citation() -> None:
    from retrieval.places import Place

    text = "Gross profit | 2023: 15,000 | 2022: 14,100\nRevenue | 2023: 23,000"
    places = (Place(0, 3, "Income"), Place(text.index("Revenue"), 4, "Income"))
    source = dataclasses.replace(SOURCES[0], page_end=4, places=places)
    operands = (
        Operand("gross_profit", "15,000", 1, quote="Gross profit | 2023: 15,000 | 2022: 14,100"),
        Operand("revenue", "23,000", 1, quote="Revenue | 2023: 23,000"),
    )
    margin = check(dataclasses.replace(MARGIN, operands=operands), [source])
    cited = Citation.quoting(1, source, operands[0].quote, support=1.0, lexical=1.0,
                             numbers_ok=True)  # fmt: skip
    text_out, citations = attach(f'"{operands[0].quote}" [1]', [cited], {1: 1}, [margin],
                                 [source])  # fmt: skip
    assert text_out.endswith("= 65.2% [1]")
    (citation,) = citations
    assert citation.page_start == 3
    assert [(p.page_start, p.quote) for p in citation.also] == [(4, "Revenue | 2023: 23,000")]


def test_a_source_numbered_but_left_uncited_is_cited_anew_for_its_operands() -> None:
    # Source 1 was numbered [1] in the text, but its sentences were all dropped: the
    # operands' citation follows every number the text used.
    text, citations = attach("", [], {1: 1}, [check(MARGIN, SOURCES)], SOURCES)
    assert text == "gross margin 2023 = 15,000 / 23,000 * 100 = 65.2% [2]"
    assert [(c.number, c.chunk_id) for c in citations] == [(2, "c1")]


def test_a_conversion_restates_a_figure_in_the_scale_asked_if_its_page_states_its_own() -> None:
    page = dataclasses.replace(
        passage(1, "Total current liabilities 5,466,312 4,586,657"), scale="thousands"
    )
    operand = Operand("liabilities", "5,466,312", 1, "Total current liabilities 2017")
    restated = Computation(
        "Total current liabilities 2017", "liabilities", (operand,), "million",
        scale_asked=True, converted_from="thousand",
    )  # fmt: skip
    checked = check(restated, [page])
    assert checked.ok and checked.result == Decimal("5466.312")
    assert checked.formula() == (
        "Total current liabilities 2017 (in millions) = 5,466,312 thousand = 5,466.31 [1]"
    )
    shown = dataclasses.replace(restated, scale_asked=False)
    assert check(shown, [page]).formula().endswith("= 5,466,312 thousand = 5,466.31 million [1]")
    # The page must state the scale converted from; both ends must be scales.
    millions = dataclasses.replace(page, scale="millions")
    assert "does not state liabilities in thousands" in check(restated, [millions]).reason
    assert "conversion is between" in check(dataclasses.replace(restated, unit="%"), [page]).reason


@pytest.mark.parametrize(
    ("text", "page", "scale"),
    [
        (
            "Net bookings were as follows (amounts in millions):\nNet bookings $ 6,388",
            "",
            "millions",
        ),
        ("(In thousands, except per share data)\nRevenue 1,200", "", "thousands"),
        ("Revenue 1,200 (in millions) and units (in thousands)", "", ""),  # two: none
        ("We report in millions of dollars.", "", ""),  # prose, no bracket: none
        ("(amounts in millions)", "thousands", "thousands"),  # the statement page's first
    ],
)
def test_the_scale_a_passage_states(text: str, page: str, scale: str) -> None:
    assert stated_scale(dataclasses.replace(passage(1, text), scale=page)) == scale


def test_a_scale_stated_in_the_passage_text_verifies_an_amount_in_it() -> None:
    table = passage(1, "Operating income (amounts in millions):\nAWS 7,296 9,201")
    amount = Computation("AWS 2019", "aws", (Operand("aws", "9,201", 1),), "million")
    assert check(amount, [table]).ok
