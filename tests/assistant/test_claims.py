"""Claims of a draft and their citation markers."""

from __future__ import annotations

import pytest

from assistant.claims import marker_id, split_claims, strip_markers


@pytest.mark.parametrize(
    ("draft", "expected"),
    [
        ("", []),
        ("No markers here. None at all.", [("No markers here.", []), ("None at all.", [])]),
        (
            "Revenue rose 5%. [1] Costs fell [2][3].",
            [("Revenue rose 5%.", [1]), ("Costs fell.", [2, 3])],
        ),
        (
            "Growth [1, 3] was strong in Europe [2][1].",
            [("Growth was strong in Europe.", [1, 3, 2])],
        ),
        (
            "Rates hit 4.2% in the U.S. [1] and rose.",
            [("Rates hit 4.2% in the U.S. and rose.", [1])],
        ),
        ("- A bullet [4]\n[5]\nNext line.", [("- A bullet", [4, 5]), ("Next line.", [])]),
        ("Done.\n[2] Leading marker.", [("Done.", []), ("Leading marker.", [2])]),
        ("[1]", [("", [1])]),
        # Dot leaders of a statement row end no sentence; an ellipsis still does.
        (
            '"Net income ........ $ 629,551 $ 268,395" [1]',
            [('"Net income ........ $ 629,551 $ 268,395"', [1])],
        ),
        ("It rose... Then fell. [1]", [("It rose...", []), ("Then fell.", [1])]),
        ("---\n\n", []),
        # An abbreviation's or an initial's dot ends no claim: the quote stays whole.
        (
            '"Mr. Taiclet has served as CEO of Lockheed" [1]',
            [('"Mr. Taiclet has served as CEO of Lockheed"', [1])],
        ),
        (
            "James D. Taiclet chairs Bayview Water Co. Its CEO. [2]",
            [("James D. Taiclet chairs Bayview Water Co. Its CEO.", [2])],
        ),
        ("Done! [1] Really? [2]", [("Done!", [1]), ("Really?", [2])]),
    ],
)
def test_split_claims(draft: str, expected: list[tuple[str, list[int]]]) -> None:
    assert split_claims(draft) == expected


def test_markers_are_stripped_and_absurd_ids_read_as_no_source() -> None:
    assert strip_markers("rose 5% [1][2, 3] and ［１］") == "rose 5%    and  "
    assert (marker_id("12"), marker_id("9" * 19)) == (12, 0)
