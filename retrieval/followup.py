"""Follow-ups rewritten into standalone questions from the earlier turns, offline.

``rewrite_followup`` turns "what about 2023?", "and its operating margin?", "and the year
before?" or "how does that compare with Globex?" into the question it stands for, from the
previous user questions. ``retrieval.expand_llm`` has the chat-model counterpart.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from retrieval.lexicon import clean_text, fold, tokenize
from retrieval.mentions import Mention, PeriodMention, extract_entities, find_entities, find_periods

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
# "Which one is cheaper?", "Which of them pays more?": the two names asked about last,
# side by side in the latest question.
_WHICH_ONE = re.compile(
    r"^\s*(?:and\s+|so\s+)?which\s+(?:one|of\s+(?:them|the\s+two|these|those|the\s+funds))\b"
    r"(?P<rest>[^?!]{0,80}?)\s*[?.!]*\s*$",
    re.I,
)
_PRONOUNS = re.compile(r"\b(?:its|their|it|they|them|the\s+company|this\s+company)\b", re.I)
_QUARTER_ONLY = re.compile(
    r"^(?:Q[1-4]|[1-4]Q|H[12]|(?:first|second|third|fourth)\s+quarter)$", re.I
)
_DETERMINER = re.compile(r"^(?:its|their|his|her|the)\s+", re.I)
_PAST = re.compile(r"\b(?:was|were|did|had)\b", re.I)
# A year named relative to the one asked before: "the year before", "the prior year",
# "the following year".
_YEAR_AWAY = re.compile(
    r"^(?:(?:in|for)\s+)?(?:the\s+)?(?:"
    r"(?P<before>year\s+before|(?:prior|previous|preceding)\s+year|(?:a\s+)?year\s+earlier)"
    r"|(?P<after>year\s+after|(?:following|next)\s+year|a\s+year\s+later))$",
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
    which = _WHICH_ONE.match(text)
    if which and not find_entities(text):
        return _which_one(context, history, which["rest"].strip()) or question
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


def _which_one(context: str, history: Sequence[str], rest: str) -> str | None:
    """ "Which one is cheaper?" after questions about two names: the latest question asked
    of both, and which one ("What is the A and B's expense ratio, and which one is
    cheaper?"); None when the history names fewer than two."""
    names: list[str] = []
    for turn in _rewritten(history):
        for mention in find_entities(turn):
            if fold(mention.text) not in {fold(n) for n in names}:
                names.append(mention.text)
    current = find_entities(context)
    if len(names) < 2 or not current:
        return None
    first, second = names[-2], names[-1]
    both = (
        f"{first} and {second}"
        if fold(current[0].text) == fold(second)
        else f"{second} and {first}"
    )
    asked = context[: current[0].start] + both + context[current[0].end :]
    return f"{asked.rstrip(' ?.!')}, and which one{' ' + rest if rest else ''}?"


def _rewritten(history: Sequence[str]) -> list[str]:
    """The last earlier questions, each rewritten standalone from those before it."""
    out: list[str] = []
    context: str | None = None
    for turn in history[-5:]:
        turn = clean_text(turn).strip()
        rewritten = rewrite_followup(turn, [context]) if context else turn
        out.append(rewritten)
        if find_entities(rewritten) or find_periods(rewritten):
            context = rewritten
    return out


def _standalone(history: Sequence[str]) -> str | None:
    """The latest earlier question that names a subject or period, rewritten standalone."""
    named = [t for t in _rewritten(history) if find_entities(t) or find_periods(t)]
    return named[-1] if named else None


def _fill(context: str, question: str, slot: str) -> str:
    """Put the slot of the follow-up ``question`` ("what about <slot>?") into ``context``."""
    names, periods = find_entities(question), find_periods(question)
    old_names, old_periods = find_entities(context), find_periods(context)
    if _QUARTER_ONLY.match(slot) and old_periods:
        first = old_periods[0]
        year_text = str(first.period.year)
        return context[: first.start] + f"{slot} {year_text}" + context[first.end :]
    away = _YEAR_AWAY.match(slot)
    if away:
        shift = -1 if away["before"] else 1
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
