"""Streamed citation numbers are the final ones (first hour: "[5], [2]" became "[1], [2]")."""

from __future__ import annotations

import re

import pytest

from assistant.citations import verify
from assistant.numbering import MAX_HELD, StreamNumbering
from retrieval.types import Passage


def passage(text: str, n: int) -> Passage:
    return Passage(
        chunk_id=f"c{n}",
        document_id=f"d{n}",
        title=f"Doc {n}",
        source=f"/x/{n}.txt",
        page_start=None,
        page_end=None,
        section="",
        text=text,
        score=1.0,
    )


def stream(tokens: list[str], n_sources: int) -> str:
    out: list[str] = []
    numbering = StreamNumbering(n_sources, out.append)
    for token in tokens:
        numbering.feed(token)
    numbering.flush()
    return "".join(out)


@pytest.mark.parametrize(
    "tokens",
    [
        ["Alpha rose 7% in May [3]. Beta fell 3% in March [2][1]. Alpha rose again [3, 2]."],
        [
            "Alpha rose 7% in May [",
            "3",
            "]. Beta fell 3% in March [2",
            "][1",
            "]. Alpha ",
            "rose again [3,",
            " 2].",
        ],
        list("Alpha rose 7% in May [3]. Beta fell 3% in March [2][1]. Alpha rose again [3, 2]."),
    ],
)
def test_markers_are_renumbered_by_first_use_across_token_boundaries(tokens: list[str]) -> None:
    assert stream(tokens, 3) == (
        "Alpha rose 7% in May [1]. Beta fell 3% in March [2][3]. Alpha rose again [1][2]."
    )


def test_stream_numbers_are_the_final_numbers() -> None:
    sources = [
        passage("Beta fell 3% in March.", 1),
        passage("Nothing relevant about the weather.", 2),
        passage("Alpha rose 7% in May.", 3),
    ]
    draft = "Alpha rose 7% in May [3]. Beta fell 3% in March [2][1]. Alpha rose again [3, 2]."
    streamed = stream(list(draft), len(sources))
    final = verify(draft, sources)
    streamed_claims = re.split(r"(?<=\.)\s", streamed)
    for claim, shown in zip(final.claims, streamed_claims, strict=True):
        in_stream = {int(n) for n in re.findall(r"\[(\d+)\]", shown)}
        assert set(claim.numbers) <= in_stream, (claim, shown)


def test_out_of_range_markers_vanish_and_plain_brackets_pass() -> None:
    assert stream(["Costs were flat [0] [7] [1]."], 1) == "Costs were flat   [1]."
    assert stream(["see [note] and [", "a]"], 2) == "see [note] and [a]"
    long_open = "[" + "1, " * MAX_HELD
    assert stream([long_open, "x"], 2) == long_open + "x"  # never held back for ever


def test_a_marker_cut_at_the_end_is_flushed() -> None:
    assert stream(["Revenue rose [2"], 2) == "Revenue rose [2"
