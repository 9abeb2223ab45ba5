"""An LLM judge of answer correctness: does the answer state the gold answer's facts?

Token F1 punishes a right answer worded differently, and the numeric match only sees
numbers; a judge model reads both answers as a person would. It grades with the versioned
prompt ``experiments/prompts/judge-v1.md`` and must reply with strict JSON; a reply that
does not parse is a ``GeneratorError``, never a guessed verdict, so the runner can record
that question's judgement as failed rather than scored.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Literal, get_args

from core.errors import GeneratorError
from core.llm import JsonSchema, LLMClient
from core.prompts import load_prompt, quote_untrusted
from core.settings import Settings
from core.usage import Usage, metered, total_usage
from experiments.config import ExperimentConfig, ExperimentConfigError

Label = Literal["correct", "partially_correct", "incorrect"]
SCORES: dict[Label, float] = {"correct": 1.0, "partially_correct": 0.5, "incorrect": 0.0}
MAX_QUESTION_CHARS = 2_000
MAX_GOLD_CHARS = 4_000
MAX_ANSWER_CHARS = 8_000  # generous: a cut answer could lose the fact being graded
MAX_REPLY_TOKENS = 300
# One optional Markdown fence around the object (```json ... ```), which many models add.
_FENCED = re.compile(r"^```(?:json)?\s*\n?(.*?)\n?\s*```$", re.S)
# The reply's shape for servers that constrain output; ``parse_verdict`` still checks it.
VERDICT_SCHEMA = JsonSchema(
    "judgement",
    {
        "type": "object",
        "properties": {
            "verdict": {"type": "string", "enum": list(get_args(Label))},
            "reason": {"type": "string"},
        },
        "required": ["verdict", "reason"],
        "additionalProperties": False,
    },
)


@dataclass(frozen=True, slots=True)
class Verdict:
    """The judge's grade of one answer, its one-line reason and the call's token usage."""

    label: Label
    reason: str
    usage: Usage | None  # None: the server did not report usage (never estimated)

    @property
    def correct(self) -> bool:
        return self.label == "correct"

    @property
    def score(self) -> float:
        """1 correct, 0.5 partially correct, 0 incorrect."""
        return SCORES[self.label]


@dataclass(frozen=True, slots=True)
class Judgement:
    """The judge's part of one question's record, when the run has a judge.

    Empty when the judge was not asked (``experiments.scoring.needs_judging``); otherwise
    its verdict or the error that stopped it, and the usage of the call either way (a
    reply that did not parse still cost its tokens).
    """

    verdict: Verdict | None = None
    error: str | None = None
    usage: Usage | None = None


class LLMJudge:
    """Grades answers against gold answers with one chat call each; construction does no I/O."""

    def __init__(self, client: LLMClient, prompt_id: str = "judge-v1") -> None:
        self.client = client
        self.prompt = load_prompt("experiments", prompt_id)

    @property
    def model(self) -> str:
        return self.client.model

    def judge(self, question: str, gold_answer: str, answer: str) -> Verdict:
        """Grade ``answer`` against ``gold_answer``; GeneratorError if the reply is malformed."""
        if not gold_answer.strip():
            raise ValueError("the judge needs a gold answer to grade against")
        messages = self.prompt.render(
            question=quote_untrusted(question, MAX_QUESTION_CHARS),
            gold_answer=quote_untrusted(gold_answer, MAX_GOLD_CHARS),
            answer=quote_untrusted(answer, MAX_ANSWER_CHARS) if answer.strip() else "(empty)",
        )
        completion = self.client.complete(
            messages, max_tokens=MAX_REPLY_TOKENS, schema=VERDICT_SCHEMA
        )
        label, reason = parse_verdict(completion.text)
        return Verdict(label, reason, completion.usage)

    def attempt(self, question: str, gold_answer: str, answer: str) -> Judgement:
        """``judge``, with a failure recorded rather than raised: one bad reply must not
        end a run, and its question's score is left out, never guessed."""
        with metered() as calls:
            try:
                verdict = self.judge(question, gold_answer, answer)
            except GeneratorError as exc:
                return Judgement(error=str(exc), usage=total_usage(calls))
        return Judgement(verdict=verdict, usage=total_usage(calls))

    def describe(self) -> dict[str, str]:
        """What the manifest records: model, server, prompt id and its sha256."""
        return {
            "model": self.model,
            "base_url": self.client.base_url,
            "prompt_id": self.prompt.id,
            "prompt_sha256": self.prompt.sha256,
        }


def open_judge(config: ExperimentConfig, settings: Settings) -> LLMJudge | None:
    """The run's judge: None when it is off, or "auto" with no LLM configured.

    ``judge = "on"`` without an LLM is an ExperimentConfigError before anything runs, so a
    run that was meant to be judged never silently comes back without the judge.
    """
    if config.judge == "off":
        return None
    if not settings.llm_configured:
        if config.judge == "on":
            raise ExperimentConfigError(
                f'{config.source or "experiment config"}: judge = "on" needs a language '
                "model: set OPENAI_API_KEY or OPENAI_BASE_URL (and RESEARCHDESK_LLM_MODEL), "
                'or set judge = "auto" to run without the judge'
            )
        return None
    if config.judge_model:
        settings = settings.model_copy(update={"llm_model": config.judge_model})
    return LLMJudge(LLMClient.from_settings(settings), config.judge_prompt)


def judge_status(config: ExperimentConfig, judge: LLMJudge | None) -> str:
    """One line for the report on whether and how answers were judged."""
    if judge is not None:
        return f"run ({judge.model}, prompt {judge.prompt.id})"
    if config.judge == "off":
        return 'not run (judge = "off")'
    return "not run (no LLM configured)"


def parse_verdict(reply: str) -> tuple[Label, str]:
    """``(verdict, reason)`` from the judge's JSON reply; anything else is a GeneratorError.

    The reply must be one JSON object with exactly the keys ``verdict`` (one of the three
    labels) and ``reason`` (a string), optionally inside one Markdown code fence.
    """
    text = reply.strip()
    fenced = _FENCED.match(text)
    if fenced:
        text = fenced.group(1).strip()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GeneratorError(f"the judge's reply is not JSON ({exc.msg}): {reply[:200]!r}") from exc
    if not isinstance(data, dict) or set(data) != {"verdict", "reason"}:
        raise GeneratorError(
            'the judge must reply with an object holding exactly "verdict" and "reason", '
            f"got {reply[:200]!r}"
        )
    label, reason = data["verdict"], data["reason"]
    if label not in get_args(Label):
        raise GeneratorError(
            f"the judge's verdict {label!r} is not one of {', '.join(get_args(Label))}"
        )
    if not isinstance(reason, str):
        raise GeneratorError(f"the judge's reason must be a string, got {reason!r}")
    return label, reason.strip()
