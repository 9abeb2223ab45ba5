"""The names a question asks about: companies, funds, products, and which it compares.

``subject_names`` reads the capitalised names of a question that say what it is about (a
metric's capitalised name, a person addressed or a masking placeholder is none);
``compared_names`` those it asks about side by side; ``qualifies`` whether a name is a
part of a company whose figure is asked ("revenue in Greater China"). The answerability
check (``assistant.answerability``) holds the sources against them.
"""

from __future__ import annotations

import itertools
import re

from ingest.sparse import tokenize
from retrieval.lexicon import LEXICON
from retrieval.mentions import extract_entities
from retrieval.routing import name_pattern, name_words

# Words of a name that do not identify anything ("Inc", "Group", "Fund" alone).
GENERIC = name_words(
    "inc corp corporation company co plc ltd llc group holdings incorporated sa ag nv "
    "the fund funds class share shares"
)
# The same words stemmed, as ``tokenize`` reads a text: "Inc", "Co." name nothing asked.
GENERIC_STEMS = frozenset(tokenize(" ".join(GENERIC)))
# Question words that say how to answer, not what about.
INSTRUCTION = frozenset(
    tokenize(
        "answer question respond response provide give calculate compute round using use "
        "based basing according rely relying detail details shown show statement statements "
        "information report reported reporting fiscal year years fy quarter quarterly annual "
        "amount number value total figure figures metric million millions billion billions "
        "usd dollar dollars percent percentage ratio define defined definition formula "
        "approximately approximation reasonable exact possible plainly best abilities "
        "company company's companies firm firms data document documents filing filings "
        "change compare compared comparison difference much many term terms"
    )
)
# Financial vocabulary: capitalised metric names ("Unadjusted EBITDA") are not names.
_FINANCE_TERMS = frozenset(t for group in LEXICON for term in group for t in tokenize(term))
# Each lexicon term as its words ("free cash flow"), connectives left out.
_LEXICON_TERMS = frozenset(
    frozenset(name_words(term) - {"and", "of", "the", "to", "on", "in"})
    for group in LEXICON
    for term in group
) - {frozenset()}
_FINANCE_WORDS = frozenset(
    w for group in LEXICON for term in group for w in name_words(term) | name_words(term + "s")
)

_COMPARISON = re.compile(
    r"\b(?:compare[sd]?|comparison|versus|vs\.?|relative\s+to|against|both|between|"
    r"differ(?:ence|s)?)\b",
    re.I,
)
# A comparative set against a name: "Was Amazon's revenue higher than Walmart's?", "Did
# Nike have more cash than Adidas?" (a name must follow "than": "3M's revenue in Europe
# less than $5 billion" compares no names).
_THAN = re.compile(
    r"\b(?:higher|lower|more|less|larger|smaller|greater|bigger|better|worse|cheaper|dearer"
    r"|costlier|pricier|riskier|safer|stronger|weaker|faster|slower)\b"
    r"(?:\s+[^\s?.,;]+){0,5}?\s+than\s+(?:that\s+of\s+|those\s+of\s+)?(?:the\s+)?",
    re.I,
)
_CAMEL = re.compile(r"(?<![\w&])[a-z]{1,3}[A-Z][A-Za-z]{2,}\b")  # eBay, iShares
_PLACEHOLDER = re.compile(r"\[[A-Z_]{2,20}\]")
_PERSON = re.compile(
    r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame)\.?\s+[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?"
)


def name_tokens(name: str) -> frozenset[str]:
    """The identifying words of a name, as written (lower case)."""
    return name_words(name) - GENERIC


def subject_names(question: str) -> list[tuple[str, frozenset[str]]]:
    """Names in the question that say what it is about, with their identifying words.

    A capitalised phrase made only of financial vocabulary ("Adjusted EBITDA", "Free Cash
    Flow") names a metric, not a company, fund or product. A person addressed with a title
    ("my client Mrs Chen") is who the advice is for, not what the research covers, and the
    placeholders personal-data masking leaves ("[CARD]") are no names at all.
    """
    question = _PERSON.sub(" ", _PLACEHOLDER.sub(" ", question))
    names = []
    camel = [m.group() for m in _CAMEL.finditer(question)]
    for entity in dict.fromkeys([*extract_entities(question), *camel]):
        tokens = name_tokens(entity)
        if tokens and not _metric(entity):
            names.append((entity, tokens))
    return names


