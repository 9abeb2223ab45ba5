"""Query expansion: rewrite a question into a few variants and extra terms before retrieval.

Back-ends are picked by name (``retrieval.expanders``): ``none`` (the question alone),
``lexicon`` (offline default): acronyms and long forms from the built-in financial lexicon,
both ways, optionally extended with definitions mined from the indexed corpus
(``mine_lexicon``), and the chat-model kinds of ``expand_llm``: ``llm-rewrite``,
``llm-multi`` and ``hyde``. ``rewrite_followup`` turns a follow-up ("what about 2023?") into a
standalone question from the previous user turns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple, Protocol

from retrieval.lexicon import (
    LEXICON,
    PhraseIndex,
    PhraseMatch,
    case_sensitive,
    clean_text,
    fold,
    is_acronym,
    tokenize,
)
from retrieval.mentions import Mention, PeriodMention, extract_entities, find_entities, find_periods


@dataclass(frozen=True, slots=True)
class Expansion:
    """``variants`` start with the question itself; ``added_terms`` are for a BM25 query."""

    original: str
    variants: tuple[str, ...]
    added_terms: tuple[str, ...]


class QueryExpander(Protocol):
    def expand(self, question: str) -> Expansion: ...


class NoExpander:
    """The question alone: the baseline every expansion is measured against."""

    def expand(self, question: str) -> Expansion:
        text = clean_text(question).strip()
        return Expansion(question, (text,) if text else (), ())


class LexiconExpander:
    """Acronym <-> long form <-> synonym expansion from the financial lexicon.

    ``extra`` maps an acronym to long forms (for example ``mine_lexicon(corpus_texts)``);
    it joins the built-in group that shares a term, or becomes a new group. At most
    ``max_variants`` variants (the question included) and ``max_terms`` added terms.
    """

    def __init__(
        self,
        extra: Mapping[str, Iterable[str]] | None = None,
        *,
        max_variants: int = 4,
        max_terms: int = 24,
    ) -> None:
        if max_variants < 1 or max_terms < 0:
            raise ValueError(
                f"need max_variants >= 1 and max_terms >= 0, got {max_variants}, {max_terms}"
            )
        self.max_variants = max_variants
        self.max_terms = max_terms
        self.groups = _merge_groups(LEXICON, extra or {})
        self._index: PhraseIndex[int] = PhraseIndex(
            (term, case_sensitive(term), g) for g, group in enumerate(self.groups) for term in group
        )

    def expand(self, question: str) -> Expansion:
        text = clean_text(question).strip()
        if not text:
            return Expansion(question, (), ())
        matches = self._index.find(text)
        keys = dict.fromkeys((m.payload, m.surface) for m in matches)
        choices = {key: self._choice(*key) for key in keys}
        variants = [text]
        for field in ("long", "short", "synonym"):
            swaps = {key: getattr(choice, field) for key, choice in choices.items()}
            variants.append(_replace(text, matches, swaps))
        folded = fold(text)
        added = dict.fromkeys(term for choice in choices.values() for term in choice.others)
        return Expansion(
            question,
            tuple(dict.fromkeys(variants))[: self.max_variants],
            tuple(term for term in added if fold(term) not in folded)[: self.max_terms],
        )

    def _choice(self, group_index: int, surface: str) -> _Choice:
        group = self.groups[group_index]
        said = _norm(surface)
        others = [t for t in group if _norm(t) not in (said, said[:-1])]
        acronyms = [t for t in group if is_acronym(t)]
        longs = [t for t in group if not is_acronym(t)]
        if any(t not in others for t in acronyms):  # the question used an acronym
            return _Choice(longs[0] if longs else None, None, None, others)
        synonym = None if acronyms else next((t for t in longs if t in others), None)
        return _Choice(None, acronyms[0] if acronyms else None, synonym, others)


class _Choice(NamedTuple):
    """Replacements for one matched term in each variant, and the group's other terms.

    An acronym gets its long form (``long``), a long form its acronym (``short``), a term
    of a group without acronyms ("revenue") its first synonym (``synonym``).
    """

    long: str | None
    short: str | None
    synonym: str | None
    others: list[str]


def _norm(term: str) -> str:
    """Folded tokens joined by spaces: "Free-Cash-Flow" and "free cash flow" compare equal."""
    return " ".join(fold(token.text) for token in tokenize(term))


def _replace(
    text: str, matches: Sequence[PhraseMatch[int]], swaps: Mapping[tuple[int, str], str | None]
) -> str:
    out: list[str] = []
    last = 0
    for match in matches:
        new = swaps[(match.payload, match.surface)]
        if new is None:
            continue
        out.append(text[last : match.start])
        if out[-1][-1:].isalnum():
            out.append(" ")
        out.append(new)
        if text[match.end : match.end + 1].isalnum():  # "FY2022" -> "fiscal year 2022"
            out.append(" ")
        last = match.end
    out.append(text[last:])
    return "".join(out)


def _merge_groups(
    base: Iterable[Sequence[str]], extra: Mapping[str, Iterable[str]]
) -> tuple[tuple[str, ...], ...]:
    groups = [list(group) for group in base]
    where: dict[str, int] = {}
    for g, group in enumerate(groups):
        for term in group:
            where.setdefault(_key(term), g)
    for acronym, longs in extra.items():
        terms = [acronym, *sorted(longs)]
        known = [where[_key(t)] for t in terms if _key(t) in where]
        target = known[0] if known else len(groups)
        if not known:
            groups.append([])
        for term in terms:
            if _key(term) not in where:
                groups[target].append(term)
                where[_key(term)] = target
    return tuple(tuple(group) for group in groups if group)


def _key(term: str) -> str:
    # Acronyms keep their case ("IT" is not "it"); words and phrases compare folded.
    return term if case_sensitive(term) else " ".join(fold(w) for w in re.split(r"[\s\-]+", term))


# --- mining "long form (ACRONYM)" and "ACRONYM (long form)" definitions --------------------

_PAREN = re.compile(r"\(([^()\n]{1,80})\)")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z&/.\-]*)\s*$")
_CLAUSE_END = re.compile(r"[.;:!?\n()\[\]]")
_SKIPPABLE = frozenset({"of", "and", "the", "for", "to", "in", "on", "a", "an", "&", "de", "by"})


def mine_lexicon(texts: Iterable[str]) -> dict[str, set[str]]:
    """Acronym -> long forms defined in ``texts``, e.g. "free cash flow (FCF)".

    Both "long form (ACRONYM)" and "ACRONYM (long form)" count, and only when the acronym's
    letters are the initials of the long form's words in order (small words such as "of"
    may be skipped): "Markets in Financial Instruments Directive (MiFID)" is found,
    "revenue (see note 3)" is not. Long forms are returned lower-cased.
    """
    found: dict[str, set[str]] = {}
    for text in texts:
        for match in _PAREN.finditer(text):
            inner = match.group(1).strip()
            acronym = _as_acronym(inner)
            if acronym is not None:
                clause = _CLAUSE_END.split(text[max(0, match.start() - 300) : match.start()])[-1]
                long_form = _long_form_before(clause.split(), _letters(acronym))
            else:
                before = _WORD_BEFORE.search(text[max(0, match.start() - 30) : match.start()])
                acronym = _as_acronym(before.group(1)) if before else None
                words = inner.replace(",", " ").split()
                letters = _letters(acronym) if acronym else ""
                long_form = " ".join(words) if acronym and _initials_match(words, letters) else None
            if acronym is not None and long_form:
                found.setdefault(acronym, set()).add(long_form.lower().strip(" ,"))
    return found


def _as_acronym(token: str) -> str | None:
    token = token.strip(" .,;:")
    if len(token) > 2 and token.endswith("s") and token[-2].isupper():
        token = token[:-1]  # "ETFs"
    letters = [ch for ch in token if ch.isalpha()]
    uppers = sum(ch.isupper() for ch in letters)
    shape_ok = re.fullmatch(r"[A-Z][A-Za-z&/\-]{0,11}", token) is not None
    return token if shape_ok and uppers >= 2 and 2 <= len(letters) <= 10 else None


def _letters(acronym: str) -> str:
    # All letters of "EBITDA"; only the capitals of mixed-case "MiFID" (M F I D) or "BoE".
    letters = [ch for ch in acronym if ch.isalpha()]
    if any(ch.islower() for ch in letters):
        letters = [ch for ch in letters if ch.isupper()]
    return "".join(letters).lower()


def _long_form_before(words: list[str], letters: str) -> str | None:
    """The shortest run of trailing ``words`` whose initials spell ``letters``."""
    words = [w.strip(",\"'“”") for w in words]
    for size in range(1, min(len(words), len(letters) + 4) + 1):
        candidate = [w for w in words[-size:] if w]
        if _initials_match(candidate, letters):
            return " ".join(candidate)
    return None


def _initials_match(words: Sequence[str], letters: str) -> bool:
    parts = tuple(p for w in words for p in re.split(r"[-/]", w) if p)
    if len(parts) < 2 or not letters or parts[0][0].lower() != letters[0]:
        return False
    return _spell(parts, letters)


def _spell(parts: tuple[str, ...], letters: str) -> bool:
    """Each word gives its initial to the next letter, or is a small word that is skipped."""
    if not parts:
        return not letters
    head, rest = parts[0], parts[1:]
    if letters and head[0].lower() == letters[0] and _spell(rest, letters[1:]):
        return True
    return head.lower() in _SKIPPABLE and _spell(rest, letters)


# --- follow-up rewriting -------------------------------------------------------------------

_ABOUT = re.compile(
    r"^\s*(?:(?:and\s+)?(?:what|how)\s+about|and(?:\s+(?:for|in))?|(?:the\s+)?same\s+(?:for|in)"
    r"|what\s+of)\s+(?P<slot>[^?!]{1,80}?)\s*[?.!]*\s*$",
    re.I,
)
# "How does that compare with 2021?": the earlier question, set against the slot.
_COMPARE_THAT = re.compile(
    r"^\s*(?:and\s+)?how\s+(?:does|did|do|would|has)\s+(?:that|this|it|these|those)\s+"
    r"compared?\s+(?:with|to|against)\s+(?P<slot>[^?!]{1,80}?)\s*[?.!]*\s*$",
    re.I,
)
_PRONOUNS = re.compile(r"\b(?:its|their|it|they|them|the\s+company|this\s+company)\b", re.I)
_QUARTER_ONLY = re.compile(
    r"^(?:Q[1-4]|[1-4]Q|H[12]|(?:first|second|third|fourth)\s+quarter)$", re.I
)
_DETERMINER = re.compile(r"^(?:its|their|his|her|the)\s+", re.I)
_PAST = re.compile(r"\b(?:was|were|did|had)\b", re.I)
# A year named relative to the one asked before: "the year before", "the prior year".
_YEAR_BEFORE = re.compile(
    r"^(?:(?:in|for)\s+)?(?:the\s+)?(?:year\s+before|(?:prior|previous|preceding)\s+year"
    r"|year\s+earlier|a\s+year\s+earlier)$",
    re.I,
)
_YEAR_AFTER = re.compile(
    r"^(?:(?:in|for)\s+)?(?:the\s+)?(?:year\s+after|(?:following|next)\s+year"
    r"|a\s+year\s+later)$",
    re.I,
)
# A slot that names a share class or series ("the Class A shares", "Series B").
_CLASS_NAMES = re.compile(r"\b(?:Class|Series|Tranche|Tier)\b(?:\s+[A-Z0-9]{1,2}\b)?")
# A slot that is a case of the question, not its subject: "on $2 million", "for a trust".
_PREPOSITION = re.compile(r"^(?:on|for|at|with|under|over|above|below|from|to)\s", re.I)
# What is left of a slot once its names and periods are taken out: connectives only, or
# the measure it asks about instead ("its operating margin in 2022").
_CONNECTIVES = frozenset(
    {"s", "the", "its", "their", "in", "for", "of", "on", "at", "and", "during"}
    | {"fiscal", "year", "fy"}
)


def rewrite_followup(question: str, history: Sequence[str]) -> str:
    """Rewrite a follow-up into a standalone question using the previous user questions.

    Handles "what/how about X?", "and X?", "same for X?" (X a year, quarter, name, a
    metric such as "its margin", a metric with a name or year, or a year counted from the
    one asked before: "the year before", "the following year"), "how does that compare
    with X?" and questions whose subject is a pronoun ("What was its EPS?"). The subject
    and period come from the latest earlier question that names them, itself rewritten
    first. Limits: English only; one subject (the first name mentioned); a question with
    no follow-up cue ("What about" / pronoun) is returned unchanged even if it silently
    drops the period; no coreference beyond those pronouns.
    """
    text = clean_text(question).strip()
    context = _standalone(history)
    if not text or context is None:
        return question
    compared = _COMPARE_THAT.match(text)
    if compared and len(compared["slot"].split()) <= 8:
        return _append(context, f"compared with {compared['slot'].strip()}")
    about = _ABOUT.match(text)
    if about and len(about["slot"].split()) <= 8:
        # Names are found in the whole question: a lone "Globex" opening the slot would
        # otherwise look like a capitalised sentence opener.
        return _fill(context, text, about["slot"].strip())
    if not find_entities(text) and _PRONOUNS.search(text):
        names = extract_entities(context)
        if names:
            rewritten = _PRONOUNS.sub(lambda m: _as_subject(m.group(), names[0]), text)
            periods = find_periods(context)
            if periods and not find_periods(text):
                rewritten = _append(rewritten, "in " + _surface(context, periods))
            return rewritten
    return question


def _standalone(history: Sequence[str]) -> str | None:
    """The latest earlier question that names a subject or period, rewritten standalone."""
    context: str | None = None
    for turn in history[-5:]:
        turn = clean_text(turn).strip()
        rewritten = rewrite_followup(turn, [context]) if context else turn
        if find_entities(rewritten) or find_periods(rewritten):
            context = rewritten
    return context


def _fill(context: str, question: str, slot: str) -> str:
    """Put the slot of the follow-up ``question`` ("what about <slot>?") into ``context``."""
    names, periods = find_entities(question), find_periods(question)
    old_names, old_periods = find_entities(context), find_periods(context)
    if _QUARTER_ONLY.match(slot) and old_periods:
        first = old_periods[0]
        year_text = str(first.period.year)
        return context[: first.start] + f"{slot} {year_text}" + context[first.end :]
    shift = -1 if _YEAR_BEFORE.match(slot) else 1 if _YEAR_AFTER.match(slot) else 0
    if shift:
        if not old_periods:
            return question  # a year before what? Nothing to count from.
        first = old_periods[0]
        moved = _shift_year(context[first.start : first.end], shift)
        return context[: first.start] + moved + context[first.end :]
    if _CLASS_NAMES.search(slot) and all(_CLASS_NAMES.fullmatch(n.text) for n in names):
        # "And the Class A shares?": a share class or series of what was asked about.
        return _append(context, f"for {_DETERMINER.sub('', slot)}")
    if not names and not periods:
        if _PREPOSITION.match(slot):
            # "And on $2 million?": the same question, for another amount or case too.
            return _append(context, f"and {slot}")
        return _about_metric(
            context, _DETERMINER.sub("", slot), old_names, _surface(context, old_periods)
        )
    measure = _measure_in(slot, names, periods, question)
    # The measure asked before, named again ("its 2027 target" after "... S&P 500 target"),
    # keeps the earlier question's wording; only its names and periods change.
    asked_before = {fold(t.text) for t in tokenize(measure)} <= {
        fold(t.text) for t in tokenize(context)
    }
    if measure and not asked_before:
        # "and its operating margin in 2022?", "what about Globex's net income?": the
        # measure asked replaces the earlier one, the names and periods given theirs.
        period = _surface(question, periods) if periods else _surface(context, old_periods)
        return _about_metric(context, measure, names or old_names, period)
    edits: list[tuple[int, int, str]] = []
    if periods:
        new = _surface(question, periods)
        if old_periods:
            edits.append((old_periods[0].start, old_periods[0].end, new))
        else:
            context = _append(context, f"in {new}")
    if names:
        if old_names:
            edits.append((old_names[0].start, old_names[0].end, names[0].text))
        else:
            context = _append(context, f"for {names[0].text}")
    for start, end, new in sorted(edits, reverse=True):
        context = context[:start] + new + context[end:]
    return context


def _about_metric(context: str, metric: str, names: Sequence[Mention], period: str) -> str:
    """The question "What was the <metric> of <names> in <period>?", tensed as ``context``."""
    lead = "What was" if _PAST.search(context) else "What is"
    subject = " and ".join(dict.fromkeys(n.text for n in names))
    question = f"{lead} the {metric}" + (f" of {subject}" if subject else "")
    return question + (f" in {period}" if period else "") + "?"


def _measure_in(
    slot: str, names: Sequence[Mention], periods: Sequence[PeriodMention], question: str
) -> str:
    """The words of ``slot`` that name neither a name, a period nor a connective: the
    measure a follow-up asks about ("operating margin" of "its operating margin in 2022")."""
    rest = slot
    for text in [n.text for n in names] + [question[p.start : p.end] for p in periods]:
        rest = rest.replace(text, " ")
    words = re.findall(r"[A-Za-z&][\w&/-]*", rest.replace("’", "'"))
    kept = [w for w in words if w.lower() not in _CONNECTIVES]
    if not kept:
        return ""
    first = words.index(kept[0])
    last = len(words) - 1 - words[::-1].index(kept[-1])
    return " ".join(words[first : last + 1])


def _shift_year(surface: str, by: int) -> str:
    """A period as written, its year moved ``by`` years ("fiscal 2023" -> "fiscal 2022",
    "FY23" -> "FY22")."""
    full = re.search(r"(?<!\d)(\d{4})(?!\d)", surface)
    if full:
        return surface[: full.start()] + str(int(full[1]) + by) + surface[full.end() :]
    short = re.search(r"(?<!\d)(\d{2})(?!\d)", surface)
    if short:
        year = (int(short[1]) + by) % 100
        return surface[: short.start()] + f"{year:02d}" + surface[short.end() :]
    return surface


def _surface(text: str, periods: Sequence[PeriodMention]) -> str:
    return " and ".join(dict.fromkeys(text[p.start : p.end] for p in periods))


def _as_subject(pronoun: str, name: str) -> str:
    return f"{name}'s" if pronoun.lower() in ("its", "their") else name


def _append(question: str, phrase: str) -> str:
    body = question.rstrip(" ?.!")
    return f"{body} {phrase}{question[len(body) :].strip() or '?'}"
