"""Does a passage's own text state the asked year for the asked topic?

A document's profile says which years its statements report; a research note, fact sheet
or outlook has no such profile, so its text decides. A year written anywhere in it is not
enough: "Portfolio manager (since 2019)" does not report the fund's 2019 return, and "our
year-end 2026 target ..., based on 2027 earnings" gives no target for 2027. A year counts
when it is written

- in a table row labelled with one of the question's topic words (or a lexicon synonym);
- attached to a topic word ("year-end 2026 target", "revenue in 2025");
- heading a table's columns in a passage about the topic, or within a few words of a
  topic word, unless it dates another word ("2027 earnings") or the document dates the
  topic with other years only.

``reports_year`` and ``reports_quarter`` are the period checks answerability runs over
the sources: a document's profile first, then its title, then its text as above.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from ingest.profile import DocumentProfile
from ingest.sparse import tokenize
from retrieval.mentions import Period, extract_periods
from retrieval.routing import years_in
from retrieval.types import Passage

# 2019, FY2019, FY2026E, 2024A: a year as filings and research notes write it.
_YEAR = re.compile(r"^(?:FY|CY)?((?:19|20)\d{2})[AEFB]?$", re.I)
_WORD = re.compile(r"[^\W_][\w&'’.-]*")
_JOINED = re.compile(r"[ \t]+")
# Words that say which period, not what about: never topic words here.
PERIOD_WORDS = frozenset(
    tokenize("end ending ended calendar begin beginning start close latest recent current next")
)
# Words between a topic word and the year that dates it: "target for the end of 2027".
_LINKS = frozenset({"for", "in", "of", "at", "by", "during", "as"})
_FILLERS = frozenset(
    {"the", "end", "year-end", "year", "fiscal", "calendar", "of", "full", "financial"}
)
NEAR_WORDS = 20


@dataclass(frozen=True, slots=True)
class _Token:
    word: str
    year: int | None
    joined: bool  # only spaces between it and the next word


def _tokens(text: str) -> list[_Token]:
    """Words of ``text`` in order, each with the year it writes (or None)."""
    matches = list(_WORD.finditer(text))
    out: list[_Token] = []
    for i, match in enumerate(matches):
        word = match.group().rstrip(".")
        year = _YEAR.match(word)
        gap = text[match.end() : matches[i + 1].start()] if i + 1 < len(matches) else "."
        joined = word == match.group() and _JOINED.fullmatch(gap) is not None
        out.append(_Token(word, int(year.group(1)) if year else None, joined))
    return out


def _is_topic(word: str, topic: Collection[str]) -> bool:
    stems = tokenize(word)
    return bool(stems) and any(s in topic for s in stems)


def _dates_other_word(tokens: Sequence[_Token], i: int, topic: Collection[str]) -> bool:
    """The year at ``i`` directly precedes a content word that is not a topic word
    ("2027 earnings"): it dates that word."""
    if not tokens[i].joined or i + 1 >= len(tokens):
        return False
    nxt = tokens[i + 1].word
    return nxt[0].isalpha() and bool(tokenize(nxt)) and not _is_topic(nxt, topic)


def _is_table(tokens: Sequence[_Token]) -> bool:
    """A table's header or row as PDF text writes it: two or more years and no more words
    than years ("Year 2021 2022 2023", "Fiscal year FY2023A FY2024A")."""
    years = sum(1 for t in tokens if t.year is not None)
    words = sum(1 for t in tokens if t.year is None and not t.word[0].isdigit())
    return years >= 2 and words <= years


def table_years(text: str, topic: Collection[str] = ()) -> set[int]:
    """With ``topic``: years on the table rows labelled with a topic word (PDF text rows,
    or rows as the loaders write them: "Revenue | FY2025A: 4,760"). Without: years
    heading a table's columns."""
    years: set[int] = set()
    for line in text.splitlines():
        tokens = _tokens(line)
        if topic:
            row = " | " in line or _is_table(tokens)
            if not row or not any(_is_topic(t.word, topic) for t in tokens):
                continue
        elif not _is_table(tokens):
            continue
        years |= {t.year for t in tokens if t.year is not None}
    return years


