"""Tiers of a tiered table, and the one that holds an amount a question names.

Fee schedules and rate sheets print bands, not amounts: "What advisory fee applies to a
$3 million account?" is answered by the row "Next $4,000,000 (from $1,000,001 to
$5,000,000) | Annual fee rate: 0.80%", which shares no word with the question. ``band``
reads a row's label as the range of amounts it covers, and ``holds`` says whether a
sentence covers an amount: a row whose band holds it, or a sentence that states it.
"""

from __future__ import annotations

import re
from decimal import Decimal

from assistant.quantities import money
from ingest.tables import CELL_SEP

_INFINITY = Decimal("Infinity")
# "$1,000,000 to $4,999,999", "from $1,000,001 to $5,000,000", "between $1m and $5m",
# "$100,000 - $249,999": the last range in the label (a "Next $4,000,000" band states its
# bounds in brackets after its width). "and" joins bounds only after "between": "$1,000
# and $2,000 fees" are two amounts.
_RANGE_RE = re.compile(
    r"(?P<between>\bbetween\s+)?(?P<low>[$€£¥]\s?\d[\d,.]*\s?(?:[a-z]+\b)?)\s*"
    r"(?:to|through|-|–|—|(?(between)and|(?!)))\s*"
    r"(?P<high>[$€£¥]?\s?\d[\d,.]*\s?(?:[a-z]+\b)?)",
    re.IGNORECASE,
)
_UP_TO_RE = re.compile(
    r"\b(?:under|below|less\s+than|up\s+to|first|not\s+over|not\s+more\s+than)\s+(?=[$€£¥])",
    re.IGNORECASE,
)
_FROM_RE = re.compile(
    r"\b(?:above|over|more\s+than|greater\s+than|exceeding|in\s+excess\s+of)\s+(?=[$€£¥])"
    r"|(?<=\d)\s*(?:\+|(?:and\s+(?:above|over|more)|or\s+(?:more|above|over)|plus)\b)",
    re.IGNORECASE,
)
MAX_LABEL_CHARS = 120  # a band is a row's label, not a paragraph that names two amounts


def band(label: str) -> tuple[Decimal, Decimal] | None:
    """The amounts a row's label covers, both ends included, or None for a label that is
    no band ("Total expense ratio", "Outgoing domestic wire")."""
    if len(label) > MAX_LABEL_CHARS:
        return None
    ranges = list(_RANGE_RE.finditer(label))
    if ranges:
        last = ranges[-1]
        low, high = money(last["low"]), money(_with_sign(last["high"], last["low"]))
        if low and high and low[0][1] <= high[0][1]:
            return low[0][1], high[0][1]
    amounts = money(label)
    if len(amounts) != 1:
        return None
    value = amounts[0][1]
    if _UP_TO_RE.search(label):
        return Decimal(0), value
    if _FROM_RE.search(label):
        return value, _INFINITY
    return None


def _with_sign(high: str, low: str) -> str:
    """ "$1m to 5m": the upper bound takes the lower's currency sign when it has none."""
    high = high.strip()
    if high[:1] not in "$€£¥":
        high = low.strip()[0] + high
    return high


def holds(sentence: str, amount: Decimal) -> bool:
    """Whether a sentence covers the amount: a table row whose label is a band holding it,
    or a sentence stating that amount."""
    label = sentence.split(CELL_SEP, 1)[0] if CELL_SEP in sentence else None
    if label is not None:
        bounds = band(label)
        if bounds is not None:
            return bounds[0] <= amount <= bounds[1]
    return any(value == amount for _, value in money(sentence))
