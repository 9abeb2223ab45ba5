"""Question routing before retrieval: intent, risk tier, and what the question mentions.

Intents: "research" (in scope), "off_topic", "action" (a request to trade, move money or
contact a client: never performed, escalated) and "small_talk". Back-ends are picked by
name (``retrieval.classifiers``): ``rules`` (offline default), ``exemplar`` (votes of the
nearest labelled example questions), ``hybrid`` (rules for high-precision signals,
exemplars for the rest) and ``llm`` (a chat model, with the rules' actions kept; see
``classify_llm``).

When unsure, every back-end answers "research": retrieval and the answer stage's abstention
handle a question the library cannot answer, whereas a research question wrongly refused or
escalated is an answer lost with nothing downstream to recover it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal, NamedTuple, Protocol, cast, get_args

import numpy as np
import numpy.typing as npt

from core.errors import ConfigError
from retrieval.lexicon import (
    ACTION_VERBS,
    CJK_VOCABULARIES,
    EXEMPLARS,
    NOMINAL_AFTER_VERB,
    PHRASAL_VERBS,
    VOCABULARIES,
    PhraseIndex,
    PhraseMatch,
    clean_text,
    has_cjk,
    tokenize,
)
from retrieval.mentions import Period, extract_doc_types, extract_entities, extract_periods
from retrieval.tickers import is_ticker_like

Intent = Literal["research", "off_topic", "action", "small_talk"]
Risk = Literal["low", "medium", "high"]
INTENTS: tuple[Intent, ...] = get_args(Intent)
RISKS: tuple[Risk, ...] = get_args(Risk)
EmbedFn = Callable[[Sequence[str]], npt.NDArray[Any]]


@dataclass(frozen=True, slots=True)
class Classification:
    """How to route one question and why; ``reasons`` name the rules that fired."""

    intent: Intent
    risk: Risk
    confidence: float
    reasons: tuple[str, ...]
    entities: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    periods: tuple[Period, ...] = ()
    doc_types: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.intent not in INTENTS or self.risk not in RISKS:
            raise ValueError(f"bad intent/risk {self.intent!r}/{self.risk!r}")
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"confidence must be in [0, 1], got {self.confidence}")


class Classifier(Protocol):
    def classify(self, question: str, history: Sequence[str] = ()) -> Classification: ...


_CJK_ACTION = re.compile(
    r"(?:帮我|請|请|给我|給我|替我).{0,10}(?:卖出|卖掉|买入|买进|购买|转账|汇款|下单)"
    r"|(?:卖出|卖掉|买入|买进|购买|转账|汇款)\s*\d"
)

# --- actions: a request verb at the start of a clause (or after "can you", "I want to"...)
# followed by something it acts on. "sell-side", "trading procedures" and "selling
# restricted securities" name activities; "Sell 500 shares" and "can you wire $5k" ask for one.
# What a command acts on: a pronoun, determiner, amount or name right after the verb.
_STRONG_OBJECT = re.compile(
    r"(?i:\s*(?:(?:me|us|him|her|them)\s+)?)(?:(?i:the|a|an|my|our|his|her|their|your|this|that"
    r"|these|those|all|everything|some|any|half|another|more|every|each|it|them)\b"
    r"|[$£€]|\d|[A-Z][A-Za-z]+\b)"
)
_INSTRUMENT = re.compile(
    r"\b(?:shares?|units?|stocks?|equit(?:y|ies)|bonds?|funds?|etfs?|positions?|holdings?|"
    r"orders?|trades?|options?|contracts?|lots?|stakes?|exposure|allocation|portfolios?|"
    r"accounts?|securities|notes|treasur(?:y|ies)|gilts?|futures|currency|crypto|bitcoin)\b",
    re.I,
)
_MONEY = re.compile(
    r"[$£€]\s?\d|\b\d[\d,.]*\s*(?:k|m|mm|bn|million|thousand|billion|dollars|usd|eur|euros|"
    r"gbp|pounds|chf)\b|\b(?:money|cash|funds|balance|proceeds|payment|invoice|bill)\b"
    r"|\b\d[\d,.]*\s*(?:k|m|mm|bn)?\s*(?:shares?|units?|lots?|contracts?|bonds?)\b"
    r"|\b\d[\d,]*\s+(?-i:[A-Z]{2,5})\b|\b(?:to|from)\s+(?:the\s+|my\s+|his\s+|her\s+)?account\b",
    re.I,
)
# Client records and services an administrative verb ("waive", "remove", "update") acts on.
_RECORD = re.compile(
    r"\b(?:clients?|customers?|accounts?|profiles?|limits?|fees?|charges?|commissions?|lists?"
    r"|records?|mandates?|address|status|password|access|permissions?|beneficiar(?:y|ies)"
    r"|household|family|restrictions?|exceptions?|complaints?|applications?|discounts?|loans?"
    r"|mortgages?|overdraft|credit\s+line|tickets?|flags?|alerts?|kyc|details|settings"
    r"|preferences|risk\s+(?:profile|rating|score)|cards?|meetings?|calls?|appointments?"
    r"|reviews?|watchlist|standing\s+order|direct\s+debit)\b",
    re.I,
)
_DESTINATION = re.compile(
    r"\b(?:from|to|on|onto|off|into)\s+(?:the\s+|our\s+|my\s+|this\s+)?(?:[\w-]+\s+)?"
    r"(?:list|watchlist|register|system|database|crm|file|account|profile)\b",
    re.I,
)
_PERSON = (
    r"(?:(?:my|our|the|this|that|a)\s+)?(?:clients?|customers?|investors?|team|compliance|"
    r"boss|manager|(?:mr|mrs|ms|miss|dr)\b|him|her|them)"
)
_RECIPIENT = re.compile(
    rf"\b(?:to|with)\s+(?:{_PERSON}|[A-Z][a-z]+)|@|\b(?:via|by)\s+e-?mail", re.I
)
_CONTACT_TARGET = re.compile(rf"\s*(?:{_PERSON}|[A-Z][a-z]+\b)")
_QUANTITY = re.compile(r"\d|\b[A-Z]{2,5}\b|\b(?:alle|todas|todos|toutes|tous)\b")

_CLAUSE_SPLIT = re.compile(r"[.!?;:\n\r]+")
_CONJ_SPLIT = re.compile(r",|\b(?:and then|and|then|but|also)\b", re.I)
_LEAD = re.compile(
    r"\s*(?:(?:please|pls|plz|kindly|now|just|ok|okay|so|quickly|immediately|urgently|asap|hey"
    r"|hi|hello|assistant|bitte|por favor|go\s+ahead\s+and|right\s+away)\b[\s,]*)*",
    re.I,
)
_VERB_AT = re.compile(r"(?P<verb>[^\W\d_]+(?:-mail)?)(?![\w-])(?P<rest>[^\n]{0,160})")
_REQUEST_FRAME = re.compile(
    r"\b(?:(?:can|could|would|will|can't|cant|won't)\s+(?:you|u)|i\s+(?:need|want)\s+you\s+to"
    r"|help\s+me|let'?s|let\s+us|you\s+(?:must|should|need\s+to)|make\s+sure\s+(?:you|to)"
    r"|go\s+ahead\s+and|proceed\s+to|please|pls|plz|kindly|is\s+it\s+possible\s+to"
    r"|are\s+you\s+able\s+to|any\s+chance\s+you\s+(?:can|could)"
    r"|(?:i|we)\s*(?:'d|’d|\s+would|'m|’m|\s+am|\s+are|'re)?\s+(?:like|love|want|need|wish|"
    r"wanna|going|trying|looking|ready|planning|have|intend|plan)\s+to"
    r"|(?:clients?|customers?|he|she|they)\s+(?:wants|would\s+like|needs|wishes|has\s+asked"
    r"|asked|is\s+asking)\s+(?:(?:me|us)\s+)?to)"
    r"(?:\s+(?:please|kindly|just|quickly|now|also|immediately|go\s+ahead\s+and))*\s+"
    r"(?P<verb>[^\W\d_]+(?:-mail)?)(?![\w-])(?P<rest>[^.!?\n]{0,160})",
    re.I,
)
_GERUND_FRAME = re.compile(
    r"\bwould\s+you\s+mind\s+(?P<verb>[^\W\d_]+ing)\b(?P<rest>[^.!?\n]{0,160})", re.I
)
_GO_AHEAD = re.compile(
    r"\b(?:go\s+ahead|proceed)\s+with\s+(?:the|this|that|my|our|a)?\s*(?:trade|order|transfer"
    r"|payment|purchase|sale|redemption|switch|rebalanc\w*|wire|subscription)\b",
    re.I,
)
_QUESTION_OPENING = re.compile(
    r"\s*(?:what|how|why|when|where|which|who|whom|whose|is|are|was|were|do|does|did|can|could"
    r"|should|would|will|has|have|had)\b",
    re.I,
)
_ME = re.compile(r"\s*(?:me|us)\b", re.I)
_HYPOTHETICAL = re.compile(r"\bif\s+(?:you|i|we)\b", re.I)
_INJECTION = re.compile(
    r"\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+|the\s+|your\s+|my\s+)*"
    r"(?:previous|prior|above|earlier|preceding|system|original)?\s*"
    r"(?:instructions?|rules|prompts?|directions|guidelines|guardrails|restrictions)\b"
    r"|\bsystem\s+prompt\b|\bdeveloper\s+mode\b|\bjailbreak|\byou\s+are\s+now\b"
    r"|\bpretend\s+(?:to\s+be|you\s+are)\b|\bno\s+longer\s+bound\b",
    re.I,
)
_CREATIVE = re.compile(
    r"\b(?:write|compose|tell|sing|make\s+up|give)\s+(?:me\s+|us\s+)?(?:a|an|another|some)\s+"
    r"(?:\w+\s+){0,2}?(?:poem|haiku|limerick|song|story|joke|riddle|rap|sonnet|screenplay)s?\b",
    re.I,
)
# Research that reads as advice for a specific client or person: medium risk.
_ADVICE_VERBS = (
    r"(?:buy|sell|invest|hold|add|reduce|trim|exit|switch|allocate|purchase|keep|move|put|"
    r"increase|decrease|rebalance|consider|get|go|do|stay|avoid|take|choose|pick|own)"
)
_ADVICE = re.compile(
    rf"\bshould\s+(?:i|we|he|she|{_PERSON}|(?:mr|mrs|ms|miss|dr)\.?\s+\w+)\s+(?:\w+\s+)?"
    rf"{_ADVICE_VERBS}\b"
    r"|\b(?:suitab\w*|appropriate|right|good\s+fit|a\s+good\s+(?:investment|idea|choice)|"
    r"advisable|recommend\w*|wise|sensible|too\s+risky|safe)\b[^.?!\n]{0,60}?\b(?:for|to)\s+"
    r"(?:(?:my|our|the|this|that)\s+(?:\w+\s+)?(?:clients?|customers?|retirees?|"
    r"pensioners?|widows?|famil(?:y|ies)|couples?)\b|(?:mr|mrs|ms|miss|dr)\b\.?\s*\w+|him\b|her\b)"
    rf"|\b(?:my|our)\s+clients?(?:'s|’s)?\b[^.?!\n]{{0,60}}?\b{_ADVICE_VERBS}\b",
    re.I,
)
_FOLLOW_UP = re.compile(
    r"^\s*(?:and\b|(?:what|how)\s+(?:about|of)\b|(?:the\s+)?same\s+(?:for|in)\b)"
    r"|\b(?:it|its|they|their|them|that|those)\b",
    re.I,
)
MAX_TOPIC_CHARS = 4000
_WORDLIKE = re.compile(r"[^\W_]")
_VOCAB_INDEX: PhraseIndex[str] = PhraseIndex(
    (phrase.strip(), False, category)
    for category, text in VOCABULARIES.items()
    for phrase in text.split(",")
    if phrase.strip()
)


@dataclass(frozen=True, slots=True)
class Signals:
    """What the rules saw in one question; shared by every back-end for risk and mentions."""

    empty: bool = False
    finance: tuple[str, ...] = ()
    weak: tuple[str, ...] = ()
    off_topic: tuple[str, ...] = ()
    small_talk: bool = False
    action: str | None = None
    creative: bool = False
    injection: bool = False
    advice: bool = False
    follow_up: bool = False
    entities: tuple[str, ...] = ()
    periods: tuple[Period, ...] = ()
    doc_types: tuple[str, ...] = ()


def _action(text: str) -> str | None:
    """The reason an action rule fired, or None: imperative clauses first, then request frames."""
    for sentence in _CLAUSE_SPLIT.split(text):
        question = _QUESTION_OPENING.match(sentence) is not None
        for index, piece in enumerate(_CONJ_SPLIT.split(sentence)):
            lead = _LEAD.match(piece)
            match = _VERB_AT.match(piece, lead.end() if lead else 0)
            if match is None:
                continue
            rest = match["rest"]
            if index > 0 and question and not _MONEY.search(rest) and not _ME.match(rest):
                continue  # "How do I buy and sell ETFs?" asks how, it does not order
            reason = _acts_on(match["verb"], rest, conjoined=index > 0)
            if reason:
                return reason
    for match in _REQUEST_FRAME.finditer(text):
        if match.group().lower().startswith("would") and _HYPOTHETICAL.search(match["rest"]):
            continue  # "would you buy X if you were me?" asks for an opinion
        reason = _acts_on(match["verb"], match["rest"], conjoined=False)
        if reason:
            return reason
    for match in _GERUND_FRAME.finditer(text):
        reason = _acts_on(match["verb"], match["rest"], conjoined=False, gerund=True)
        if reason:
            return reason
    if _GO_AHEAD.search(text):
        return "action:go_ahead"
    if has_cjk(text) and _CJK_ACTION.search(text):
        return "action:cjk_request"
    return None


def _acts_on(verb: str, rest: str, conjoined: bool, gerund: bool = False) -> str | None:
    """Whether ``verb`` followed by ``rest`` asks for something to be done, and which rule."""
    name = verb.lower().replace("e-mail", "email")
    if gerund:  # "would you mind selling": sell, sel+l, plac(e)
        name = next((n for n in _bases(name) if n in ACTION_VERBS), name)
    kind = ACTION_VERBS.get(name)
    following = rest.split(maxsplit=1)
    if following and f"{name} {following[0].lower()}" in PHRASAL_VERBS:
        rest = following[1] if len(following) > 1 else ""  # "set up a direct debit"
        following = rest.split(maxsplit=1)
    if kind is None or not following:
        return None
    first = following[0].lower().strip(",;:")
    if first in NOMINAL_AFTER_VERB or (first == "in" and kind != "trade"):
        return None
    if name in ("put", "call") and first.startswith("option"):
        return None  # "put options", "call option pricing"
    if conjoined and not _STRONG_OBJECT.match(rest):
        return None  # "... buy and sell orders": a bare noun after "and" is not a command
    if kind == "trade":
        acts = _STRONG_OBJECT.match(rest) is not None or _INSTRUMENT.search(rest) is not None
    elif kind == "trade_weak":
        acts = bool(_INSTRUMENT.search(rest) or _MONEY.search(rest))
    elif kind == "money":
        acts = bool(_INSTRUMENT.search(rest) or _MONEY.search(rest) or _RECORD.search(rest))
    elif kind == "admin":  # a record as direct object ("waive the fee") or a list to edit
        head = " ".join(rest.split()[:4])
        acts = bool(
            _INSTRUMENT.search(head)
            or _MONEY.search(head)
            or _RECORD.search(head)
            or _DESTINATION.search(rest)
        )
    elif kind == "send":
        acts = bool(_RECIPIENT.search(rest) or _MONEY.search(rest))
    elif kind == "contact":
        acts = _CONTACT_TARGET.match(rest) is not None
    elif kind == "foreign":
        acts = _QUANTITY.search(rest) is not None
    else:  # "mail": emailing or forwarding anything is an action
        acts = True
    return f"action:{name}" if acts else None


def _bases(gerund: str) -> list[str]:
    stem = gerund[:-3] if gerund.endswith("ing") else gerund
    return [stem, stem + "e", stem[:-1]]


def _small_talk(text: str, matches: Sequence[PhraseMatch[str]], token_count: int) -> bool:
    """Only greetings, thanks and fillers ("hi there, thanks a lot"), at most 15 words."""
    if token_count > 15:
        return False
    covered = sum(
        len(tokenize(m.surface)) for m in matches if m.payload in ("small_talk", "filler")
    )
    said = any(m.payload == "small_talk" for m in matches)
    cjk = (
        has_cjk(text)
        and any(t in text for t in CJK_VOCABULARIES["small_talk"])
        and token_count <= 3
    )
    return cjk or (said and covered == token_count)


def scan(question: str, history: Sequence[str] = ()) -> Signals:
    """Run every rule once over a question (cleaned of control and zero-width characters).

    Actions and injections are looked for in the whole text, however long; topic words,
    names and periods only in its first ``MAX_TOPIC_CHARS`` characters, which keeps a
    100k-character paste fast and loses nothing a real question needs.
    """
    text = clean_text(question)
    head = text[:MAX_TOPIC_CHARS]
    tokens = tokenize(head)
    matches = _VOCAB_INDEX.find(head, tokens)
    found: dict[str, list[str]] = {name: [] for name in VOCABULARIES}
    for match in matches:
        if match.payload == "off_topic" and is_ticker_like(match.surface, head):
            continue  # "the price target for CAT": a ticker, not a pet
        found[match.payload].append(match.surface.lower())
    if has_cjk(head):
        for category, terms in CJK_VOCABULARIES.items():
            found[category].extend(term for term in terms if term in head)
    return Signals(
        empty=_WORDLIKE.search(text) is None,
        finance=tuple(found["finance"]),
        weak=tuple(found["weak"]),
        off_topic=tuple(found["off_topic"]),
        small_talk=_small_talk(head, matches, len(tokens)),
        action=_action(text),
        creative=_CREATIVE.search(head) is not None,
        injection=_INJECTION.search(text) is not None,
        advice=_ADVICE.search(head) is not None,
        follow_up=bool(history) and len(tokens) <= 12 and _FOLLOW_UP.search(head) is not None,
        entities=extract_entities(head),
        periods=extract_periods(head),
        doc_types=extract_doc_types(head),
    )


def risk_of(intent: Intent, signals: Signals) -> Risk:
    """The risk tier the rules give ``intent`` with these signals (shared by every back-end)."""
    if intent == "action" or signals.injection:
        return "high"  # an injection attempt is worth a human look even when harmless
    return "medium" if intent == "research" and signals.advice else "low"


def _result(
    intent: Intent, confidence: float, reasons: Iterable[str], s: Signals
) -> Classification:
    return Classification(
        intent=intent,
        risk=risk_of(intent, s),
        confidence=round(confidence, 4),
        reasons=tuple(reasons) + (("prompt_injection",) if s.injection else ()),
        entities=s.entities,
        years=tuple(sorted({p.year for p in s.periods})),
        periods=s.periods,
        doc_types=s.doc_types,
    )


def _listed(label: str, terms: Sequence[str]) -> str:
    return f"{label}:{','.join(list(dict.fromkeys(terms))[:3])}"


class RulesClassifier:
    """Offline rules: action verbs with objects, small-talk phrases, topic vocabularies."""

    def classify(self, question: str, history: Sequence[str] = ()) -> Classification:
        return self.decide(scan(question, history))

    def decide(self, s: Signals) -> Classification:
        """The rules' verdict on signals already scanned (lets other back-ends scan once)."""
        if s.empty:
            return _result("small_talk", 1.0, ["empty"], s)
        fin, weak, off = len(s.finance), len(s.weak), len(s.off_topic)
        if s.action:
            return _result("action", 0.95, [s.action], s)
        if s.creative:
            return _result("off_topic", 0.85, ["creative_request"], s)
        if s.small_talk:
            return _result("small_talk", 0.9, ["small_talk_phrases"], s)
        if off and off > fin + weak / 2:
            return _result(
                "off_topic",
                min(0.9, 0.55 + 0.1 * off),
                [_listed("off_topic_terms", s.off_topic)],
                s,
            )
        if fin:
            return _result(
                "research", min(0.95, 0.6 + 0.1 * fin), [_listed("finance_terms", s.finance)], s
            )
        if s.injection:
            return _result("off_topic", 0.7, ["instructions_without_question"], s)
        if s.follow_up:
            return _result("research", 0.6, ["follow_up"], s)
        if weak or s.entities or s.periods or s.doc_types:
            return _result("research", 0.5, ["weak_research_signal"], s)
        return _result("research", 0.4, ["default_research_when_unsure"], s)