def dated_years(text: str, topic: Collection[str]) -> set[int]:
    """Years a line attaches to a topic word: right before it ("2026 target", "year-end
    2026 price target") or after a preposition ("target for the end of 2027", "revenue
    in 2025")."""
    years: set[int] = set()
    for line in text.splitlines():
        tokens = _tokens(line)
        for i, token in enumerate(tokens):
            if not _is_topic(token.word, topic):
                continue
            # A plain year one or two words before; "FY2025A revenue ($m)" is a column
            # label, the way tables head their columns, not prose dating a figure.
            for back in (1, 2):
                before = tokens[i - back] if i - back >= 0 else None
                if before is not None and before.year is not None:
                    if before.word.isdigit():
                        years.add(before.year)
                    break
            j = i + 1
            if j < len(tokens) and tokens[j].word.lower() in _LINKS:
                j += 1
                while j < len(tokens) and j <= i + 5 and tokens[j].word.lower() in _FILLERS:
                    j += 1
                year = tokens[j].year if j < len(tokens) else None
                if year is not None:
                    years.add(year)
    return years


def near_years(text: str, topic: Collection[str], window: int = NEAR_WORDS) -> set[int]:
    """Years within ``window`` words of a topic word that date no other word."""
    tokens = _tokens(text)
    spots = [i for i, t in enumerate(tokens) if _is_topic(t.word, topic)]
    return {
        t.year
        for i, t in enumerate(tokens)
        if t.year is not None
        and any(abs(i - s) <= window for s in spots)
        and not _dates_other_word(tokens, i, topic)
    }


def states_year(texts: Sequence[tuple[str, str]], year: int, topic: Collection[str]) -> bool:
    """Whether ``texts`` (``(document id, text)`` of the sources with no profile or title
    that reports ``year``) state the asked topic for ``year``. A table row of the topic
    or a year attached to it counts. So does a year heading a table's columns in a passage
    that holds a topic word, or one near a topic word, unless the same document dates the
    topic with other years only ("our year-end 2026 target" and, further on, "$322 in
    2027 ... gives our target"). With no topic words, a year written anywhere counts."""
    if not topic:
        return any(year in {t.year for t in _tokens(text)} for _, text in texts)
    documents: dict[str, list[str]] = {}
    for doc, text in texts:
        documents.setdefault(doc, []).append(text)
    for group in documents.values():
        dated = set().union(*(dated_years(text, topic) for text in group))
        if year in dated or any(year in table_years(text, topic) for text in group):
            return True
        if dated:
            continue  # the document gives the topic for other years
        for text in group:
            if year in near_years(text, topic):
                return True
            if year in table_years(text) and any(_is_topic(t.word, topic) for t in _tokens(text)):
                return True
    return False


def reports_year(
    sources: Sequence[Passage],
    year: int,
    profiles: Mapping[str, DocumentProfile],
    topic: frozenset[str],
) -> bool:
    """A source whose document reports the year (its profile, or its title), or text that
    states the asked topic for that year (``assistant.dated``)."""
    texts: list[tuple[str, str]] = []
    for passage in sources:
        profile = profiles.get(passage.document_id)
        if profile is not None and year in profile.covered_years:
            return True
        if year in years_in(passage.title):
            return True
        texts.append((passage.document_id, passage.text))
    return states_year(texts, year, topic)


def reports_quarter(
    passage: Passage, year: int, quarter: int, profiles: Mapping[str, DocumentProfile]
) -> bool:
    """A report of that quarter, the annual report of its year (which shows its quarters),
    or a passage or title that names the quarter itself."""
    profile = profiles.get(passage.document_id)
    if (
        profile is not None
        and year in profile.fiscal_labels
        and profile.fiscal_quarter in (None, quarter)
        and profile.doc_type != "8-K"
    ):
        return True
    wanted = Period(year, quarter)
    return wanted in extract_periods(passage.text) or wanted in extract_periods(passage.title)
