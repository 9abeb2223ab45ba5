"""Names asked side by side ("Compare 3M's and Amazon's revenue"): each covered name's
part of an answer is written from its own sources, then every line is put under its name
and every name without an answer gets a line saying why (``Pipeline`` runs the searches
and the generator)."""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Sequence

from assistant.answer import Citation
from assistant.answerability import Answerability, Library, sources_about
from assistant.compute import Computation
from retrieval.types import Passage

_MARKER = re.compile(r"\[(\d+)\]")

# How the answerability checks say a name has no source about it, or none for the period.
NAME_REASONS = (
    "nothing in the library mentions",
    "the passages found are not about",
    "the passages found do not mention",
    "no source reports",  # "... 2021 for Walmart": a period one compared name lacks
)


def by_name(
    text: str,
    citations: Sequence[Citation],
    sources: Sequence[Passage],
    verdict: Answerability,
    library: Library,
) -> str:
    """A comparison's answer with each line under the name its citations are about
    ("3M: ..."), then a line for each name asked that no source is about, saying why."""
    documents = {
        name: {sources[i].document_id for i in sources_about(name, sources, library)}
        for name in verdict.covered
    }
    cited = {c.number: c.document_id for c in citations}
    owned: dict[str, list[str]] = {name: [] for name in verdict.covered}
    rest: list[str] = []
    for line in text.splitlines():
        numbers = [int(n) for n in _MARKER.findall(line)]
        owner = next(
            (n for n, docs in documents.items() if any(cited.get(i) in docs for i in numbers)),
            None,
        )
        (owned[owner] if owner is not None else rest).append(line)
    lines = [
        line
        for name, own in owned.items()
        for line in ([f"{name}: {own[0]}", *own[1:]] if own else [])
    ]
    lines += rest
    for name, own in owned.items():
        if not own:  # its sources were found, but no quote of them answers
            lines.append(f"No answer for {name}: the passages about {name} do not answer this.")
    for name in verdict.missing:
        why = next((r for r in verdict.reasons if r.startswith(NAME_REASONS) and
                    r.endswith(name)), "no source is about it")  # fmt: skip
        lines.append(f"No answer for {name}: {why}.")
    return "\n".join(lines)


def take_turns(lists: Sequence[Sequence[Passage]]) -> list[Passage]:
    """The first of each list, then the second of each, and so on."""
    longest = max((len(items) for items in lists), default=0)
    return [items[rank] for rank in range(longest) for items in lists if rank < len(items)]


def over_all(computation: Computation, about: Sequence[int]) -> Computation:
    """A computation over a subset of the sources, over all of them."""
    operands = tuple(
        dataclasses.replace(o, source=about[o.source - 1] + 1) for o in computation.operands
    )
    return dataclasses.replace(computation, operands=operands)


def markers_over_all(text: str, about: Sequence[int]) -> str:
    """``text`` written over a subset of the sources (``about``, 0-based indices into all
    of them), with its markers as markers of all of them."""
    return _MARKER.sub(functools.partial(_renumber, about=about), text)


def _renumber(match: re.Match[str], about: Sequence[int]) -> str:
    """A marker of a subset of the sources, as a marker of all of them."""
    n = int(match.group(1))
    return f"[{about[n - 1] + 1}]" if 1 <= n <= len(about) else match.group()
