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


def test_a_source_quoted_on_two_pages_cites_both() -> None:
    from retrieval.places import Place

    first = "Complaints received in Q4 2025: 47 (Q3 2025: 39)."
    second = "Fees and charges accounted for 11 complaints in the quarter."
    text = f"1. VOLUMES\n{first}\n2. BY CATEGORY\n{second}"
    places = (Place(0, 3, "1. VOLUMES"), Place(text.index("2. BY"), 4, "2. BY CATEGORY"))
    source = Passage("c", "d", "MI report", "r.pdf", 3, 4, "1. VOLUMES", text, 0.9,
                     places=places)  # fmt: skip
    draft = f'"{first}" [1]\n"{second}" [1]'
    text_out, citations, dropped = supported(verify(draft, [source]), [source])
    assert dropped == [] and text_out.count("[1]") == 2
    (citation,) = citations
    assert (citation.page_start, citation.section, citation.quote) == (3, "1. VOLUMES", first)
    assert [(p.page_start, p.section, p.quote) for p in citation.also] == [
        (4, "2. BY CATEGORY", second)
    ]
    assert citation.to_json()["also"] == [
        {"page_start": 4, "page_end": 4, "section": "2. BY CATEGORY", "quote": second}
    ]
    # Two quotes at one place: one place.
    both = f'"{first}" [1]\n"Complaints received in Q4 2025: 47" [1]'
    (one,) = supported(verify(both, [source]), [source])[1]
    assert one.also == ()
    # A dropped sentence's quote is no place the answer rests on.
    unsupported = f'"{first}" [1]\nRevenue was $9 billion. [1]'
    (kept,) = supported(verify(unsupported, [source]), [source])[1]
    assert kept.also == ()
