"""What the classification rules see in a question: topic words, a request to act,
small talk, injections, advice for a client, a follow-up, and the question's mentions.

``scan`` runs every rule once and returns ``Signals``; each back-end of
``retrieval.classify`` decides from them (the rules directly, the others for risk and
mentions). An action is a request verb at the start of a clause, or after a request frame
("can you", "I want to"), followed by something it acts on.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from retrieval.lexicon import (
    ACTION_VERBS,
    CJK_VOCABULARIES,
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