class ExemplarClassifier:
    """k-nearest-neighbour vote over labelled example questions, by embedding similarity.

    ``embed`` maps texts to vectors (any scale: rows are L2-normalised here); by default
    the bundled sentence-transformers model, loaded on first use. ``examples`` adds
    ``(question, intent)`` pairs to (or, with ``builtin=False``, replaces) the built-in set.
    """

    def __init__(
        self,
        embed: EmbedFn | None = None,
        *,
        examples: Iterable[tuple[str, str]] = (),
        builtin: bool = True,
        k: int = 5,
        min_similarity: float = 0.3,
    ) -> None:
        pairs = [(q, i) for i, qs in EXEMPLARS.items() for q in qs] if builtin else []
        pairs += [(str(q), str(i)) for q, i in examples]
        bad = sorted({i for _, i in pairs if i not in INTENTS})
        if bad:
            raise ConfigError(f"unknown exemplar intents {bad}; valid: {', '.join(INTENTS)}")
        if not pairs:
            raise ConfigError("the exemplar classifier needs at least one labelled example")
        if isinstance(k, bool) or not isinstance(k, int) or k < 1:
            raise ConfigError(f"exemplar k must be a positive integer, got {k!r}")
        self._texts = [q for q, _ in pairs]
        self._labels = [cast(Intent, i) for _, i in pairs]
        self._embed = embed
        self.k = k
        self.min_similarity = min_similarity
        self._matrix: npt.NDArray[np.float64] | None = None

    def warm_up(self) -> None:
        """Load the embedder (if defaulted) and embed the examples once."""
        if self._embed is None:
            from ingest.embedding import SentenceTransformerEmbedder

            self._embed = SentenceTransformerEmbedder("bundled:all-MiniLM-L6-v2").embed
        if self._matrix is None:
            self._matrix = _unit_rows(self._embed(self._texts))

    def vote(self, question: str) -> Vote | None:
        """The weighted vote of the ``k`` nearest examples; None when none is close enough."""
        self.warm_up()
        assert self._embed is not None and self._matrix is not None
        text = clean_text(question).strip()[:MAX_TOPIC_CHARS]
        sims = self._matrix @ _unit_rows(self._embed([text]))[0]
        top = np.argsort(-sims, kind="stable")[: self.k]
        if sims[top[0]] < self.min_similarity:
            return None
        votes: dict[Intent, float] = {}
        for i in top:
            votes[self._labels[i]] = votes.get(self._labels[i], 0.0) + max(float(sims[i]), 0.0)
        intent = max(votes, key=lambda name: votes[name])
        nearest = next(i for i in top if self._labels[i] == intent)
        share = votes[intent] / (sum(votes.values()) or 1.0)
        return Vote(intent, share, float(sims[nearest]), self._texts[nearest])

    def classify(self, question: str, history: Sequence[str] = ()) -> Classification:
        s = scan(question, history)
        if s.empty:
            return _result("small_talk", 1.0, ["empty"], s)
        vote = self.vote(question)
        if vote is None:
            return _result("research", 0.3, ["exemplar:no_close_example"], s)
        return _result(vote.intent, vote.share, [vote.reason], s)


