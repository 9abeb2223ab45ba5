"""Which claims of a verified draft stand (``assistant.standing``)."""

from __future__ import annotations

import re

import pytest

from assistant.citations import verify
from assistant.standing import for_part, supported
from retrieval.types import Passage


def _filing_page(number: int, text: str) -> Passage:
    return Passage(
        f"c{number}", "nike23", "NIKE, Inc. Form 10-K", "nike.pdf", 43, 43, "", text, 0.9
    )


SEGMENT_PAGES = [
    _filing_page(1, "GREATER CHINA\n(Dollars in millions) FISCAL 2023 FISCAL 2022\n"
                    "TOTAL REVENUES $ 7,248 $ 7,547"),
    _filing_page(2, "Revenues $ 51,217 $ 46,710\nGreater China 7,248 7,547\n"
                    "Greater China revenues increased 4% on a currency-neutral basis."),
]  # fmt: skip


@pytest.mark.parametrize(
    ("draft", "kept"),
    [
        # A line naming the measure, in a passage headed by the part asked.
        ('"TOTAL REVENUES $ 7,248 $ 7,547" [1]', '"TOTAL REVENUES $ 7,248 $ 7,547" [1]'),
        # The part's own row.
        ('"Greater China 7,248 7,547" [2]', '"Greater China 7,248 7,547" [1]'),
        # A sentence naming the part and the measure.
        (
            '"Greater China revenues increased 4% on a currency-neutral basis." [2]',
            '"Greater China revenues increased 4% on a currency-neutral basis." [1]',
        ),
    ],
)
def test_asked_for_a_part_of_a_company_only_claims_about_it_stand(draft: str, kept: str) -> None:
    total = '"Revenues $ 51,217 $ 46,710" [2]'
    checked = for_part(
        verify(f"{total}\n{draft}", SEGMENT_PAGES), ("Greater China",), "revenue", SEGMENT_PAGES
    )
    text, citations, dropped = supported(checked, SEGMENT_PAGES)
    assert dropped == ['"Revenues $ 51,217 $ 46,710"']  # the company's total is no answer
    assert re.sub(r"\[\d\]", "[1]", text) == kept and len(citations) == 1
    # A heading line that names no measure does not stand either.
    heading = for_part(verify('"GREATER CHINA" [1]', SEGMENT_PAGES), ("Greater China",),
                      "revenue", SEGMENT_PAGES)  # fmt: skip
    assert supported(heading, SEGMENT_PAGES)[0] == ""
