"""What a question leaves out or how it is written, read before any answer is given.

- **numbers only** ("12345", "2025 2026", "$175"): nothing says what to look up, so a
  search would quote whatever table holds those numbers.
- **whose figure**: "What was revenue in 2025?" names no company, fund or product, so any
  company's revenue would do, and answering gives one chosen by chance.
- **not English**: the library is in English; names, numbers and finance acronyms still
  match, so the question is answered (or refused) on those, and the reason says so.
"""

from __future__ import annotations

import re

from retrieval.lexicon import has_cjk

_WORDS = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


def _split(text: str) -> list[str]:
    return re.findall(r"\S+", text)


# A company's own figures: asked without saying whose, any company's would do. Written
# from the finance lexicon's statement items and ratios, not from any question set.
_COMPANY_FIGURES = re.compile(
    r"\b(?:revenues?|net\s+sales|total\s+sales|net\s+income|net\s+profit|net\s+earnings|"
    r"gross\s+profit|operating\s+(?:income|profit|margin|expenses|cash\s+flow)|"
    r"ebitda(?:\s+margin)?|ebit|earnings\s+per\s+share|eps|"
    r"free\s+cash\s+flow|fcf|capex|capital\s+expenditures?|cost\s+of\s+(?:goods\s+sold|sales|"
    r"revenues?)|cogs|sg&a|selling,?\s+general\s+and\s+administrative|"
    r"return\s+on\s+(?:equity|assets|invested\s+capital)|roe|roa|roic|"
    r"dividends?\s+per\s+share|dps|payout\s+ratio|working\s+capital|current\s+ratio|"
    r"quick\s+ratio|inventory\s+turnover|days\s+(?:sales|payables?|inventory)\s+outstanding|"
    r"accounts\s+(?:receivable|payable)|cash\s+conversion\s+cycle|gross\s+margins?|"
    r"net\s+margins?|profit\s+margins?|net\s+debt|total\s+debt|long[-\s]term\s+debt|"
    r"interest\s+coverage|share\s+(?:buybacks?|repurchases?)|"
    r"property,?\s+plant,?\s+and\s+equipment|pp&e|ppne|"
    r"(?:shareholders|stockholders)['’]?\s+equity|market\s+cap(?:itali[sz]ation)?|"
    r"enterprise\s+value|price\s+target|target\s+price|cash\s+(?:and|&)\s+cash\s+equivalents)\b",
    re.I,
)

# Function words of English, and of the languages advisors most often write in besides.
_ENGLISH = frozenset(
    _split(
        """the a an of in on for to is are was were what which who how why when does did do
        and or with by from at this that its it be has have will can should"""
    )
)
_FOREIGN = frozenset(
    _split(
        """el la los las del es cuál cual qué que cuánto cuanto son fue precio ingresos
        le les des du est quel quelle quels combien sont au aux était
        der die das ist und wie hoch welche wieviel viel
        il di che è qual quanto sono gli
        o os da do é são"""
    )
)


def numbers_only(question: str) -> bool:
    """No word without a digit in it: "12345", "2025 2026", "FY2025?", "$175"."""
    words = _WORDS.findall(question)
    return bool(words) and all(any(ch.isdigit() for ch in w) for w in words)


def company_figure(question: str) -> str | None:
    """The company figure the question asks for ("revenue", "price target"), if any."""
    match = _COMPANY_FIGURES.search(question)
    return " ".join(match.group().split()) if match else None


def not_english(question: str) -> bool:
    """Written in another language: Chinese, Japanese or Korean script, or function words
    of another language and none of English."""
    if has_cjk(question):
        return True
    words = [w.lower() for w in _WORDS.findall(question)]
    return not any(w in _ENGLISH for w in words) and any(w in _FOREIGN for w in words)
