"""A passage's sentences and table rows, and the asking part of a question.

Quotes are whole sentences or rows (``sentences``), never cut where a company's name has a
dot ("Bayview Water Co."); a filing's running header or footer and a title restated on
the page are no sentence to quote (``is_furniture``), nor a line naming what follows it
(``is_label``, ``captions_in``). ``focus`` is what a question asks, without the
instructions around it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from assistant.claims import ABBREVIATIONS
from assistant.subjects import is_byline
from ingest.sparse import tokenize
from ingest.tables import CELL_SEP

# Sentence ends, or line breaks (table rows and list items are lines). A sentence ends at
# . ! or ? (a closing quotation mark or bracket may follow) before anything but a lower-case
# letter or a table's cell bar: a capital, a digit, an opening quotation mark, straight or
# curly ("... officer. “For the first time ..."), a "$" or a list's dash ("... bonds. -
# Pauses are ..."). Dot leaders ("Net income ........ $ 629") end nothing. This is where
# ``assistant.claims`` cuts a draft into claims, so a quoted sentence is never cut in two
# there (the first half would carry no marker); ``assistant.citations`` splits alike.
# The dot of a company's or title's abbreviation ends no sentence: "Bayview Water Co.
# (BYWW): Underperform", "in accordance with U.S. GAAP", "Apple Inc. The company" (the
# last read as one sentence rather than a name cut in two). Nor does a person's initial
# ("James D. Taiclet has served as ...").
_NOT_AFTER = "".join(rf"(?<!\b{re.escape(a)}\.)" for a in ABBREVIATIONS) + r"(?<!\b[A-Z]\.)"
SENTENCE_SPLIT_RE = re.compile(
    rf"(?:(?<=[.!?])|(?<=[.!?][\"'”’)])){_NOT_AFTER}(?<!\.\.\.\.)\s+(?=[^\sa-z|])|\n+"
)
# A line break inside a sentence: PDF text is wrapped at the page's width, so "totaled
# $1.6\nbillion compared" is one sentence. A line that does not end a sentence, a label
# (":") or a table cell, followed by one that starts in lower case, continues it.
_WRAP_RE = re.compile(r"(?<=[^\s.!?:;|])[ \t]*\n[ \t]*(?=[a-z])")
# Nor does a line ending in a word no sentence or label ends with ("a 12-month price
# target of\n$175.00.", "Initiating at\nOutperform"), whatever starts the next, unless
# the next is a page's number alone.
_OPEN_END_RE = re.compile(
    r"(?<![^\s(])(of|to|the|an?|and|or|at|in|on|for|with|by|from|than|per|into|between|as"
    r"|our|its|their|this|these|those|any|each|every|which|whose|is|are|was|were|be|been"
    r"|will|would|could|should|may|not)[ \t]*\n[ \t]*(?=[^\s|])(?!\d{1,4}[ \t]*(?:\n|$))"
)
MIN_CHARS = 12
MAX_CHARS = 600


# A byline wraps at the page's width too, in the middle of its last field ("... | 17
# February 2026 | Priya\nRaman, CFA, Senior Analyst", "Lead author: Dana Whitfield,\nChief
# Investment Officer"): a last field that names no role yet (no comma within it) is ended
# by the next line, when that has a few words and no cell or label of its own.
_BYLINE_TAIL_WORDS = 10


def _join_byline_wraps(text: str) -> str:
    if CELL_SEP not in text:
        return text
    lines = text.split("\n")
    out: list[str] = []
    joined = False
    for line in lines:
        before = out[-1] if out else ""
        last = before.rsplit(CELL_SEP, 1)[-1].strip()
        if (
            not joined
            and (last[-1:].isalpha() or last.endswith(","))
            and "," not in last.rstrip(",")  # "Tom Keller, Analyst, Energy" is whole
            and line.strip()
            and CELL_SEP not in line
            and ":" not in line  # "Sector view: Market Perform" starts the text
            and len(line.split()) <= _BYLINE_TAIL_WORDS
            and is_byline(before)
        ):
            out[-1] = f"{before} {line.strip()}"
            joined = True
        else:
            out.append(line)
            joined = False
    return "\n".join(out)


def sentences(text: str) -> list[str]:
    """Sentences and table rows of a passage, whitespace-normalised, in order."""
    out = []
    joined = _OPEN_END_RE.sub(r"\1 ", _join_byline_wraps(text))
    for piece in SENTENCE_SPLIT_RE.split(_WRAP_RE.sub(" ", joined)):
        piece = " ".join(piece.split())
        if MIN_CHARS <= len(piece) <= MAX_CHARS:
            out.append(piece)
    return out


# A running header or footer of a filing: its name and a page number ("2023 FORM 10-K 19",
# "57 Verizon 2022 Annual Report on Form 10-K").
_FILING_NAME_RE = re.compile(r"\b(?:annual\s+report|(?:form\s+)?10-[KQ])\b", re.I)
_PAGE_NUMBER_RE = re.compile(r"\d{1,3}")
_RUNNING_WORDS = 10


def words_of(text: str) -> tuple[str, ...]:
    """The words of ``text``, lower-cased, punctuation and spacing left out."""
    return tuple(re.findall(r"\w+", text.lower()))


def is_furniture(sentence: str, titles: set[str]) -> bool:
    """A running header such as 'Firm | Document title Page 3', or a filing's running
    header or footer."""
    words = sentence.split()
    if (
        len(words) <= _RUNNING_WORDS
        and _FILING_NAME_RE.search(sentence)
        and (_PAGE_NUMBER_RE.fullmatch(words[0]) or _PAGE_NUMBER_RE.fullmatch(words[-1]))
    ):
        return True
    return any(title and title in sentence and len(sentence) < len(title) + 40 for title in titles)


# Questions often carry instructions around the ask ("Answer in USD millions.", "Using the
# cash flow statement, answer the following question: how much ..."). Their words
# ("statement", "answer", "information") are not what a quote should cover.
_SENTENCE_RE = re.compile(r"[^.?!]*(?:[.?!]+|$)")
MIN_ASK_TERMS = 2  # content terms an ask needs to stand without its context
_WH = r"what|how|which|who|whom|whose|when|where|why"
_AUX = r"is|are|was|were|did|does|do|has|have|had|can|could|will|would|should"
# The ask starts the sentence, or follows a lead-in clause's comma or colon with a wh-word
# (after a comma an auxiliary verb is as likely the subject's: "Revenue, as reported, was").
_ASK_RE = re.compile(rf"^(?=(?:{_WH}|{_AUX})\b)|[,:;]\s*(?=(?:{_WH})\b)", re.IGNORECASE)


def focus(question: str) -> str:
    """The asking part of a question: its sentences that end in "?", each without a
    lead-in clause before the wh-word ("By drawing conclusions from the income statement,
    what is ..." -> "what is ..."). All of it when no sentence asks, or when the ask says
    too little by itself ("I got an e-mail from the CIO asking ... What should I do?")."""
    asked = [s.strip() for s in _SENTENCE_RE.findall(question) if s.strip().endswith("?")]
    kept = []
    for sentence in asked:
        start = _ASK_RE.search(sentence)
        kept.append(sentence[start.end() :] if start else sentence)
    ask = " ".join(kept)
    return ask if len(set(tokenize(ask))) >= MIN_ASK_TERMS else question


_LABEL_WORDS = 3
_CAPTION_LINE_WORDS = 8
_AMOUNT_RE = re.compile(r"\d{3}|\d[.,]\d")  # "12,483", "3.5": a value, no caption's word


def is_label(line: str) -> bool:
    """A line of a few words and nothing else: no figure, no sentence or cell mark ("Record
    keeping" over the retention rule). It names what follows; it says nothing."""
    words = line.split()
    return (
        len(words) <= _LABEL_WORDS
        and not any(c.isdigit() for c in line)
        and not any(mark in line for mark in ".!?:;|$%")
    )


def captions_in(lines: Sequence[str], text: str) -> set[str]:
    """Lines that only name what follows them: right above a table's first row, or a
    paragraph of one line (``text``'s blank lines around it), that are short, end in no
    full stop and hold no value ("Top 10 holdings" over the holdings; not "Bayview Water
    Co. (BYWW): Underperform, price target $118", whose values answer)."""
    alone = {" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if "\n" not in p.strip()}
    above = {line for line, below in itertools.pairwise(lines) if CELL_SEP in below}
    return {
        line
        for line in lines
        if (line in above or line in alone)
        and len(line.split()) <= _CAPTION_LINE_WORDS
        and not line.endswith((".", "!", "?"))
        and not any(mark in line for mark in ":|$%")
        and not _AMOUNT_RE.search(line)  # "Inventories 12,483": a row read as text
    }
