"""Which pages hold a primary financial statement, read from each page's own heading.

A question about accounts payable or capital expenditure is answered by one page of a
filing (its balance sheet, its cash flow statement), which passage search often ranks
below narrative pages that use the same words. Tagging those pages at ingest lets
retrieval search them directly (``retrieval.statements``). Only the page's text is read:
the heading in its first lines ("CONSOLIDATED BALANCE SHEETS", "Condensed Consolidated
Statements of Cash Flows", glued as "CONSOLIDATEDBALANCESHEETS" by some PDFs) and enough
figures below it to be a statement rather than a sentence that refers to one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Mapping, Sequence

from ingest.models import Chunk

# The kinds of primary statement, as stored in a chunk's ``statement`` payload field.
KINDS = ("balance_sheet", "income", "cash_flow", "comprehensive_income", "equity")

# Matched on the page's first words reduced to their lower-case letters, run together
# ("statementsofcashflows"), so glued and line-broken headings read alike.
_HEADINGS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "balance_sheet",
        # "balance sheet" alone is a phrase ("balance sheet activity"); a title is plural or
        # qualified ("Consolidated Balance Sheet").
        re.compile(
            r"balancesheets|(?:consolidated|condensed)balancesheet"
            r"|statements?of(?:consolidated)?financialposition"
        ),
    ),
    ("cash_flow", re.compile(r"statements?of(?:consolidated)?cashflows?|cashflows?statements?")),
    (
        "income",
        re.compile(
            r"statements?of(?:consolidated)?(?:operations|income|earnings|loss)"
            r"|(?<!comprehensive)(?:income|earnings|operations)statements?"
        ),
    ),
    (
        "comprehensive_income",
        re.compile(
            r"statements?of(?:consolidated)?comprehensive(?:income|loss|earnings)"
            r"|comprehensive(?:income|loss|earnings)statements?"
        ),
    ),
    (
        "equity",
        re.compile(
            r"statements?of(?:consolidated)?(?:changesin)?(?:stockholders|shareholders|"
            r"shareowners|shareholder|stockholder)?s?(?:equity|deficit)"
            r"|(?:stockholders|shareholders|shareowners)s?equitystatements?"
        ),
    ),
)
# A heading sits among the first words of the page (after a company name, "Table of
# Contents", "Item 8"); a note or MD&A sentence that refers to "the consolidated balance
# sheets" does not count, whatever precedes the qualifiers.
_HEAD_WORDS = 40
_QUALIFIERS = frozenset(
    [
        "consolidated",
        "condensed",
        "combined",
        "interim",
        "unaudited",
        "audited",
        "selected",
        "summary",
    ]
)
_NARRATIVE = frozenset(
    [
        "the",
        "a",
        "an",
        "our",
        "its",
        "their",
        "in",
        "of",
        "on",
        "to",
        "see",
        "from",
        "within",
        "and",
        "or",
        "as",
        "per",
        "into",
        "refer",
        "analysis",
        "accompanying",
        "following",
    ]
)
# A statement page is mostly figures; a contents page lists several statements, each with
# one page number, so more than two kinds on one page is an index, not a statement.
_MIN_FIGURES = 12
_MAX_KINDS = 2
YEAR_RE = re.compile(r"(?<![0-9])(?:FY\s?)?((?:19|20)\d{2})(?![0-9])", re.I)
# A full date as statement headers and questions print it ("July 29, 2023", "Jan. 28, 2023").
DATE_RE = re.compile(
    r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+(\d{1,2}),?\s+((?:19|20)\d{2})\b",
    re.I,
)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_HEADER_LINES = 15
# The scale a statement states its amounts in: "(In millions", "(Dollars in thousands", or
# the scale alone in brackets: "(Millions)", "($ millions, except per share amounts)".
_SCALE = re.compile(
    r"\bin\s+(thousands|millions|billions)\b|\(\s*(?:US)?\$?\s*(thousands|millions|billions)\s*(?:\)|,)",
    re.I,
)
# A header's last date part with a heading glued after it: a year, then words, no figures.
_GLUED_HEADING = re.compile(r"^(?P<dates>[^0-9]{0,40}?(?:19|20)\d{2})\s+[A-Za-z][^0-9]{0,80}$")
# Words a column header line of dates may hold besides the dates themselves.
_HEADER_WORDS = frozenset({
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "fiscal", "year", "years", "ended", "ending", "as", "of",
    "at", "and", "weeks", "week", "in", "millions", "thousands", "except", "per", "share",
    "data", "dollars", "amounts", "unaudited", "common", "amount", "unless", "otherwise",
    "noted", "indicated", "for", "the", "three", "six", "nine", "twelve", "months", "quarter",
    "quarters",
})  # fmt: skip
# The spans a 10-Q's columns report, named above their dates ("Three Months Ended").
SPAN_RE = re.compile(r"\b(three|six|nine|twelve)\s+months\b", re.I)
_SPANS = re.compile(rf"{SPAN_RE.pattern}|\bquarters?\b", re.I)
_JOINED = re.compile(r"(?:operations|income|earnings|loss)andcomprehensive")
_PART_OF_GROUP = re.compile(
    r"crossguarantee|closedgroup|guarantors?|obligatedgroup|parentcompanyonly|ofregistrant"
)
_PART_WINDOW = 60  # letters before the heading that may say whose statement it is
_FIGURE = re.compile(r"\(?\$?\d[\d,]*(?:\.\d+)?\)?")


def statement_kinds(page_text: str) -> tuple[str, ...]:
    """The primary statements ``page_text`` presents (usually one), in ``KINDS`` order."""
    tokens = page_text.split()
    words = [re.sub(r"[^a-z]", "", w.lower()) for w in tokens[:_HEAD_WORDS]]
    # The letters of the head as one string ("consolidatedbalancesheets"), with the word
    # each letter came from, so glued and line-broken headings read alike.
    letters = "".join(words)
    owner = [i for i, w in enumerate(words) for _ in w]
    found: set[str] = set()
    for kind, pattern in _HEADINGS:
        for match in pattern.finditer(letters):
            # A consolidating schedule ("Condensed Consolidating Balance Sheets", also
            # broken as "CONSO LIDATING") puts the parent's and the guarantors' columns
            # beside eliminations: supplementary to the consolidated statement, its rows
            # carry the same labels with other figures.
            if letters[: match.start()].endswith("consolidating"):
                continue
            # So is a statement of part of the group: the entities of a deed of cross
            # guarantee ("Deed of Cross Guarantee / Consolidated Statements of Income"),
            # the guarantors, the parent company alone.
            if _PART_OF_GROUP.search(letters[max(0, match.start() - _PART_WINDOW) : match.start()]):
                continue
            if _is_heading(tokens, words, owner[match.start()]):
                found.add(kind)
                break
    if "comprehensive_income" in found and _JOINED.search(letters):
        # "Statements of Operations and Comprehensive Loss" is one income statement.
        found.discard("comprehensive_income")
    if not found or len(found) > _MAX_KINDS or _lists_statements(tokens):
        return ()
    figures = sum(1 for token in _FIGURE.findall(page_text) if any(c.isdigit() for c in token))
    if figures < _MIN_FIGURES:
        return ()
    return tuple(kind for kind in KINDS if kind in found)


def _is_heading(tokens: list[str], words: list[str], index: int) -> bool:
    """True unless the words before the heading (qualifiers skipped) make it a sentence:
    "in the Consolidated Balance Sheets", "the Company's Consolidated Balance Sheets"."""
    before = index - 1
    while before >= 0 and (words[before] in _QUALIFIERS or not words[before]):
        before -= 1
    if before < 0:
        return True
    possessive = re.search(r"['’]s$", tokens[before]) is not None
    return not possessive and words[before] not in _NARRATIVE


def _lists_statements(tokens: list[str]) -> bool:
    """A page naming three or more kinds of statement anywhere is a list of them (contents,
    an exhibit index, the auditor's report), not a statement."""
    letters = re.sub(r"[^a-z]", "", " ".join(tokens).lower())
    return sum(1 for _, pattern in _HEADINGS if pattern.search(letters)) > _MAX_KINDS


def _dates_only(line: str) -> bool:
    """Nothing but dates, years and the words around them ("Years Ended", "December 2,")."""
    rest = re.sub(r"[^a-z0-9]+", " ", YEAR_RE.sub(" ", line.lower()))
    return all(w in _HEADER_WORDS or w.isdigit() for w in rest.split())


def date_of(match: re.Match[str]) -> dt.date | None:
    """The date a ``DATE_RE`` match names; None for an impossible one ("February 30")."""
    return calendar_date(*match.groups())


def calendar_date(month: str, day: str, year: str) -> dt.date | None:
    """The date of a month's name (or its first three letters), a day and a year, as
    written; None for an impossible one ("February 30")."""
    try:
        return dt.date(int(year), _MONTHS.index(month.lower()[:3]) + 1, int(day))
    except ValueError:
        return None


def header_years(line: str) -> list[str] | None:
    """The years of a statement's column header line ("May 31, 2020 May 26, 2019"), in
    order: two or more years and nothing else but dates and the words around them."""
    years = YEAR_RE.findall(line)
    if len(years) < 2:
        return None
    return years if _dates_only(line) else None


def header_blocks(lines: Sequence[str]) -> list[tuple[int, int, str]]:
    """Each column header in ``lines`` as (first index, last index, header line).

    A header is one line naming two or more years, or a run of lines that do together,
    each holding only dates and the words around them: PDF text often stacks a header
    one date part a line ("Years Ended / December 2, / 2016 / November 27, / 2015"). A
    run's header line is its lines joined with spaces, which ``header_years`` reads; in a
    run holding lines that are headers by themselves, each of those is a header instead,
    unless the one such line closes a run naming the columns' spans ("Three Months
    Ended").
    A run may end in a line whose last date part has the first words of the statement
    glued after it ("2018 ASSETS Current assets:"); the words are not the header's.
    """
    out: list[tuple[int, int, str]] = []
    start = None
    for index in range(len(lines) + 1):  # index len(lines) ends the last run
        line = lines[index] if index < len(lines) else ""
        if line.strip() and _dates_only(line):
            start = index if start is None else start
            continue
        if start is not None:
            run = range(start, index)
            single = [(i, i, lines[i].strip()) for i in run if header_years(lines[i])]
            parts, last = lines[start:index], index - 1
            glued = _GLUED_HEADING.match(line)
            if glued and _dates_only(glued["dates"]):
                parts, last = [*parts, glued["dates"]], index
            joined = " ".join(" ".join(parts).split())
            spans = single and single[-1][0] == last and _SPANS.search(" ".join(parts[:-1]))
            if len(single) == 1 and spans:
                # "Three Months Ended / June 30, / Six Months Ended / June 30, / 2023 2022
                # 2023 2022": the spans above the years say which columns are which.
                out.append((start, last, joined))
            elif single:  # lines that are headers by themselves stay apart
                out.extend(single)
            elif header_years(joined):
                out.append((start, last, joined))
            start = None
    return out


# Rows a text layer glues into one line after the header's years: "2022 2021 2020 Net
# sales $ 18,992.8 $ 18,127.0 $ 17,626.6 Cost of sales ...", perhaps after the header's
# words ("For the Years Ended December 31, 2021 2020 2019 Operating revenues $ 3,930 ...").
_GLUED_ROWS = re.compile(r"((?:(?:19|20)\d{2}\s+){2,6})(?=[A-Za-z])")
_GLUED_LEAD = 80  # characters of header words before the years, at most


def glued_header(line: str) -> tuple[list[str], str] | None:
    """The years a line of glued rows starts with (after header words and dates alone),
    and the rest of the line; None for any other line."""
    match = _GLUED_ROWS.search(line, 0, _GLUED_LEAD + 40)
    if match is None or match.start() > _GLUED_LEAD:
        return None
    lead = line[: match.start()]
    if lead.strip() and (YEAR_RE.search(lead) or not _dates_only(lead)):
        return None
    return match[1].split(), line[match.end() :]


def column_header(page_text: str) -> str | None:
    """The first header near the top of a statement page that names its columns' years,
    also one whose rows the text layer glued onto it."""
    lines = [line.strip() for line in page_text.splitlines() if line.strip()]
    blocks = header_blocks(lines[:_HEADER_LINES])
    if blocks:
        return blocks[0][2]
    glued = next((g for line in lines[:_HEADER_LINES] if (g := glued_header(line))), None)
    return " ".join(glued[0]) if glued else None


def page_scale(page_text: str) -> str | None:
    """The scale a statement page states its amounts in, from the lines near its top
    ("(In millions, except per share data)", "(Dollars in thousands)", "(Millions)"):
    "thousands", "millions" or "billions"; None when it states none."""
    lines = [line for line in page_text.splitlines() if line.strip()][:_HEADER_LINES]
    match = _SCALE.search("\n".join(lines))
    return (match[1] or match[2]).lower() if match else None


def with_column_headers(chunks: Sequence[Chunk], pages: Mapping[int, str]) -> list[Chunk]:
    """``chunks`` with the column header line of the statement page each starts on, where
    the chunk's own text lacks one: a chunk cut from the middle of a balance sheet then
    still says which column is which year. Every chunk starting on a statement page also
    gets the scale the page states (``page_scale``), so a computed amount can say it is in
    millions. ``pages`` maps statement pages to their text."""
    headers = {n: h for n, text in pages.items() if (h := column_header(text))}
    scales = {n: scale for n, text in pages.items() if (scale := page_scale(text))}
    out = []
    for chunk in chunks:
        start = chunk.page_start
        header = headers.get(start) if start is not None else None
        own = bool(header_blocks(chunk.text.splitlines()))
        if header and not own:
            chunk = dataclasses.replace(chunk, column_header=header)
        if start is not None and start in scales:
            chunk = dataclasses.replace(chunk, scale=scales[start])
        out.append(chunk)
    return out


def statement_pages(pages: Mapping[int, str]) -> dict[int, tuple[str, ...]]:
    """Page number -> the statements on it, for the pages that present one."""
    tagged = {number: statement_kinds(text) for number, text in pages.items()}
    return {number: kinds for number, kinds in sorted(tagged.items()) if kinds}
