"""Which line item or defined measure a question asks, read as statement rows are read.

"What were Adobe's subscription revenues?" asks for the part of revenue printed as
"Subscription" (not the total), "total revenues net of interest expense" for revenues,
"How much did it pay in dividends?" for the row a cash flow statement prints as
"Dividends paid". "What is the FY2022 unadjusted EBITDA less capex?" names a defined
measure (``assistant.definitions``) less a line item. ``assistant.formulas`` looks the
figure up, or computes it.
"""

from __future__ import annotations

import dataclasses
import re

from assistant.definitions import AMOUNT, DEFINITIONS, ITEMS, OUTFLOWS, Definition
from assistant.statement_rows import LABEL_NOISE_RE, part_of
from retrieval.statements import CASH_HELD_RE, EARNED_RE, PAID_DIVIDENDS_RE

# Words that may stand right before a line item's name without making it another item:
# articles, pronouns, possessives, period words, "total", "average". Any other lower-case word
# qualifies it ("subscription revenue", "deferred revenue", "adjusted net income") and
# the statement's total of the item does not answer.
PLAIN_BEFORE_ITEM = frozenset(
    """s the it its they their we our you your a an this that of in on for by to from at as and
    was is were are did
    does much many what total net annual annually fiscal full year years yearly quarter
    quarterly consolidated reported unadjusted gaap overall group company companys worldwide
    segment segments business division region
    global latest recent most current last previous prior trailing ttm ltm average mean change
    growth higher lower more less larger smaller bigger greater vs versus
    please give show tell get find pull me us""".split()  # noqa: SIM905 (a word list reads better as words)
)

_NON_GAAP_RE = re.compile(r"\bnon[- ]?gaap\b", re.I)
# What an item is stated "net of": up to three words, not the period after it.
_NET_OF_RE = re.compile(
    r"\bnet\s+of\s+(?:(?!(?:in|for|at|during|as|of|on|by|from)\b)[A-Za-z&-]+\s*){1,3}", re.I
)


def asked_item(question: str) -> str | None:
    """The line item a question asks the figure of (``asked_line_item``), or None."""
    asked = asked_line_item(question)
    return asked[0] if asked is not None else None


def question_words(question: str) -> list[str]:
    """A question's words as row labels are read (``LABEL_NOISE_RE``), in their case, with
    "pay dividends" as the row names it and "non-GAAP" one word: it qualifies an item
    though "GAAP" is in capitals."""
    text = _NON_GAAP_RE.sub("nongaap", PAID_DIVIDENDS_RE.sub("dividends paid", question))
    text = CASH_HELD_RE.sub("cash and cash equivalents", text)
    text = EARNED_RE.sub(lambda m: m.group()[: -len("earn")] + "net income", text)
    # "Total revenues net of interest expense" asks for revenues, as its row is read.
    text = _NET_OF_RE.sub(" ", text)
    return LABEL_NOISE_RE.sub(" ", text).split()


def asked_line_item(question: str) -> tuple[str, str] | None:
    """The line item a question asks the figure of and the name it gives it ("revenue",
    "net sales"), or None. Lower-case words right before it that are not
    ``PLAIN_BEFORE_ITEM`` qualify it: "subscription revenue" asks for a part of revenue
    (``part_of``), which the item's total does not answer. A capitalised word before it is
    taken for a name."""
    words = question_words(question)
    plain = " " + " ".join(words).lower() + " "
    found = [(len(n), n, item) for item, names in ITEMS.items() for n in names if f" {n} " in plain]
    if not found:
        return None
    _, name, item = max(found)
    before = plain[: plain.index(f" {name} ")].split()
    qualifier: list[str] = []
    for word in reversed(words[: len(before)]):
        plain_word = not word.islower() or any(c.isdigit() for c in word)
        if plain_word or word in PLAIN_BEFORE_ITEM:
            break
        qualifier.insert(0, word)
    return (part_of(item, " ".join(qualifier)), name) if qualifier else (item, name)


