"""What a passage is about: its heading, its later sections' subjects, and the question's
words that name the passage's document (a name, or a phrase of its title).

Words that chose a passage must not choose the sentence within it: every sentence of the
fact sheet is about the fund its title names, and of the outlook about the team its title
names. ``assistant.extractive`` reads them so.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from ingest.sparse import tokenize
from ingest.tables import CELL_SEP
from retrieval.mentions import extract_entities

MAX_CAPTION_WORDS = 20  # a longer line over a table is prose, not the table's caption


def other_sections(text: str, named: set[str]) -> set[str]:
    """Headings of a passage's later sections (a heading line after a blank line; no
    table row) that name a subject and no word of the names asked (``named``, stemmed)."""
    lines = [line.strip() for line in text.splitlines()]
    found = set()
    for before, line in itertools.pairwise(lines):
        if before or not line or CELL_SEP in line or heading(line) != line:
            continue
        words = entity_terms(line)
        if words and not words & named:
            found.add(" ".join(line.split()))
    return found


# Words that say which period a document covers ("for the fiscal year ended December 31,
# 2018"): a question naming the period still asks for the sentences about it.
_PERIOD_WORDS = frozenset(
    tokenize(
        "fiscal year quarter quarterly period month ended annual half week day date january "
        "february march april may june july august september october november december"
    )
)


def title_phrases(asked: Sequence[str], words: Sequence[str]) -> set[str]:
    """Words of the question (stemmed, in order) that run, two or more together, as in
    the document's title (``words``, stemmed, in order): "the fixed income team" in
    "Fixed Income Outlook 2026" names the
    document, as a name titling it does, and must not choose its byline ("Marcus Oyelaran,
    Head of Fixed Income Strategy") over what the team recommends. A question shortens a
    title by a word here and there: "the oil and gas brief" names "Oil & Gas Sector
    Brief", "the Meridian Semiconductor initiation" names "Meridian Semiconductor (MRDS)
    Initiation" (one title word may fall between two the question runs together). Numbers
    and period words never do."""
    found: set[str] = set()
    for i in range(len(asked)):
        for j in range(len(words)):
            if asked[i] != words[j]:
                continue
            run = [asked[i]]
            at = j
            while i + len(run) < len(asked):
                nxt = asked[i + len(run)]
                ahead = words[at + 1 : at + 1 + _TITLE_GAP + 1]
                if nxt not in ahead:
                    break
                at += 1 + ahead.index(nxt)
                run.append(nxt)
            kept = [t for t in run if not t.isdigit() and t not in _PERIOD_WORDS]
            if len(kept) >= 2:  # "8-K" is one word and a number, not a phrase
                found.update(kept)
    return found


_TITLE_GAP = 1  # title words a question may leave out between two it names


def entity_terms(text: str) -> set[str]:
    """The stemmed words of the names ``text`` writes, numbers left out."""
    return {t for t in tokenize(" ".join(extract_entities(text))) if not t.isdigit()}


_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
# A byline's date field: "6 February 2026", "Effective 5 January 2026", "March 3, 2026".
_DATE_FIELD_RE = re.compile(
    rf"^(?:[A-Z][a-z]+\s+)?(?:\d{{1,2}}\s+{_MONTH}\s+\d{{4}}|{_MONTH}\s+\d{{1,2}},?\s+\d{{4}})$"
)


def is_byline(line: str) -> bool:
    """A line saying who wrote a document and when, in fields: "Harbor Point Wealth
    Equity Research | 6 February 2026 | Tom Keller, Senior Analyst". The firm it names
    published the document: a name asked that it holds chose the document, not a line."""
    fields = [f.strip() for f in line.split(CELL_SEP)]
    return len(fields) >= 2 and any(_DATE_FIELD_RE.match(f) for f in fields)


# "Who covers Bayview Water?", "Which analyst wrote the brief?", "Who is the author of the
# outlook?": asked who wrote a document, whose byline says so.
_WHO_RE = re.compile(r"\b(?:who|whom|whose)\b|\bwhich\s+(?:analysts?|authors?)\b", re.I)
_AUTHOR_WORDS_RE = re.compile(
    r"\b(?:analysts?|authors?|authored|wrote|written|writes|covers|covering|covered)\b", re.I
)


def asks_author(question: str) -> bool:
    """Whether ``question`` asks who wrote a document or covers a company (a byline): a
    "who" and one of those words in one sentence (read in one pass per sentence)."""
    for sentence in question.split("?"):
        who = _WHO_RE.search(sentence)
        if who is not None and (
            who.group().lower().startswith("which") or _AUTHOR_WORDS_RE.search(sentence, who.end())
        ):
            return True
    return False


def name_groups(text: str) -> list[frozenset[str]]:
    """The stemmed words of each name of two or more words ``text`` writes, numbers left
    out: "Harbor Point", "Bayview Water Co."."""
    groups = (
        frozenset(t for t in tokenize(name) if not t.isdigit()) for name in extract_entities(text)
    )
    return [g for g in groups if len(g) > 1]


def whole_names(present: set[str], groups: Sequence[frozenset[str]]) -> set[str]:
    """``present`` without the words of a name it holds only in part: "10 percentage
    points" does not name Harbor Point, nor "water utilities" Bayview Water."""
    partial = {t for g in groups if not g <= present for t in g}
    return present - partial


# Words a title-cased heading leaves in lower case ("Consolidated Statements of Cash Flows").
_MINOR_WORDS = frozenset(
    {"a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the",
     "to", "with", "before", "after"}
)  # fmt: skip
_MAX_HEADING_WORDS = 8


def is_heading(line: str) -> bool:
    """A line that only names what follows it: a few capitalised words, no figure, no
    sentence punctuation ("Consolidated Statements of Cash Flows", "BEFORE THE ACCOUNT IS
    OPENED", "Overview of Business"). It says nothing alone; "Rating: Underperform" and
    "We keep duration neutral" are no headings."""
    body = line.rstrip(":")  # "Revenue:" heads the rows below it
    words = body.split()
    if not 0 < len(words) <= _MAX_HEADING_WORDS or any(c.isdigit() for c in line):
        return False
    if any(mark in body for mark in ".!?;:|"):
        return False
    return all(w[0].isupper() or w in _MINOR_WORDS for w in words if w[0].isalpha())


def heading(text: str) -> str:
    """The passage's first line when it is a heading: short, and no sentence ("GREATER
    CHINA", "Top 10 holdings"); "" otherwise."""
    first = text.lstrip().split("\n", 1)[0].strip()
    short = 0 < len(first.split()) <= MAX_CAPTION_WORDS
    return first if short and not first.endswith((".", ",", ";", ":")) else ""