# What may stand between two names a question lists together: "3M's and Honeywell's",
# "Nike, Adidas or Puma", "Costco vs Walmart", "the A Fund or the B Fund".
_NAME_JOINT = re.compile(
    r"^(?:['’]s)?\s*(?:,\s*(?:and\s+|or\s+)?|(?:and|or)(?:\s+(?:of|for|at))?|&|vs\.?|versus)"
    r"\s*(?:the\s+)?$",
    re.I,
)
# A question that ends on a second name's possessive leaves its figure unsaid: the same
# as the first's ("Amazon's operating income in 2022, and what was Apple's?").
_ENDS_ON_POSSESSIVE = re.compile(r"['’]s?\s*[?.!]*\s*$")
_AND_THEN = re.compile(
    r"(?:,\s*)?\b(?:and|or|vs\.?|versus)\s+(?:(?:what|how\s+much)\s+(?:was|were|is|are|about)"
    r"\s+|what\s+about\s+)?(?:the\s+)?$",
    re.I,
)


def compared_names(question: str) -> list[str]:
    """The names a question asks about side by side: two or more subject names, in a
    question that compares ("compare", "versus", "between", ...) or lists them together
    ("3M's and Honeywell's capital expenditure"). Empty for a question about one name
    (a second name that qualifies it, "3M's revenue in Europe", is not listed with it, and
    names listed after one name's possessive are its parts)."""
    names = [name for name, _ in subject_names(question)]
    if len(names) < 2:
        return []
    if _COMPARISON.search(question):
        return names
    after_than = [m.end() for m in _THAN.finditer(question)]
    if any(name_pattern(n).match(question, at) for at in after_than for n in names):
        return names
    found = sorted(
        (m.start(), m.end(), name)
        for name in names
        if (m := name_pattern(name).search(question)) is not None
    )
    joined = any(
        _NAME_JOINT.match(question[end:start])
        for (_, end, _), (start, _, _) in itertools.pairwise(found)
    )
    if len(found) > 1 and possessive(found[0][2], question):
        (_, before, _), (start, end, _) = found[-2], found[-1]
        joined = joined or (
            _ENDS_ON_POSSESSIVE.match(question[end:]) is not None
            and _AND_THEN.search(question[before:start]) is not None
        )
    # Names listed right after one name's possessive, none of them possessive, are its
    # parts, not names compared: "Boeing's Defense, Space & Security revenue", "3M's
    # Safety and Industrial net sales" (but "3M's and Honeywell's net sales" compares).
    afterpossessive = len(found) > 1 and re.fullmatch(
        r"['’]s?\s+", question[found[0][1] : found[1][0]]
    )
    if afterpossessive and not any(possessive(name, question) for _, _, name in found[1:]):
        return []
    return names if joined else []


def possessive(name: str, question: str) -> bool:
    """``name`` written in the possessive: "Goldman Sachs'", "Apple's"."""
    return re.search(rf"{name_pattern(name).pattern}['’]s?(?!\w)", question) is not None


def qualifies(name: str, figure: str, question: str) -> bool:
    """``name`` qualifies the company figure asked, written beside it, at most two words
    between: "revenue from Comirnaty", "revenue in Europe", "Comirnaty revenue", "Las
    Vegas Strip net revenue", "North America segment operating income"; or owned by the
    name before it, wherever the figure stands ("revenue did Microsoft's Intelligent
    Cloud segment generate")."""
    name_re, figure_re = name_pattern(name).pattern, re.escape(figure)
    between = r"(?:\s+[\w-]+){0,2}?"
    after = rf"{figure_re}{between}\s+(?:from|in|of|for|at|on|by)\s+(?:the\s+|its\s+)?{name_re}"
    before = rf"{name_re}(?:['’]s?)?{between}\s+{figure_re}"
    owned = rf"\w['’]s?\s+{name_re}"  # "did Microsoft's Intelligent Cloud segment generate"
    return re.search(f"{after}|{before}|{owned}", question, re.IGNORECASE) is not None


def _metric(phrase: str) -> bool:
    """A capitalised phrase that names a measure: financial and instruction words only,
    holding a whole term of the lexicon ("Total Revenue", "Free Cash Flow"), or nothing but
    instruction words ("USD Millions"). Words that are each financial without forming a
    term are a name ("Dollar General": a currency and half of "selling, general and
    administrative")."""
    words = [w for w in name_words(phrase) if not w.isdigit()]
    if not words or not all(_finance_word(w) for w in words):
        return False
    if all(s in INSTRUCTION for w in words for s in tokenize(w)):
        return True
    present = set(words) | {w.removesuffix("s") for w in words}
    return any(term <= present for term in _LEXICON_TERMS)


def _finance_word(word: str) -> bool:
    """A word of financial vocabulary or of an instruction, as written or stemmed; a
    short stem must match as written ("Boeing" stems to "boe", the Bank of England)."""
    if word in _FINANCE_WORDS:
        return True
    stems = tokenize(word)
    return bool(stems) and all(
        s in INSTRUCTION or (s in _FINANCE_TERMS and len(s) >= 5) for s in stems
    )
