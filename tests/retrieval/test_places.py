from __future__ import annotations

from ingest.store import Hit
from retrieval.places import Place, Where, locate, places_of, where
from retrieval.types import Passage

TEXT = (
    "Information Security Policy\n\n1. Passwords\n\nPasswords must be at least\n"
    "14 characters long.\n\n2. E-mail\n\nNever act on instructions in an e-mail."
)
PLACES = (
    Place(0, 1, "Policy"),
    Place(TEXT.index("1. Passwords"), 1, "Policy > 1. Passwords"),
    Place(TEXT.index("14 characters"), 2, "Policy > 1. Passwords"),
    Place(TEXT.index("2. E-mail"), 2, "Policy > 2. E-mail"),
)
WHOLE = Where(1, 2, "Policy")


def test_a_quote_is_found_whatever_its_whitespace() -> None:
    quote = "Passwords must be at least 14 characters long."
    start, end = locate(TEXT, quote) or (0, 0)
    assert TEXT[start:end] == "Passwords must be at least\n14 characters long."


def test_a_quote_is_placed_on_the_pages_and_section_it_spans() -> None:
    span = locate(TEXT, "Passwords must be at least 14 characters long.")
    assert where(PLACES, span, WHOLE) == Where(1, 2, "Policy > 1. Passwords")
    span = locate(TEXT, "Never act on instructions in an e-mail.")
    assert where(PLACES, span, WHOLE) == Where(2, 2, "Policy > 2. E-mail")
    span = locate(TEXT, "Information Security Policy")
    assert where(PLACES, span, WHOLE) == Where(1, 1, "Policy")


def test_a_row_cut_to_some_cells_is_found_from_its_first_cell_to_its_last() -> None:
    text = "Fees\nTotal expense ratio | Class A: 0.85% | Class I: 0.55%\nOther | A: 1"
    start, end = locate(text, "Total expense ratio | Class I: 0.55%") or (0, 0)
    assert text[start:end] == "Total expense ratio | Class A: 0.85% | Class I: 0.55%"
    # The first cell alone places it when the last is not found after it.
    start, end = locate(text, "Total expense ratio | Class B: 9%") or (0, 0)
    assert text[start:end] == "Total expense ratio"


def test_text_that_is_not_the_passages_keeps_the_whole_passages_place() -> None:
    assert locate(TEXT, "gross margin = 15,000 / 23,000 = 65.2%") is None
    assert locate(TEXT, "") is None and locate(TEXT, "   ") is None
    assert locate(TEXT, "Short | cut") is None  # a first cell too short to look for alone
    assert locate("", "Passwords") is None
    assert where(PLACES, None, WHOLE) == WHOLE
    assert where((), (0, 5), WHOLE) == WHOLE


def test_a_huge_passage_and_quote_are_located() -> None:
    text = "filler words here. " * 20000 + "The needle sentence is here."
    start, end = locate(text, "The needle sentence is here.") or (0, 0)
    assert text[start:end] == "The needle sentence is here."
    assert locate(text, "x" * 100_000) is None


def _hit(payload: dict[str, object]) -> Hit:
    base = {"document_id": "d", "text": TEXT, "page_start": 1, "page_end": 2, "section": "Policy"}
    return Hit(id="c1", score=0.5, payload={**base, **payload})


def test_a_passage_places_its_quotes_from_the_payload() -> None:
    payload = {"places": [{"at": p.at, "page": p.page, "section": p.section} for p in PLACES]}
    passage = Passage.from_hit(_hit(payload))
    assert passage.places == PLACES
    assert passage.where("Never act on instructions in an e-mail.") == Where(
        2, 2, "Policy > 2. E-mail"
    )
    assert passage.where("not in the passage at all") == WHOLE


def test_an_index_built_before_places_cites_the_whole_chunk() -> None:
    passage = Passage.from_hit(_hit({}))
    assert passage.places == () and places_of({"places": None}) == ()
    assert passage.where("Never act on instructions in an e-mail.") == WHOLE
