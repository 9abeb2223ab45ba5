"""Claims of a draft answer and the citation markers they carry.

A draft marks claims with ``[1]``, ``[1][3]`` or ``[1, 3]`` (full-width brackets too),
1-based indices into the sources. ``split_claims`` cuts a draft into sentences (or lines),
each with its markers removed and the indices it cites, in order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_MARKER_DIGITS = 18  # a longer marker cannot name a real source; it reads as 0

_MARKER = r"[\[［]\s*\d+(?:\s*[,;]\s*\d+)*\s*[\]］]"
_MARKER_RE = re.compile(_MARKER)
MARKER_PATTERN = _MARKER  # one citation marker: "[1]", "[1, 3]", full-width brackets too
# Lookbehinds let a match start only where a run starts: long blank or "!!!" runs stay linear.
_RUN_RE = re.compile(rf"(?<![ \t])[ \t]*{_MARKER}(?:[ \t]*{_MARKER})*")
# A sentence ends at . ! ? (plus closing quotes) and takes the markers that follow it, so
# "... 5%. [1] Next" keeps [1] with the first sentence; the possessive run stops the regex
# from backtracking to split between the period and its markers. Lines always end a claim; a
# line holding only markers joins the claim before it. Dot leaders in a statement row
# ("Net income ........ $ 629,551") are no sentence end.
# The dot of a company's or title's abbreviation, or of a person's initial, ends no
# sentence: "Bayview Water Co. (BYWW)", "Mr. Taiclet has served as ...", "James D.
# Taiclet" (``assistant.sentences`` reads them alike).
ABBREVIATIONS = ("Co", "Inc", "Corp", "Ltd", "Bros", "No", "U.S", "Mr", "Ms", "Mrs", "Dr", "Jr")
NOT_ABBREVIATED = "".join(rf"(?<!\b{re.escape(a)})" for a in ABBREVIATIONS) + r"(?<!\b[A-Z])"
_BOUNDARY_RE = re.compile(
    rf"(?<![.!?])(?!\.{{4}})(?:[!?]|{NOT_ABBREVIATED}\.)[.!?]*+[\"'”’)]*+(?:[ \t]*{_MARKER})*+"
    r"(?=\s+[^\sa-z|]|\s*$)|\n+"
)
WORD_RE = re.compile(r"[^\W_]")


def strip_markers(text: str) -> str:
    """``text`` with every citation marker replaced by a space (markers are not numbers)."""
    return _MARKER_RE.sub(" ", text)


@dataclass(frozen=True, slots=True)
class _Run:
    """A run of adjacent markers ("[1][3]", "[1, 3]") and where it sits in the draft."""

    start: int
    end: int
    ids: tuple[int, ...]


@dataclass(slots=True)
class Segment:
    text: str
    runs: list[_Run]

    @property
    def cited(self) -> tuple[int, ...]:
        return tuple(dict.fromkeys(i for run in self.runs for i in run.ids))


def marker_id(digits: str) -> int:
    """The source index a marker's digits name (absurdly long ones read as 0, no source)."""
    return _marker_id(digits)


def _marker_id(digits: str) -> int:
    return int(digits) if len(digits) <= MAX_MARKER_DIGITS else 0


def _add_segment(draft: str, start: int, end: int, out: list[Segment]) -> None:
    """Append the claim in draft[start:end]; markers alone on a line join the claim before."""
    runs, pieces, pos = [], [], start
    for match in _RUN_RE.finditer(draft, start, end):
        ids = tuple(_marker_id(d) for d in re.findall(r"\d+", match.group()))
        runs.append(_Run(match.start(), match.end(), ids))
        pieces.append(draft[pos : match.start()])
        pos = match.end()
    pieces.append(draft[pos:end])
    text = " ".join("".join(pieces).split())
    if WORD_RE.search(text):
        out.append(Segment(text, runs))
    elif runs and out:
        out[-1].runs.extend(runs)
    elif runs:
        out.append(Segment("", runs))


def draft_segments(draft: str) -> list[Segment]:
    out: list[Segment] = []
    start = 0
    for end in [*(m.end() for m in _BOUNDARY_RE.finditer(draft)), len(draft)]:
        _add_segment(draft, start, end, out)
        start = end
    return out


def split_claims(text: str) -> list[tuple[str, list[int]]]:
    """Sentences (or lines) with their markers removed, and the indices they cite in order."""
    return [(segment.text, list(segment.cited)) for segment in draft_segments(text)]
