"""Question routing before retrieval: intent, risk tier, and what the question mentions.

Intents: "research" (in scope), "off_topic", "action" (a request to trade, move money or
contact a client: never performed, escalated) and "small_talk". Back-ends are picked by
name (``retrieval.classifiers``): ``rules`` (offline default), ``exemplar`` (votes of the
nearest labelled example questions), ``hybrid`` (rules for high-precision signals,
exemplars for the rest) and ``llm`` (a chat model, with the rules' actions kept; see
``classify_llm``). Every back-end reads the question through the same rules first
(``retrieval.signals.scan``): the risk tier and the mentions come from them.

When unsure, every back-end answers "research": retrieval and the answer stage's abstention
handle a question the library cannot answer, whereas a research question wrongly refused or
escalated is an answer lost with nothing downstream to recover it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal, NamedTuple, Protocol, cast, get_args

import numpy as np
import numpy.typing as npt

from core.errors import ConfigError
from retrieval.lexicon import EXEMPLARS, clean_text
from retrieval.mentions import Period
from retrieval.signals import MAX_TOPIC_CHARS, Signals, scan

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