def named_part(question: str) -> str | None:
    """The capitalised name standing right before the line item asked, after its owner's
    possessive: "Amazon's AWS operating income" -> "AWS", "Microsoft's Intelligent Cloud
    revenue" -> "Intelligent Cloud"; None for a figure asked plain ("Nike's revenue"). A
    statement prints such a part as a row under the item's heading ("Operating income:"
    then "AWS"), which ``part_of`` keys."""
    asked = asked_line_item(question)
    if asked is None:
        return None
    words = question_words(question)
    plain = " " + " ".join(words).lower() + " "
    at = len(plain[: plain.index(f" {asked[1]} ")].split())
    before = words[:at]
    while before and before[-1].lower() in _PART_KINDS:
        before.pop()  # "Aeronautics segment net sales": the segment is named before
    part: list[str] = []
    for word in reversed(before):
        if not word[0].isupper() or word.lower() in PLAIN_BEFORE_ITEM or not word.isalpha():
            break
        part.insert(0, word)
    return " ".join(part) or None


# What a part of a company is called after its name: "the Aeronautics segment".
_PART_KINDS = frozenset({"segment", "segments", "business", "division", "region"})


# A question asking for a reason or a description of a figure, not for the figure.
WHY_RE = re.compile(
    r"\b(why|drove|drive[sn]?|drivers?|reasons?|cause[sd]?|explain|describe)\b", re.I
)


# Parenthetical remarks qualify a measure, they do not name it: "D&A (from the cash flow
# statement) % margin" names the D&A margin.
PARENTHETICAL_RE = re.compile(r"\([^()]{0,80}\)|\[[^\[\]]{0,80}\]")


def without_parentheticals(question: str) -> str:
    """``question`` without its parenthetical remarks, spaces normalised."""
    return " ".join(PARENTHETICAL_RE.sub(" ", question).split())


def asks_measure(question: str) -> bool:
    """The question names a measure the definitions compute (a margin, EBITDA, a turnover):
    its operands may lie on different statements."""
    return bool(named_measures(question, without_parentheticals(question)))


def named_measures(question: str, plain: str) -> list[Definition]:
    """The definitions of the measure the question names first: a question that asks for
    the cash conversion cycle and then defines DIO, DSO and DPO asks for the cycle."""
    found: list[tuple[tuple[int, int], int, Definition]] = []
    for order, definition in enumerate(DEFINITIONS):
        # Named in the plural too: "are its gross margins consistent?"
        pattern = re.compile(rf"\b({definition.pattern})s?\b", re.I)
        # Where it is named outside parentheses first; named only inside them, after all.
        outside, anywhere = pattern.search(plain), pattern.search(question)
        if match := outside or anywhere:
            found.append(((0 if outside else 1, match.start()), order, definition))
    if not found:
        return []
    first = min(found, key=lambda f: (f[0], f[1]))[2].measure
    return [d for _, _, d in sorted(found, key=lambda f: f[1]) if d.measure == first]


# A measure asked net of a line item: "EBITDA less capex", "EBITDA minus capital
# expenditures".
_LESS_RE = re.compile(r"\s+(?:less|minus)\s+(?:the\s+)?(?P<rest>.+)", re.I)


def less_item(definition: Definition, plain: str) -> Definition:
    """``definition`` less the line item named right after it ("EBITDA less capex"): an
    amount spent is subtracted as spent, whatever sign its statement prints; else
    ``definition`` itself. Only an amount less an amount: a ratio less a line item means
    nothing."""
    named = re.search(rf"\b({definition.pattern})s?\b", plain, re.I)
    less = _LESS_RE.match(plain, named.end()) if named is not None else None
    if less is None or definition.unit != AMOUNT:
        return definition
    words = " " + " ".join(question_words(less["rest"])).lower() + " "
    found = [
        (len(n), item) for item, names in ITEMS.items() for n in names if words.startswith(f" {n} ")
    ]
    if not found:
        return definition
    _, item = max(found)
    subtracted = f"abs({item})" if item in OUTFLOWS else item
    return dataclasses.replace(
        definition,
        measure=f"{definition.measure} less {item.replace('_', ' ')}",
        expression=f"{definition.expression} - {subtracted}",
        printed="",
    )
