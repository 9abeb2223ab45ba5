"""Which claims of a verified draft stand, and the citations they keep.

``supported`` keeps the sentences with at least one supported citation and reports the
rest; ``for_part`` first takes the figure away from claims that do not give it for the
part of a company asked (a segment, region or product): asked for Greater China, the
company's total is no answer.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from assistant.answer import Citation
from assistant.answerability import names_all
from assistant.citations import Claim, Verification, VerifiedCitation
from assistant.extractive import names_measure
from assistant.subjects import heading
from retrieval.types import Passage


def for_part(
    checked: Verification, names: Sequence[str], measure: str, sources: Sequence[Passage]
) -> Verification:
    """``checked`` with only the claims standing that give ``measure`` for the part of a
    company ``names`` name: a sentence naming both ("Sam's Club had net sales of $58.8
    billion"), the part's row ("Intelligent Cloud 87,907 74,965"), or a line naming the
    measure in a passage headed by the part ("TOTAL REVENUES $ 7,248" under "GREATER
    CHINA"). Asked for a part, the company's total is no answer."""
    headed = {i for i, p in enumerate(sources, start=1) if names_all(names, heading(p.text))}
    cited: dict[int, set[int]] = {}
    for citation in checked.citations:
        cited.setdefault(citation.claim, set()).add(citation.source)

    def gives(index: int, claim: Claim) -> bool:
        if all(re.match(rf"\W*{re.escape(n)}\b[^a-z]*\d", claim.text, re.I) for n in names):
            return True
        about = names_all(names, claim.text) or bool(cited.get(index, set()) & headed)
        return about and names_measure(claim.text, measure)

    claims = [
        c
        if gives(i, c)
        else dataclasses.replace(c, numbers=(), reason=f"not {measure} of {names[0]}")
        for i, c in enumerate(checked.claims)
    ]
    return dataclasses.replace(checked, claims=claims)


def supported(
    checked: Verification, sources: Sequence[Passage]
) -> tuple[str, list[Citation], list[str]]:
    """Keep sentences with at least one supported citation; report the rest.

    A sentence also flagged for citing a source that does not exist keeps its supported
    citations (the bad marker is already gone); one with none left is dropped.
    """
    kept_lines: list[str] = []
    dropped: list[str] = []
    used: set[int] = set()
    kept_claims: set[int] = set()
    for index, claim in enumerate(checked.claims):
        if not claim.numbers:
            dropped.append(claim.text)
            continue
        kept_claims.add(index)
        kept_lines.append(claim.text + " " + "".join(f"[{n}]" for n in claim.numbers))
        used.update(claim.numbers)
    best: dict[int, VerifiedCitation] = {}
    for c in checked.citations:
        if c.number in used and (c.number not in best or c.support > best[c.number].support):
            best[c.number] = c
    citations = []
    for number in sorted(best):
        source = sources[best[number].source - 1]
        # The other sentences citing the source may quote it on another page or section.
        others = [
            c.quote
            for c in checked.citations
            if c.number == number and c.supported and c.quote and c.claim in kept_claims
        ]
        citation = Citation.of(number, source, best[number])
        citations.append(citation.quoting_also(source, others))
    return "\n".join(kept_lines), citations, dropped
