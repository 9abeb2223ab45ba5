"""Where a quote lies in a passage: the page and section of the sentence, not the chunk's.

A chunk can run over a page break or into the next section. Its payload then lists its
places (``ingest.models.Place``: from which character of its text, on which page, under
which headings), and a citation names the place of the text it quotes. Quotes are the
passage's own words with whitespace normalised (``assistant.sentences.sentences``), or a
table row cut to some of its cells; either is found by its words, in order.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ingest.tables import CELL_SEP

_SPACE_RE = re.compile(r"\s+")
MIN_ANCHOR = 12  # characters a piece of a quote needs to be looked for alone


@dataclass(frozen=True, slots=True)
class Where:
    """Pages (1-based, None without pages) and section path ("A > B") of some text."""

    page_start: int | None
    page_end: int | None
    section: str


@dataclass(frozen=True, slots=True)
class Place:
    """From character ``at`` of a passage's text up to the next place: ``page``, ``section``."""

    at: int
    page: int | None
    section: str


def places_of(payload: Mapping[str, Any]) -> tuple[Place, ...]:
    """A chunk payload's places, in order; () for a chunk with one place (or an index
    built before places were recorded)."""
    places = []
    for item in payload.get("places") or ():
        page = item.get("page")
        places.append(
            Place(int(item["at"]), None if page is None else int(page), str(item["section"]))
        )
    return tuple(sorted(places, key=lambda p: p.at))


def locate(text: str, quote: str) -> tuple[int, int] | None:
    """The character range of ``text`` that ``quote`` was taken from, or None.

    Whitespace may differ (a quote joins a PDF's wrapped lines); a table row cut to some
    cells is found from its first cell to its last. None when the quote's words are not
    there in order (a computed line, a restated figure).
    """
    flat, origin = _flatten(text)
    wanted = _SPACE_RE.sub(" ", quote).strip()
    if not wanted:
        return None
    at = flat.find(wanted)
    if at >= 0:
        return origin[at], origin[at + len(wanted) - 1] + 1
    cells = [c for c in wanted.split(CELL_SEP) if c.strip()]
    if len(cells) < 2 or len(cells[0]) < MIN_ANCHOR:
        return None
    first = flat.find(cells[0])
    if first < 0:
        return None
    last = flat.find(cells[-1], first + len(cells[0]))
    if last < 0:
        return origin[first], origin[first + len(cells[0]) - 1] + 1
    return origin[first], origin[last + len(cells[-1]) - 1] + 1


def where(places: Sequence[Place], span: tuple[int, int] | None, default: Where) -> Where:
    """The place of the text at ``span`` of a passage; ``default`` (the whole passage's)
    when it has no places or the span is unknown."""
    if not places or span is None:
        return default
    starts = [p.at for p in places]
    first = places[max(bisect.bisect_right(starts, span[0]) - 1, 0)]
    last = places[max(bisect.bisect_right(starts, max(span[1] - 1, span[0])) - 1, 0)]
    pages = [p for p in (first.page, last.page) if p is not None]
    return Where(min(pages) if pages else None, max(pages) if pages else None, first.section)


def _flatten(text: str) -> tuple[str, list[int]]:
    """``text`` with each run of whitespace one space, and each character's offset in it."""
    out: list[str] = []
    origin: list[int] = []
    for match in re.finditer(r"\S+", text):
        if out:
            out.append(" ")
            origin.append(match.start() - 1)
        out.append(match.group())
        origin.extend(range(match.start(), match.end()))
    return "".join(out), origin
