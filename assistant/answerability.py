"""Is the evidence about what was asked? Checked before any answer is written.

The reranker scores how well a passage matches a question's words, so "Honeywell's FY2018
capital expenditure" finds 3M's capital expenditure table with high confidence. Three
checks a careful analyst makes come on top of it:

- **names** (read by ``assistant.question_names``): every company, fund or product the
  question names must be what a cited passage is about: named in its text, or in its
  document's catalogue card (title, issuer read from the document, file name,
  initialisms). A name no source is about is reported; one that nothing in the library
  mentions is reported as such.
- **period**: an asked year must be one the source's document reports (its profile, read
  at ingest) or that the passage itself mentions.
- **topic** (``assistant.topic``): the question's other content words (with the lexicon's
  synonyms) must occur in the sources.

``score`` = reranker probability x period factor x topic factor is what the abstention
threshold is calibrated on; a name no source is about refuses outright with its reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from assistant.dated import reports_quarter, reports_year
from assistant.question_checks import company_figure
from assistant.question_names import (
    compared_names,
    name_tokens,
    possessive,
    qualifies,
    subject_names,
)
from assistant.topic import DISCOURSE, topic_cover, topic_stems, topic_words
from ingest.catalog import CatalogEntry
from ingest.profile import DocumentProfile
from ingest.sparse import tokenize
from retrieval.periods import read_ask
from retrieval.routing import Card, DocumentRouter, name_words
from retrieval.tickers import capitalised_words
from retrieval.types import Passage

# A name the sources are not about, in a question that compares nothing, scales the score.
MISSING_NAME_FACTOR = 0.2
_ACRONYM = re.compile(r"^[A-Z]{2,5}$")
_ISSUER_FILINGS = ("10-K", "10-Q", "8-K", "earnings release")
# Topic coverage under this share of the question's content words scales the score down,
# to at most TOPIC_FLOOR: topic words are a weak signal (questions carry instructions).
TOPIC_FULL = 0.3
TOPIC_FLOOR = 0.75
PERIOD_MISS_FACTOR = 0.3

# "Which fund has the highest ...": a ranking over what the library holds, naming none.
_WHICH_RE = re.compile(
    r"\bwhich\s+(?:of\s+(?:the|our)\s+)?(compan(?:y|ies)|funds?|firms?|stocks?|issuers?|"
    r"products?|banks?)\b",
    re.I,
)

# Texts of the library's passages (visible to the asker) most likely to mention a name.
MentionFn = Callable[[str], Sequence[str]]


@dataclass(frozen=True, slots=True)
class Answerability:
    """Signals for one question against its sources, and the combined score."""

    score: float
    evidence: float
    missing: tuple[str, ...] = ()  # named, and no source is about it
    unknown: tuple[str, ...] = ()  # named, and nothing in the library mentions it
    covered: tuple[str, ...] = ()  # named, and some source is about it
    qualifiers: tuple[str, ...] = ()  # a covered company's part whose figure is asked
    period_ok: bool | None = None  # None: no period asked
    topic_cover: float = 1.0
    reasons: tuple[str, ...] = ()

    comparison: bool = False
    figure: str | None = None  # the company figure asked ("revenue"), that qualifiers qualify
    whose: str | None = None  # a company's figure asked for, no company named
    vague: bool = False  # names nothing and asks about nothing ("And a year earlier?")

    @property
    def refuse_names(self) -> bool:
        """A name the library never mentions, unless a comparison covers another one:
        then the answer covers what the library holds and says what is missing. Or a
        company's figure asked without saying whose: any company's would do. Or a
        question that says nothing of what it is about: any passage would do."""
        if self.whose or self.vague:
            return True
        return bool(self.unknown) and not (self.comparison and self.covered)

    def to_json(self) -> dict[str, object]:
        return {
            "score": round(self.score, 4),
            "evidence": round(self.evidence, 4),
            "missing": list(self.missing),
            "unknown": list(self.unknown),
            "covered": list(self.covered),
            "qualifiers": list(self.qualifiers),
            "period_ok": self.period_ok,
            "topic_cover": round(self.topic_cover, 3),
            "reasons": list(self.reasons),
            "whose": self.whose,
            "vague": self.vague,
        }


class Library:
    """What the catalogue says each document is about: card terms and profile."""

    def __init__(self, cards: Iterable[Card]) -> None:
        self.terms: dict[str, frozenset[str]] = {}
        self.names: dict[str, frozenset[str]] = {}
        self.profiles: dict[str, DocumentProfile] = {}
        self.groups: dict[str, frozenset[str]] = {}
        for card in cards:
            self.terms[card.document_id] = frozenset(card.terms)
            self.names[card.document_id] = card.names
            self.profiles[card.document_id] = card.profile
            self.groups[card.document_id] = frozenset(card.allowed_groups)

    def visible_names(self, groups: Sequence[str] | None) -> list[frozenset[str]]:
        """Card names of the documents a user in ``groups`` may see (``None``: all), so
        whether the library 'mentions' a name never reveals a restricted document."""
        mine = None if groups is None else frozenset(groups)
        return [
            names
            for doc, names in self.names.items()
            if mine is None or not self.groups[doc] or self.groups[doc] & mine
        ]

    @classmethod
    def of(cls, entries: Iterable[CatalogEntry]) -> Library:
        """Cards as the router builds them (fiscal years of quarters resolved)."""
        return cls(DocumentRouter(entries).cards)


def assess(
    question: str,
    sources: Sequence[Passage],
    evidence: float,
    library: Library,
    mentioning: MentionFn,
    groups: Sequence[str] | None = (),
    advice: bool = False,
) -> Answerability:
    """Check ``sources`` (best first) against ``question``; ``mentioning(name)`` gives the
    library's passages (visible to the asker) most likely to mention a name; ``groups`` are
    the asker's entitlements (as in ``Searcher.search``). ``advice``: the question asks
    for a view on what it names (buy, recommend, suitable): a policy that names it (a
    restricted list, a phishing example) gives no view, so only its card counts."""
    reasons: list[str] = []
    source_terms = [_about(p, library, advice) for p in sources]
    missing: list[str] = []
    unknown: list[str] = []
    covered: list[str] = []
    tickers = _ticker_words(question)
    subjects = dict(subject_names(question))  # name -> its identifying words, in order
    for name, tokens in subjects.items():
        if name in tickers:
            continue
        if any(_names(tokens, terms) for terms in source_terms) or _spelled_out(name, sources):
            covered.append(name)
            continue
        missing.append(name)
        if advice and any(_names(tokens, _about(p, library)) for p in sources):
            reasons.append(f"{name} is named only in policies, which give no view on it")
            continue
        anywhere = any(_names(tokens, t) for t in library.visible_names(groups)) or any(
            _names(tokens, name_words(text)) for text in mentioning(name)
        )
        if anywhere:
            reasons.append(f"the passages found are not about {name}")
        else:
            unknown.append(name)
            reasons.append(f"nothing in the library mentions {name}")

    for word in tickers:
        # A ticker that is a word ("ON"): only the capitals in a source can mean it.
        written = re.compile(rf"(?<![\w&]){word}(?![\w&])")
        if any(written.search(p.text) or written.search(p.title) for p in sources):
            covered.append(word)
        else:
            missing.append(word)
            reasons.append(f"the passages found do not mention {word}")
    whose = None
    figure = company_figure(question)
    if figure and not missing and not covered:
        whose = figure
        ranked = _WHICH_RE.search(question)
        reasons.append(
            f"the question asks which {_singular(ranked[1])} ranks first by {figure}: name the "
            f"ones to compare, and each one's {figure} is quoted"
            if ranked
            else f"the question asks for {figure} but names no company, fund or product: say whose"
        )
    vague = not subjects and not tickers and all(w in DISCOURSE for w in topic_words(question, []))
    if vague:
        reasons.append(
            "the question does not say what it is about: name the company, fund, product or topic"
        )

    comparison = bool(compared_names(question))
    # A name written beside the company figure asked ("revenue in Greater China",
    # "Intelligent Cloud revenue") that a source names in its text is a part of the
    # covered company (a segment, region or product): not missing, but what the answer
    # must be about (``qualifiers``), since the company's total is not what is asked.
    qualifiers = [
        n
        for n in missing
        if figure is not None
        and covered
        and not comparison
        and n in subjects
        and qualifies(n, figure, question)
        and any(_names(subjects[n], name_words(p.text)) for p in sources)
    ]
    if qualifiers:
        missing = [n for n in missing if n not in qualifiers]
        unknown = [n for n in unknown if n not in qualifiers]  # a source names it
        gone = {
            f"{why} {n}"
            for n in qualifiers
            for why in ("the passages found are not about", "nothing in the library mentions")
        }
        reasons = [r for r in reasons if r not in gone]
    factor = 1.0
    # A name missing beside a covered one qualifies it ("a client with a Balanced risk
    # profile"); with nothing covered the sources are about something else. A missing
    # name in the possessive is whose figure is asked ("Goldman Sachs' price target for
    # Nike"), never a qualifier, unless names are compared. Nor does a company figure
    # qualified by a missing name stand ("Pfizer's revenue from Comirnaty", "3M's revenue
    # in Europe") whose part no source names: the sources hold the company's figure, not
    # the one asked.
    owner = [n for n in missing if possessive(n, question)]
    qualified_figure = figure is not None and any(qualifies(n, figure, question) for n in missing)
    if (missing and not covered) or ((owner or qualified_figure) and not comparison):
        factor *= MISSING_NAME_FACTOR
    ask = read_ask(question)
    topic = topic_stems(question, list(subjects))

    def unreported(subset: Sequence[Passage]) -> str | None:
        """The period asked when no passage of ``subset`` reports it ("Q2 2023", "2021")."""
        if ask.quarters:
            year, quarter = max(ask.quarters)
            found = any(reports_quarter(p, year, quarter, library.profiles) for p in subset)
            return None if found else f"Q{quarter} {year}"
        if ask.target_year is not None:
            found = reports_year(subset, ask.target_year, library.profiles, topic)
            return None if found else str(ask.target_year)
        return None

    period_ok: bool | None = None
    if ask.quarters or ask.target_year is not None:
        lacking = unreported(sources)
        period_ok = lacking is None
        if lacking is not None:
            factor *= PERIOD_MISS_FACTOR
            reasons.append(f"no source reports {lacking}")
        elif comparison and len(covered) > 1:
            # Names compared over a period: one whose own sources do not report it has no
            # figure for it, though another name's sources do ("Costco and Walmart net
            # income in fiscal 2021" with Walmart's filings ending in fiscal 2020).
            for name in list(covered):
                own = [sources[i] for i in sources_about(name, sources, library)]
                if (period := unreported(own)) is not None and len(covered) > 1:
                    covered.remove(name)
                    missing.append(name)
                    reasons.append(f"no source reports {period} for {name}")

    texts = [
        frozenset(tokenize(p.text)) | library.terms.get(p.document_id, frozenset())
        for p in sources[:3]
    ]
    cover = topic_cover(question, missing + covered + qualifiers, texts)
    if cover < TOPIC_FULL:
        factor *= TOPIC_FLOOR + (1 - TOPIC_FLOOR) * cover / TOPIC_FULL
        reasons.append(f"the sources hold {cover:.0%} of the question's topic words")
    return Answerability(
        score=evidence * factor,
        evidence=evidence,
        missing=tuple(missing),
        unknown=tuple(unknown),
        covered=tuple(covered),
        qualifiers=tuple(qualifiers),
        period_ok=period_ok,
        topic_cover=cover,
        reasons=tuple(reasons),
        comparison=comparison,
        figure=figure,
        whose=whose,
        vague=vague,
    )


def _singular(kind: str) -> str:
    kind = kind.lower()
    return "company" if kind == "companies" else kind.removesuffix("s")


def names_all(names: Sequence[str], text: str) -> bool:
    """Whether ``text`` writes every word of each of ``names``, in any case ("GREATER CHINA"
    for "Greater China")."""
    words = name_words(text)
    return all(_names(name_tokens(n), words) for n in names)


def parts_first(
    question: str, passages: Sequence[Passage], verdict: Answerability, count: int
) -> list[Passage] | None:
    """``passages`` with those naming a part of a covered company first, when the question
    asks that part's figure ("Amazon's AWS operating income") and none of the first
    ``count`` (the sources) names it, though passages ranked below them do (the segment
    note under the consolidated statements); None otherwise. Only a part qualifying the
    figure asked is sought so: a company named alone may be named by another's filing (a
    competitor list), which holds none of its figures."""
    if not verdict.covered or verdict.figure is None or verdict.comparison:
        return None
    figure = verdict.figure
    parts = [n for n in verdict.missing if qualifies(n, figure, question)]
    naming = [p for p in passages[count:] if parts and names_all(parts, p.text)]
    if not naming:
        return None
    return [*naming, *(p for p in passages if p not in naming)]


def sources_about(name: str, sources: Sequence[Passage], library: Library) -> list[int]:
    """Indexes of the sources that are about ``name`` (as the name check reads them)."""
    tokens = name_tokens(name)
    return [i for i, p in enumerate(sources) if tokens and _names(tokens, _about(p, library))]


def _ticker_words(question: str) -> list[str]:
    """Words in capitals that are ordinary words in lower case ("ON", "NOW", "ALL")."""
    return [w for w in capitalised_words(question) if not tokenize(w)]


def _about(passage: Passage, library: Library, advice: bool = False) -> frozenset[str]:
    """The words that say what a passage is about: its document's card, plus its own text
    unless the document is an issuer's own filing, which is about that issuer (a lender,
    customer or competitor named inside it is not what it reports on), or, when a view
    is asked for, a policy (what staff may do, not what the firm thinks of a security)."""
    card = library.names.get(passage.document_id, frozenset())
    profile = library.profiles.get(passage.document_id)
    # A filing is about its registrant even where its cover's name was not read (the card
    # still carries its title and file name): a card network named in a payments
    # company's 10-K is a competitor, not the subject.
    if profile is not None and profile.doc_type in _ISSUER_FILINGS:
        return card
    if advice and profile is not None and profile.doc_type == "policy":
        return card
    return card | name_words(passage.text)


def _names(tokens: frozenset[str], terms: frozenset[str]) -> bool:
    """Every word of the name is among ``terms``; a longer form of a word counts for it
    ("indian" for "india")."""
    return all(
        t in terms or any(len(u) >= 4 and t.startswith(u) and len(t) - len(u) <= 2 for u in terms)
        for t in tokens
    )


def _spelled_out(name: str, sources: Sequence[Passage]) -> bool:
    """An acronym whose words a source spells out ("GTC": good-till-cancelled)."""
    if not _ACRONYM.match(name):
        return False
    letters = name.lower()
    pattern = re.compile(
        r"\b" + r"[\w'’]*[\s-]+(?:(?:and|of|the|&)[\s-]+)?".join(letters) + r"\w*", re.I
    )
    return any(pattern.search(p.text) for p in sources)
