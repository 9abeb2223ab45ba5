"""Numbers as a citation checker reads them: every way a source could print an amount.

"$4.2 billion", "4,200" (in millions) and "4.2bn" are the same figure; "(123)" is -123 in a
table but "(2023)" in prose is a year; full-width and other scripts' digits are digits.
``numbers_in`` gives all readings of a text's numbers, ``source_has_number`` the strict
check a computation's operand must pass.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Context, Decimal

from assistant.claims import strip_markers

MAX_NUMBER_DIGITS = 24  # longer digit runs are ids or hashes, not quantities anyone cites
_NON_ASCII_DIGIT_RE = re.compile(r"(?![0-9])\d")

_NUMBER_RE = re.compile(
    r"(?P<open>\(\s*)?"
    r"(?:(?<![\w.,)])(?P<sign>[-−]))?"
    r"(?P<currency>[$€£¥])?"
    r"(?:(?<![\w.])|(?<=\bFY))"  # glued to a word ("Q3", "covid19") is a name, not a number
    r"(?P<int>\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?P<frac>\.\d+)?"
    r"(?P<unit>\s?(?:%|percent\b|per\s?cent\b|pct\b|thousand\b|million\b|billion\b|trillion\b)"
    r"|(?:k|m|mn|b|bn|tn)\b)?"
    r"(?P<close>\s*\))?",
    re.IGNORECASE,
)
# Powers of ten of the scale words a figure may carry ("4.2 bn" = 4.2e9).
SCALES = {"thousand": 3, "k": 3, "million": 6, "m": 6, "mn": 6, "billion": 9, "b": 9, "bn": 9}
SCALES |= {"trillion": 12, "tn": 12}
_WIDE = Context(prec=80)  # exact arithmetic for any capped number times any scale


def _ascii_digits(text: str) -> str:
    """NFKC folds full-width digits; other scripts' decimal digits are mapped one by one."""
    text = unicodedata.normalize("NFKC", text)
    return _NON_ASCII_DIGIT_RE.sub(lambda m: str(unicodedata.decimal(m.group())), text)


def _value(match: re.Match[str]) -> Decimal | None:
    digits = match["int"].replace(",", "") + (match["frac"] or "")
    if len(digits) > MAX_NUMBER_DIGITS + 1:
        return None
    value = Decimal(digits)
    bracketed = bool(match["open"] and match["close"])
    is_year = bracketed and not match["frac"] and "," not in match["int"] and not match["unit"]
    if is_year and 1800 <= value < 2200:
        return value  # "(2023)" in prose is a year, not an accounting negative
    return -value if match["sign"] or bracketed else value


def _readings(value: Decimal, unit: str) -> frozenset[Decimal]:
    """Every way a table could print the amount: "$4.2 billion" is 4.2, 4,200 (millions)..."""
    power = SCALES.get(unit.strip().lower(), 0)
    shifts = (p for p in (0, 3, 6, 9, 12) if p <= power)
    return frozenset({value} | {value.scaleb(power - p, context=_WIDE) for p in shifts})


def mentions(text: str) -> list[tuple[str, frozenset[Decimal]]]:
    """Each number as written, with its readings; citation markers are not numbers."""
    text = strip_markers(_ascii_digits(text))
    out = []
    for match in _NUMBER_RE.finditer(text):
        value = _value(match)
        if value is not None:
            out.append((match.group().strip(" ()"), _readings(value, match["unit"] or "")))
    return out


def numbers_in(text: str) -> set[Decimal]:
    """All readings of every number in ``text``: commas, %, scale words and signs normalised.

    Parenthesised amounts are negative, "12%" and "12 percent" are both 12, and a scaled
    amount contributes every unit a table might use. Compare with ``==`` (Decimal equality is
    numeric: ``Decimal("12.0") == 12``).
    """
    return {reading for _, readings in mentions(text) for reading in readings}


def _rounds_to(exact: Decimal, claimed: Decimal) -> bool:
    """True when the source's more precise figure rounds to the claim's ("4.23" -> "4.2")."""
    # quantize takes the exponent of its argument, i.e. the claim's precision as written.
    return exact.quantize(claimed, rounding=ROUND_HALF_UP, context=_WIDE) == claimed


def found(readings: frozenset[Decimal], pool: frozenset[Decimal]) -> bool:
    """Signs are words as often as symbols ("a loss of 123"), so magnitudes are compared."""
    wanted = frozenset(abs(r) for r in readings)
    if wanted & pool:
        return True
    return any(_rounds_to(exact, claimed) for claimed in wanted for exact in pool)


def magnitudes(text: str) -> frozenset[Decimal]:
    return frozenset(abs(r) for _, readings in mentions(text) for r in readings)


def source_has_number(number: str, source: str) -> bool:
    """Whether the one number written in ``number`` is a figure of ``source``, scale included.

    Stricter than a claim's check, as a computation's operand must be the source's own
    figure: no rounding, and "4.2 million" is not found in "$4.2 billion". A figure with a
    scale word matches any source figure of the same full value ("4,200 million" in
    "$4.2 billion"); a bare figure ("4,200") must be printed as such.
    """
    wanted = _figures(number)
    if len(wanted) != 1:
        return False
    bare, full, scaled = wanted[0]
    return any((full == f) if scaled else (bare == b) for b, f, _ in _figures(source))


def _figures(text: str) -> list[tuple[Decimal, Decimal, bool]]:
    """Each number's magnitude as printed, with its scale word applied, and whether it had one."""
    out = []
    for match in _NUMBER_RE.finditer(strip_markers(_ascii_digits(text))):
        value = _value(match)
        if value is None:
            continue
        power = SCALES.get((match["unit"] or "").strip().lower(), 0)
        out.append((abs(value), abs(value.scaleb(power, context=_WIDE)), power > 0))
    return out


def money(text: str) -> list[tuple[str, Decimal]]:
    """Each amount of money written with its currency sign ("$1 million", "$250,000",
    "€2.5bn"), as written and at its full value; bare numbers (years, counts) are not money."""
    out = []
    for match in _NUMBER_RE.finditer(strip_markers(_ascii_digits(text))):
        value = _value(match)
        unit = (match["unit"] or "").strip().lower()
        if value is None or not match["currency"] or unit not in {*SCALES, ""}:
            continue
        written = match.group().strip(" ()")
        out.append((written, abs(value.scaleb(SCALES.get(unit, 0), context=_WIDE))))
    return out
