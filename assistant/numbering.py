"""Citation numbers for a draft as it streams, the same ones verification gives at the end.

A generator cites sources by their index (``[5]``, ``[2]``); the final answer numbers them
in order of first use (``[1]``, ``[2]``). Rewriting the markers while the tokens stream, by
the same rule, means the reader never sees a number change: a citation that verification
drops leaves a gap, it does not shift the others (``assistant.citations._renumber``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.claims import MARKER_PATTERN, marker_id

_MARKER_RE = re.compile(MARKER_PATTERN)
# What may still grow into a marker at the end of the text seen so far: "[", "[1", "[1, ".
_PARTIAL_RE = re.compile(r"[\[［]\s*(?:\d+\s*[,;]\s*)*\d*\s*$")
MAX_HELD = 64  # a longer unfinished "[..." is plain text, not a marker


class StreamNumbering:
    """Feed tokens in, get them out with markers renumbered; ``flush`` at the end."""

    def __init__(self, n_sources: int, emit: Callable[[str], None]) -> None:
        self._n_sources = n_sources
        self._emit = emit
        self._held = ""
        self._numbers: dict[int, int] = {}

    def feed(self, token: str) -> None:
        text = self._held + token
        partial = _PARTIAL_RE.search(text)
        cut = partial.start() if partial and len(text) - partial.start() <= MAX_HELD else len(text)
        self._held = text[cut:]
        if cut:
            self._emit(self._rewrite(text[:cut]))

    def flush(self) -> None:
        if self._held:
            held, self._held = self._held, ""
            self._emit(self._rewrite(held))

    def _rewrite(self, text: str) -> str:
        return _MARKER_RE.sub(self._renumber, text)

    def _renumber(self, match: re.Match[str]) -> str:
        ids = [marker_id(d) for d in re.findall(r"\d+", match.group())]
        valid = [i for i in dict.fromkeys(ids) if 1 <= i <= self._n_sources]
        numbers = [self._numbers.setdefault(i, len(self._numbers) + 1) for i in valid]
        return "".join(f"[{n}]" for n in numbers)