class Vote(NamedTuple):
    intent: Intent
    share: float  # of the similarity mass of the k nearest examples
    similarity: float  # of the nearest example with this intent
    nearest: str

    @property
    def reason(self) -> str:
        return f"exemplar:{self.intent}:{self.similarity:.2f}:{self.nearest[:60]}"


def _unit_rows(vectors: npt.NDArray[Any]) -> npt.NDArray[np.float64]:
    matrix = np.atleast_2d(np.asarray(vectors, dtype=np.float64))
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0.0, 1.0, norms)


class HybridClassifier:
    """Rules first for their high-precision signals; exemplars decide where rules are unsure.

    A rule result at or above ``rules_confidence`` stands (any finance term, an action, a
    small-talk phrase); below it, a vote with at least ``exemplar_confidence`` of the
    neighbours' weight replaces it. The exemplars may only add an escalation when the
    nearest action example is very close (``action_similarity``): actions are what the
    rules are built for, and a topic-level neighbour ("open an account") is not a request.
    """

    def __init__(
        self,
        embed: EmbedFn | None = None,
        *,
        examples: Iterable[tuple[str, str]] = (),
        builtin: bool = True,
        rules_confidence: float = 0.6,
        exemplar_confidence: float = 0.6,
        action_similarity: float = 0.75,
        k: int = 5,
        min_similarity: float = 0.3,
    ) -> None:
        self.rules = RulesClassifier()
        self.exemplar = ExemplarClassifier(
            embed, examples=examples, builtin=builtin, k=k, min_similarity=min_similarity
        )
        self.rules_confidence = rules_confidence
        self.exemplar_confidence = exemplar_confidence
        self.action_similarity = action_similarity

    def warm_up(self) -> None:
        self.exemplar.warm_up()

    def classify(self, question: str, history: Sequence[str] = ()) -> Classification:
        ruled = self.rules.classify(question, history)
        if ruled.intent == "action" or ruled.confidence >= self.rules_confidence:
            return ruled
        vote = self.exemplar.vote(question)
        if (
            vote is None
            or vote.intent == ruled.intent
            or vote.share < self.exemplar_confidence
            or (vote.intent == "action" and vote.similarity < self.action_similarity)
        ):
            extra = (vote.reason,) if vote else ("exemplar:no_close_example",)
            return replace(ruled, reasons=ruled.reasons + extra)
        risk = risk_of(vote.intent, scan(question, history))
        return replace(
            ruled,
            intent=vote.intent,
            risk=risk,
            confidence=round(vote.share, 4),
            reasons=(vote.reason, *ruled.reasons),
        )
