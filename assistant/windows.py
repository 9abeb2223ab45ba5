"""What of a long source a prompt shows: the lines that bear on the question, in order.

A small model reads prompts slowly, so each source is cut to a few hundred characters; cut
from its start, a statement page shows its title and first rows and loses the row asked
("Purchases of property, plant and equipment" twenty lines down). ``window`` keeps, within
the same budget, the lines that share the most (rare) words with the question or their
synonyms (the finance lexicon's, the statement line items'), each with the column header
it stands under, in the source's order, an ellipsis line where lines were left out; the
budget left goes to the lines around them. A source that fits is shown whole; one whose
lines share nothing with the question is cut from its start, as before.
"""

from __future__ import annotations

import bisect
import math
from collections import Counter

from assistant.definitions import ITEMS
from assistant.extractive import expansions
from assistant.sentences import focus
from ingest.sparse import tokenize
from ingest.statements import header_years
from retrieval.lexicon import LEXICON

GAP = "…"  # a line standing for the lines left out
SYNONYM_WEIGHT = 0.5  # a word of a lexicon synonym counts half of one the question writes
# Groups of names for one thing: the finance lexicon's, and the statement line items'
# ("capital expenditure": "purchases of property, plant and equipment").
_FORMS = tuple(
    tuple(frozenset(tokenize(term)) for term in group) for group in (*LEXICON, *ITEMS.values())
)


def window(text: str, question: str, max_chars: int) -> str:
    """``text`` cut to at most ``max_chars`` characters (plus the ellipses that mark the
    gaps), keeping the lines that best match ``question``."""
    text = text.strip()
    if len(text) <= max_chars:
        return text
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    terms = _terms(question)
    present = [set(tokenize(line)) for line in lines]
    df = Counter(t for words in present for t in words)
    scores = [
        sum(w * math.log(1 + len(lines) / df[t]) for t, w in terms.items() if t in words)
        for words in present
    ]
    headers = [i for i, line in enumerate(lines) if header_years(line) is not None]
    for index in headers:  # a column header says when, not what: kept with its rows only
        scores[index] = 0.0
    kept: set[int] = set()
    used = 0
    for index in sorted(range(len(lines)), key=lambda i: (-scores[i], i)):
        if scores[index] <= 0:
            break
        above = bisect.bisect_left(headers, index)
        wanted = {index, headers[above - 1]} if above else {index}
        cost = sum(len(lines[i]) + 1 for i in wanted - kept)
        if used + cost > max_chars:
            continue
        kept |= wanted
        used += cost
    if not kept:  # no line shares a word with the question, or none fits
        return head(text, max_chars)
    # The budget left goes to the lines nearest those kept (the rows around the one asked,
    # the caption above), nearest first.
    near = sorted(
        (i for i in range(len(lines)) if i not in kept),
        key=lambda i: (min(abs(i - k) for k in kept), i),
    )
    for index in near:
        if used + len(lines[index]) + 1 <= max_chars:
            kept.add(index)
            used += len(lines[index]) + 1
    out: list[str] = []
    previous = -1
    for index in sorted(kept):
        if index != previous + 1:
            out.append(GAP)
        out.append(lines[index])
        previous = index
    if previous < len(lines) - 1:
        out.append(GAP)
    return "\n".join(out)


def _terms(question: str) -> dict[str, float]:
    """The question's asking words (weight 1) and those of their lexicon synonyms (0.5)."""
    asked = focus(question)
    own = set(tokenize(asked + expansions(asked)))
    weights = dict.fromkeys(own, 1.0)
    for forms in _FORMS:
        if any(form and form <= own for form in forms):
            for form in forms:
                for token in form - own:
                    weights.setdefault(token, SYNONYM_WEIGHT)
    return weights


def head(text: str, max_chars: int) -> str:
    """``text`` whole if it fits in ``max_chars``, else cut there with an ellipsis."""
    text = text.strip()
    return text if len(text) <= max_chars else text[:max_chars].rstrip() + " " + GAP
