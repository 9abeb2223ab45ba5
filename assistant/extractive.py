"""The offline answerer: quote the sentences (or table rows) that answer, and cite them.

Every sentence of an extractive answer is copied verbatim from a retrieved passage, so
each citation points at text that contains the claim. Sentences are scored by how much
of the question's content (stemmed terms, weighted by rarity among the candidates) they
cover, with a small prior for better-ranked passages.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.asked_items import WHY_RE
from assistant.bands import holds
from assistant.definitions import ITEMS
from assistant.figures import asks_when, counted, counts, states_figure, states_time
from assistant.lookups import asked_figure
from assistant.quantities import money
from assistant.question_names import GENERIC_STEMS
from assistant.sentences import captions_in, focus, is_furniture, is_label, sentences, words_of
from assistant.statement_rows import row_item
from assistant.subjects import (
    MAX_CAPTION_WORDS,
    entity_terms,
    heading,
    is_byline,
    is_heading,
    name_groups,
    other_sections,
    title_phrases,
    whole_names,
)
from assistant.table_quotes import FIGURE_RE, SUPERLATIVE_RE, TOP_RE, extreme_rows, focus_row
from ingest.sparse import tokenize
from ingest.statements import header_years
from ingest.tables import CELL_SEP
from retrieval.lexicon import LEXICON, case_sensitive, is_acronym
from retrieval.types import Passage

CAPTION_WEIGHT = 0.7  # a caption's word covers each row of its table, at a discount
_AMOUNT = "$amount:"  # the term an amount of money asked about stands for


@dataclass(frozen=True, slots=True)
class Quote:
    passage: int  # index into the passages given
    text: str
    score: float  # 0..1: share of the question's weighted content terms it covers


# How documents state a bound or a size that a question names with a noun (stemmed terms):
# "minimum length" is asked, "at least 14 characters long" is written.
_EQUIVALENTS: dict[str, tuple[str, ...]] = {
    "least": ("minimum",),
    "long": ("length",),
    "maximum": ("limit",),
    "limit": ("maximum",),
    # A workforce is counted in people: "we employed approximately 79,000 people".
    "employ": ("employe",),
    "peopl": ("employe",),
    "colleagu": ("employe",),
    "headcount": ("employe",),
    "workforc": ("employe",),
    # A fund's size is its assets: "How large is the fund?" -> "Fund assets $1.84 billion".
    "asset": ("larg", "size", "big"),
    # "No solicitation" says whether an unsolicited order may be taken.
    "solicit": ("unsolicit",),
    "owner": ("own",),  # "Owner: Grace Mbeki" says who owns it
    "retain": ("keep",),  # records "are retained for at least six years"
    # Who covers a company, or wrote a note, is its analyst: "Tom Keller, Senior Analyst".
    "analyst": ("cover", "wrote", "author"),
}


def _counted_as(terms: set[str]) -> set[str]:
    """The words a count of ``terms`` may be written with: ``terms`` and the document words
    equivalent to one of them ("79,000 people" counts employees)."""
    return terms | {word for word, means in _EQUIVALENTS.items() if terms & set(means)}


# Places written in capitals in questions and spelled out in tables ("United States |
# 2026 CPI inflation: 2.6%"): as written, so "us" and "eu" the words are not them.
_PLACES = tuple(
    (re.compile(rf"(?<![\w.]){re.escape(short)}(?![\w.])"), long)
    for short, long in (
        ("US", "United States"),
        ("U.S.", "United States"),
        ("USA", "United States"),
        ("UK", "United Kingdom"),
        ("U.K.", "United Kingdom"),
        ("EU", "European Union"),
    )
)


def expansions(question: str) -> str:
    """The long forms of the acronyms the question uses ("TER" -> "total expense ratio",
    "PPNE" as "PP&E" -> "property, plant and equipment"), from the finance lexicon, and of
    the places it abbreviates ("US" -> "United States"), so a quote spelling the term out
    still covers it."""
    found = [long for short, long in _PLACES if short.search(question)]
    for group in LEXICON:
        long = next((term for term in group if not is_acronym(term)), None)
        for short in group:
            if long is None or not is_acronym(short):
                continue
            flags = 0 if case_sensitive(short) else re.IGNORECASE
            if re.search(rf"(?<!\w){re.escape(short)}(?!\w)", question, flags):
                found.append(long)
                break
    return " " + " ".join(found) if found else ""


def _with_equivalents(terms: set[str]) -> set[str]:
    return terms.union(*(_EQUIVALENTS.get(t, ()) for t in terms))


def names_measure(text: str, measure: str) -> bool:
    """Whether ``text`` writes every word of ``measure`` or an equivalent ("TOTAL REVENUES"
    for "revenue", "net sales of $58.8 billion" for "net sales")."""
    present = _with_equivalents(set(tokenize(text)))
    return all(t in present for t in tokenize(measure))


# Words that frame the ask, not what it is about: "how many", "how long" (a duration, not
# length: "14 characters long" answers no deadline), "what does the brief say about", and
# the firm whose library it is ("how much does the firm recommend in gold": every
# document is the firm's; "transfer to another firm" is no answer).
_FRAMING_RE = re.compile(
    r"\bhow\s+(?:many|much|long|often|soon|quickly|frequently)\b"
    r"|\b(?:say|says|said|think|thinks|thought)\b(?=\s+(?:about|on|regarding)\b)"
    r"|\b(?:the|our)\s+(?:firm|house)(?:['’]s?)?(?!\w)",
    re.IGNORECASE,
)


def best_quotes(question: str, passages: Sequence[Passage], limit: int = 2) -> list[Quote]:
    """The ``limit`` sentences that best cover the question's ask, best first."""
    asked = focus(question)
    # "how many" / "how much" ask for a figure; "many of which" in a source is no match.
    content = TOP_RE.sub("largest", _FRAMING_RE.sub(" ", asked))
    # An amount of money asked about ("balances over $1 million") is one term, covered by
    # a sentence stating it or a tier row whose band holds it (``assistant.bands``).
    asked_money = money(content)
    amounts = {f"{_AMOUNT}{value}": value for _, value in asked_money}
    words = content
    for written, _ in asked_money:
        words = words.replace(written, " ", 1)
    terms = Counter(tokenize(words + expansions(content)))
    terms.update(amounts)
    if not terms or not passages:
        return []
    # "the largest holding", "the lowest fee": the row of a ranking table with the extreme
    # value covers the superlative, whatever its words (``extreme_rows``).
    superlative = SUPERLATIVE_RE.search(content)
    extreme_term = (tokenize(superlative.group()) or [""])[0] if superlative else ""
    split = [sentences(p.text) for p in passages]
    # Lines repeated on other pages are page furniture (running headers, footers); chunks
    # of one page overlap, so a sentence they share is no furniture.
    pages: dict[str, set[tuple[str, int | None]]] = {}
    for passage, group in zip(passages, split, strict=True):
        for sentence in group:
            pages.setdefault(sentence, set()).add((passage.document_id, passage.page_start))
    seen = {sentence: len(where) for sentence, where in pages.items()}
    titles = {" ".join(p.title.split()) for p in passages}
    # A document's title restated on its first page ("HPW Global Income Fund - Fact Sheet"
    # for "HPW Global Income Fund Fact Sheet") is its title: the same words, in order.
    title_words = {words_of(t) for t in titles}
    split = [
        [
            s
            for s in group
            if seen[s] < 2 and words_of(s) not in title_words and not is_furniture(s, titles)
        ]
        for group in split
    ]
    # Rarity among the candidate sentences: a term every sentence has tells nothing.
    df: Counter[str] = Counter()
    total = 0
    present_in: list[list[tuple[set[str], set[str]]]] = []
    # A name the question asks by that titles a passage's document ("HPW Global Income
    # Fund" in its fact sheet) or heads the passage ("GREATER CHINA" over a segment's
    # table) is what every sentence there is about: it chose the passage, and must not
    # choose the sentence that happens to repeat it (the fact sheet's banner over its top
    # holdings, asked for the fund's largest holding).
    # A later section's heading naming another subject ("Crestline Energy (CRSE): Market
    # Perform" after Atlas's section) ends what the first heading's name covers.
    named = entity_terms(content)
    names = name_groups(content)
    asked_words = tokenize(content)
    title_terms = [tokenize(p.title) for p in passages]
    # A name asked that a document's byline holds (its publisher) is what all of the
    # document's passages are about, the byline's passage or not.
    publishers: dict[str, set[str]] = {}
    naming: set[str] = set()  # the words that name a passage's document or subject
    # The names asked that a document's passages, title or issuer write (whole): a quote
    # from a document writing none of them, when another's does, is about something else
    # ("Zentrix Quantum Corp is not covered by ..." asked who covers Bayview Water).
    writes: dict[str, set[str]] = {}
    for source in passages:
        bylines = " ".join(line for line in source.text.splitlines() if is_byline(line))
        publishers.setdefault(source.document_id, set()).update(named & set(tokenize(bylines)))
        issuer = source.profile.issuer if source.profile is not None else None
        text_words = set(tokenize(f"{source.text} {source.title} {issuer or ''}"))
        writes.setdefault(source.document_id, set()).update(named & whole_names(text_words, names))
    for group, source, title in zip(split, passages, title_terms, strict=True):
        titled = (named & set(title)) | title_phrases(asked_words, title)
        headed = named & set(tokenize(heading(source.text)))
        published = publishers.get(source.document_id, set())
        caption: set[str] = set()
        present_in.append([])
        extreme = extreme_rows(group, superlative[1] is not None) if superlative else set()
        others = other_sections(source.text, named) if headed else set()
        for at, sentence in enumerate(group):
            if sentence in others:
                headed = set()
            about = titled | headed | published
            naming |= about
            present = _with_equivalents(set(tokenize(sentence)))
            present |= {term for term, value in amounts.items() if holds(sentence, value)}
            if at in extreme:
                present.add(extreme_term)
            df.update(present)
            total += 1
            # A word of a name asked covers it only with the rest of the name ("10
            # percentage points" is no mention of Harbor Point); rarity counts the word.
            present = whole_names(present, names) | about
            inherited: set[str] = set()
            if CELL_SEP in sentence:
                # A table row is read under its table's caption ("BANK DEPOSIT SWEEP RATES"
                # over "$1,000,000 to $4,999,999 | APY: 2.05%"), at CAPTION_WEIGHT: every
                # row of the table shares it, and a rare caption word ("Asset allocation")
                # must not outweigh a row's own ("Emerging market equities"). Rarity stays
                # the row's own. 0.7 lies mid-way in the range where both the sample's
                # sweep-rate tier and its equities row are chosen (0.55 to 0.85).
                inherited = caption - present
            elif header_years(sentence) is None:
                short = len(sentence.split()) <= MAX_CAPTION_WORDS
                caption = _with_equivalents(set(tokenize(sentence))) if short else set()
            present_in[-1].append((present, inherited))
    weights = {t: math.log(1 + (total + 1) / (df.get(t, 0) + 0.5)) for t in terms}
    norm = sum(weights.values())
    wants_number = bool(
        re.search(
            r"\b(how (much|many|quickly|soon|long|often|fast|frequently|large|big|high|low)|"
            r"what(?:'s|’s| was| is| were) the|percent|ratio|rate|amount|total|margin|\d)",
            question,
            re.I,
        )
    )
    # "Why ..." / "What drove ...": a sentence giving a reason says so ("due to",
    # "driven by", "primarily reflecting"); one that does not is likelier a figure or a
    # heading beside the point.
    asks_reason = WHY_RE.search(asked) is not None
    # "How many employees ...": what is counted must be in the quote that counts it, with
    # a count.
    counted_terms = counted(asked)
    counted_words = _counted_as(counted_terms)
    when = asks_when(asked)
    scored = []
    # The question's terms each candidate covers, and those beyond the words naming its
    # document (its title's, the names asked left out): a later quote must add one of the
    # latter that its predecessors do not cover, or the figure they lack ("Total expense
    # ratio | Class A: 0.85%" after a sentence defining the ratio).
    adds: dict[tuple[int, str], tuple[set[str], set[str]]] = {}
    # And the terms it covers beyond the names asked and the words that chose a document
    # or section: none, when the question asks more than that, and it says nothing of what
    # is asked (a fund's objective, asked for its custodian, which its fact sheet omits).
    says: dict[tuple[int, str], set[str]] = {}
    asks_more = bool(set(terms) - named - naming)  # "Why is X on the restricted list?": no
    for index, group in enumerate(split):
        prior = 1.0 / (1 + 0.05 * index)
        document_words = _with_equivalents(set(title_terms[index])) - named
        captions = captions_in(group, passages[index].text)
        for sentence, (present, inherited) in zip(group, present_in[index], strict=True):
            if (
                header_years(sentence) is not None
                or is_heading(sentence)
                or is_label(sentence)
                or sentence in captions
            ):
                # A statement's column header ("July 29, 2023 July 30, 2022", "(MILLIONS,
                # EXCEPT PER SHARE DATA) 2021 2020") names periods, not what happened in
                # them, and a heading ("Consolidated Statements of Cash Flows") only names
                # what follows: never a quote, though its words count among the
                # candidates' (and a heading's for the rows under it, as their caption).
                # Nor is a section's label in sentence case ("Record keeping"), nor a
                # table's caption ("Top 10 holdings" over the holdings' rows).
                continue
            own = sum(w for t, w in weights.items() if t in present)
            under = sum(w for t, w in weights.items() if t in inherited)
            cover = (own + CAPTION_WEIGHT * under) / norm
            if wants_number and not states_figure(sentence):
                cover *= 0.7
            if asks_reason and not _CAUSE_RE.search(sentence):
                cover *= 0.7
            if counted_terms and not (
                counted_terms & (present | inherited) and counts(sentence, counted_words)
            ):
                # "How many complaints ...": a sentence that does not name what is counted,
                # or names it without a number that could count it, answers nothing.
                continue
            if counted_terms and counts(sentence, counted_words, directly=True):
                cover *= COUNTED_WEIGHT  # "79,000 people": a number of what is counted
            if when and not states_time(sentence):
                continue  # "When is ... updated?": a sentence stating no time
            scored.append(Quote(index, sentence, round(cover * prior, 6)))
            found = {t for t in terms if t in present or t in inherited}
            adds[index, sentence] = (found, found - document_words)
            says[index, sentence] = found - naming - named
    scored.sort(key=lambda q: -q.score)
    scored = _rows_named(scored, asked) if wants_number else scored
    rows = [(i, s) for i, group in enumerate(split) for s in group if CELL_SEP in s]
    chosen: list[Quote] = []
    covered: set[str] = set()
    stated = False  # whether a chosen quote states a figure
    for original in scored:
        found, new = adds[original.passage, original.text]
        if set(tokenize(original.text)) <= named | GENERIC_STEMS | set(
            title_terms[original.passage]
        ):
            continue  # a name standing alone ("Northwind Logistics Inc."): it says nothing
        if asks_more and not says[original.passage, original.text]:
            continue
        if any(writes.values()) and not writes[passages[original.passage].document_id]:
            continue
        figure = wants_number and states_figure(original.text)
        if chosen and not new - covered and not (figure and not stated):
            # "Harbor Point Wealth | Version 5.0 | Owner: ..., Chief Information Security
            # Officer" under the passwords rule, asked about the information security
            # policy: it says again only what chose the document. Weaker candidates are not
            # looked at: the next one adding a term is most often beside the point.
            break
        quote = _as_row(original, rows, question)
        if all(quote.text != c.text for c in chosen):
            chosen.append(quote)
            covered |= found
            stated = stated or states_figure(quote.text)
        if len(chosen) == limit:
            break
    return chosen


