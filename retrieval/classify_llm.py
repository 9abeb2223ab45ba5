"""Question routing by the configured chat model (prompt ``classify-v1``), rules kept as a floor.

The model replies with one JSON object (intent, risk, entities, years). The reply is
parsed strictly: anything that is not exactly that object with valid values is a
``GeneratorError``, never a quiet fall back to the rules, so a broken model or prompt shows
up at once instead of as a drift in routing.

The offline rules run first and bound what the model may decide, because the two mistakes
are not equally costly:

* a request to act that the rules recognise stays "action" (and the model is not asked):
  treating "sell 500 ACME for my client" as research would answer a trade instruction
  instead of escalating it, and a prompt-injected question could talk the model into
  exactly that. The model may still *add* an escalation the rules missed;
* the risk tier is the higher of the model's and the rules' for the final intent, so an
  injection attempt or advice for a named client keeps the tier the rules give it;
* an empty question is small talk without a model call, as with the rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from core.errors import GeneratorError
from core.llm import JsonSchema, LLMClient
from core.prompts import load_prompt, quote_untrusted
from core.usage import Usage
from retrieval.classify import (
    INTENTS,
    RISKS,
    Classification,
    Intent,
    Risk,
    RulesClassifier,
    risk_of,
)
from retrieval.lexicon import clean_text
from retrieval.signals import MAX_TOPIC_CHARS, Signals, scan

# A chat model gives no calibrated probability: this marks "the model's word" in reports.
MODEL_CONFIDENCE = 0.8
MAX_HISTORY_TURNS = 3
MAX_TURN_CHARS = 500
MAX_ENTITIES = 12
_Entity = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
_Year = Annotated[int, Field(ge=1900, le=2100)]


class LLMVerdict(BaseModel):
    """The reply ``classify-v1`` asks for; strict: no extra keys, no "2022" for 2022."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    intent: Intent
    risk: Risk
    entities: list[_Entity] = Field(max_length=50)
    years: list[_Year] = Field(max_length=50)


# The reply's shape for servers that constrain output (RESEARCHDESK_LLM_JSON_MODE);
# ``parse_verdict`` still checks every reply, constrained or not.
VERDICT_SCHEMA = JsonSchema(
    "classification",
    {
        "type": "object",
        "properties": {
            "intent": {"type": "string", "enum": list(INTENTS)},
            "risk": {"type": "string", "enum": list(RISKS)},
            "entities": {"type": "array", "items": {"type": "string"}},
            "years": {"type": "array", "items": {"type": "integer"}},
        },
        "required": ["intent", "risk", "entities", "years"],
        "additionalProperties": False,
    },
)


class LLMClassifier:
    """Intent, risk and mentions from a chat model; the rules' actions and risks are a floor."""

    name = "llm"

    def __init__(
        self,
        client: LLMClient,
        prompt_id: str = "classify-v1",
        *,
        max_question_chars: int = MAX_TOPIC_CHARS,
        max_tokens: int = 300,
    ) -> None:
        self.client = client
        self.prompt = load_prompt("retrieval", prompt_id)
        if self.prompt.placeholders() != {"question", "history"}:
            raise ValueError(f"prompt {prompt_id} must use {{{{question}}}} and {{{{history}}}}")
        if max_question_chars < 1 or max_tokens < 1:
            raise ValueError(
                f"max_question_chars and max_tokens must be positive, "
                f"got {max_question_chars} and {max_tokens}"
            )
        self.rules = RulesClassifier()
        self.max_question_chars = max_question_chars
        self.max_tokens = max_tokens
        self.last_usage: Usage | None = None

    def classify(self, question: str, history: Sequence[str] = ()) -> Classification:
        # Rules scan the whole text (an action hidden after 100k characters still counts);
        # the model sees the first ``max_question_chars``.
        signals = scan(question, history)
        ruled = self.rules.decide(signals)
        self.last_usage = None
        if signals.empty or ruled.intent == "action":
            return ruled
        verdict = self.ask(question, history)
        return combine(verdict, ruled, signals, self.prompt.id)

    def ask(self, question: str, history: Sequence[str] = ()) -> LLMVerdict:
        """The model's own verdict, before the rules are applied; GeneratorError if unusable."""
        text = quote_untrusted(clean_text(question), self.max_question_chars)
        turns = [quote_untrusted(clean_text(t), MAX_TURN_CHARS) for t in history]
        turns = [t for t in turns if t][-MAX_HISTORY_TURNS:]
        listing = "\n".join(f"{n}. {t}" for n, t in enumerate(turns, start=1)) or "(none)"
        completion = self.client.complete(
            self.prompt.render(question=text, history=listing),
            max_tokens=self.max_tokens,
            schema=VERDICT_SCHEMA,
        )
        self.last_usage = completion.usage
        return parse_verdict(completion.text, self.client.model, completion.finish_reason)


def parse_verdict(
    reply: str, model: str = "the model", finish_reason: str | None = None
) -> LLMVerdict:
    """The JSON object of a ``classify-v1`` reply; GeneratorError saying what was wrong.

    One surrounding Markdown code fence is tolerated (models add them despite being told
    not to); the object inside must still be exactly the one the prompt asks for.
    """
    text = _unfence(reply.strip())
    try:
        return LLMVerdict.model_validate_json(text)
    except ValidationError as err:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'reply'}: {e['msg']}" for e in err.errors()[:3]
        )
        cut = " (the reply was cut off by max_tokens)" if finish_reason == "length" else ""
        raise GeneratorError(
            f"the classification model {model!r} did not reply with the JSON object the "
            f"prompt asks for{cut}: {problems}; reply was {reply[:200]!r}"
        ) from err


def combine(
    verdict: LLMVerdict, ruled: Classification, signals: Signals, prompt_id: str
) -> Classification:
    """The model's verdict bounded by the rules' (see the module docstring for why)."""
    intent: Intent = "action" if ruled.intent == "action" else verdict.intent
    risk = max(verdict.risk, risk_of(intent, signals), key=RISKS.index)
    agrees = intent == ruled.intent
    seen = {name.casefold() for name in ruled.entities}
    extra = [e for e in dict.fromkeys(verdict.entities) if e.casefold() not in seen]
    return Classification(
        intent=intent,
        risk=risk,
        confidence=max(ruled.confidence, MODEL_CONFIDENCE) if agrees else MODEL_CONFIDENCE,
        reasons=(f"llm:{prompt_id}:{verdict.intent}", *ruled.reasons),
        entities=(*ruled.entities, *extra)[:MAX_ENTITIES],
        years=tuple(sorted({*ruled.years, *verdict.years})),
        periods=ruled.periods,
        doc_types=ruled.doc_types,
    )


def _unfence(text: str) -> str:
    if text.startswith("```") and text.endswith("```") and len(text) >= 6:
        body = text[3:-3]
        first, _, rest = body.partition("\n")
        return (rest if first.strip().lower() in ("", "json") else body).strip()
    return text
