"""Short words written in capitals: tickers and names, not words ("CAT", "ON", "NOW").

In a question written in normal case, "What is the price target for CAT?" asks about a
ticker, not a pet; in one written all in capitals, capitals say nothing.
"""

from __future__ import annotations

import re

_CAPS_WORD = re.compile(r"(?<![\w&'’.-])[A-Z]{2,5}(?![\w&'’-])")


def shouting(text: str) -> bool:
    """Mostly capitals: then capitals say nothing about names."""
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and sum(ch.isupper() for ch in letters) > len(letters) / 2


def capitalised_words(text: str) -> list[str]:
    """Short words written in capitals in a text otherwise in normal case, in order."""
    if shouting(text):
        return []
    return list(dict.fromkeys(_CAPS_WORD.findall(text)))


def is_ticker_like(surface: str, text: str) -> bool:
    """``surface`` (a word or phrase found in ``text``) is written in capitals there, in a
    text otherwise in normal case."""
    return surface.isupper() and len(surface) >= 2 and not shouting(text)