# A number right before what a "how many" question counts ("83,700 employees") outranks
# one standing after a label ("Employee benefits 1,594").
COUNTED_WEIGHT = 1.2
# Words that give a reason: "due to", "driven by", "as a result of", "reflecting", and a
# valuation's basis ("We lower our price target to $64, based on 17x 2026E EPS").
_CAUSE_RE = re.compile(
    r"\b(?:due\s+to|driven\s+by|drove|because|as\s+a\s+result|result(?:ed|ing|s)?\s+(?:from|in)"
    r"|reflect(?:s|ed|ing)?|attributable\s+to|primarily|offset\s+by|owing\s+to|led\s+by"
    r"|caused\s+by|thanks\s+to|following|based\s+on)\b",
    re.I,
)


# A statement row labelled with the line item asked outranks rows that share its words
# ("Net income" over "Interest (income) expense, net"); a row of another known item
# ("Total current assets" for total assets) ranks below them.
ASKED_ROW_WEIGHT = 1.2
OTHER_ROW_WEIGHT = 0.8


def _rows_named(scored: Sequence[Quote], asked: str) -> list[Quote]:
    """``scored`` re-ranked for a question asking one line item's figure."""
    item = asked_figure(asked)
    if item is None or item[0] not in ITEMS:
        return list(scored)
    out = []
    for quote in scored:
        named = row_item(quote.text)
        weight = 1.0
        if named is not None:
            weight = ASKED_ROW_WEIGHT if named == item[0] else OTHER_ROW_WEIGHT
        out.append(Quote(quote.passage, quote.text, round(quote.score * weight, 6)))
    return sorted(out, key=lambda q: -q.score)


def _as_row(quote: Quote, rows: Sequence[tuple[int, str]], question: str) -> Quote:
    """Prefer the table row (with its column headers) over the same row flattened in page
    text ("Total expense ratio 0.85% 0.55%"), then cut it to the period asked about."""
    text = quote.text
    if CELL_SEP not in text:
        numbers = FIGURE_RE.findall(text)
        for passage, row in rows:
            label = row.split(CELL_SEP, 1)[0]
            if numbers and text.startswith(label) and all(n in row for n in numbers):
                return Quote(passage, focus_row(row, question), quote.score)
    return Quote(quote.passage, focus_row(text, question), quote.score)
