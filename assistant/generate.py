"""Generators: a question and its retrieved sources in, a draft answer with [n] markers out.

Two back-ends share one ``Generator`` protocol: ``extractive`` quotes sentences verbatim
(offline, no model) and ``openai`` asks an OpenAI-compatible chat model with a versioned
prompt. Markers in both index the sources given (1-based), so checking and numbering the
citations downstream (``assistant.citations``) does not care which back-end wrote the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from assistant.arithmetic import ComputationError
from assistant.asked_items import WHY_RE
from assistant.compute import Computation, Operand, check, from_json
from assistant.extractive import best_quotes
from assistant.formulas import propose
from assistant.lookups import lookup_years, printed_row, restated
from assistant.named_rows import named_row
from assistant.sentences import focus
from assistant.table_quotes import focus_row
from assistant.trends import printed_course, trend
from assistant.windows import head, window
from core.errors import GeneratorError
from core.llm import Completion, LLMClient, Message
from core.prompts import Prompt, load_prompt
from core.registry import pick
from core.usage import Usage
from retrieval.mentions import full_years
from retrieval.types import Passage

NOT_FOUND_SENTINEL = "NOT_FOUND"  # what the answer prompts tell the model to reply
MAX_SOURCE_CHARS = 4000  # a chunk is ~256 tokens; longer text is cut to bound the prompt

_MARKER_RE = re.compile(r"\[(\d+)\]")
_SENTINEL_START_RE = re.compile(rf"^\W*{NOT_FOUND_SENTINEL}\b")
_DELIMITER_RE = re.compile(r"<(/?\s*sources\s*)>", re.I)
_COMPUTE_RE = re.compile(r"^\W{0,4}COMPUTE\s*:\s*(.{0,4000})$")
MAX_COMPUTATIONS = 3

TokenCallback = Callable[[str], None]
# What of a long source the model reads: the lines that bear on the question, or its start.
SourceWindow = Literal["focus", "head"]


@dataclass(frozen=True, slots=True)
class Draft:
    text: str  # sentences carrying [n] markers, n = 1-based index into `sources`
    not_found: bool  # the generator said the sources do not answer
    model: str  # "extractive" or the LLM model name
    prompt_version: str | None
    usage: Usage | None
    # Proposed formulas (rules or the model's COMPUTE line), not yet checked; and why
    # a model's proposal could not even be read. The pipeline checks and shows them.
    computations: tuple[Computation, ...] = ()
    computation_errors: tuple[str, ...] = ()


class Generator(Protocol):
    name: str

    def generate(
        self,
        question: str,
        sources: Sequence[Passage],
        *,
        on_token: TokenCallback | None = None,
    ) -> Draft:
        """Answer ``question`` from ``sources`` only; ``on_token`` gets the text as written."""
        ...


def markers(text: str) -> list[int]:
    """The source numbers ``text`` cites, in order of first mention."""
    return list(dict.fromkeys(int(n) for n in _MARKER_RE.findall(text)))


_LETTER_RE = re.compile(r"[^\W\d_]")


def _row_line(row: Operand, question: str) -> str:
    """The row quoted with its marker; a table row with named cells cut to the columns of
    the period asked ("Revenue | 2025A: 9,655"), as ``focus_row`` cuts quotes."""
    return f'"{focus_row(row.quote, question)}" [{row.source}]'


def _printed_figure(
    ask: str, sources: Sequence[Passage]
) -> tuple[tuple[Operand, ...], Operand | None]:
    """The statement rows of the one printed figure ``ask`` asks for (one per year asked,
    ``lookup_years``), or else the row whose columns share the year asked, to quote only
    (``printed_row``): a quarter's and the year to date's."""
    rows = lookup_years(ask, sources)
    if not rows and (row := named_row(ask, sources)) is not None:
        rows = (row,)  # a row the question names by its label ("Net bookings")
    return rows, (None if rows else printed_row(ask, sources))


def _says(row: Operand) -> bool:
    """Whether a statement row says what its figures are: a section's unlabelled total
    ("5,162,082 12,899,672 ...") does not, and no word of it could support a quote."""
    return _LETTER_RE.search(row.quote) is not None


class ExtractiveGenerator:
    """Quote the sentences that best cover the question, each with its source's marker.

    ``min_support`` (0..1, share of the question's weighted terms a quote covers) makes the
    generator abstain as ``Assistant`` does: the best quote must reach it and the others
    80% of it. At 0 any quote that covers part of the question is used.
    """

    name = "extractive"

    def __init__(self, quotes: int = 2, min_support: float = 0.0, compute: bool = True) -> None:
        if quotes < 1:
            raise ValueError(f"quotes must be at least 1, got {quotes}")
        if not 0.0 <= min_support <= 1.0:
            raise ValueError(f"min_support must be in [0, 1], got {min_support}")
        self.quotes = quotes
        self.min_support = min_support
        self.compute = compute

    def generate(
        self,
        question: str,
        sources: Sequence[Passage],
        *,
        on_token: TokenCallback | None = None,
    ) -> Draft:
        _check_question(question)
        # "FY22" is read as "FY2022" by every rule below (they read four-digit years).
        question = full_years(question)
        # A measure's course over the years asked ("historically consistent margins") is
        # the measure in each year; else the one computation the question asks, if any.
        series = trend(question, sources) if self.compute else ()
        proposal = propose(question, sources) if self.compute and not series else None
        computations: tuple[Computation, ...] = series or (
            (proposal,) if proposal is not None else ()
        )
        found = [q for q in best_quotes(question, sources, self.quotes) if q.score > 0]
        # One printed figure asked for: its statement row is the answer even where the row
        # shares no word with the question ("capital expenditure" printed as "Purchases of
        # property, plant and equipment").
        looked_up = not computations and self.compute
        # A row whose columns share the year asked (a quarter's, the year to date's): quoted
        # for the reader to read its columns, never restated.
        rows, shown = _printed_figure(focus(question), sources) if looked_up else ((), None)
        if not rows and shown is None and (not found or found[0].score < self.min_support):
            return Draft("", not computations, self.name, None, None, computations)
        kept = found[:1] + [q for q in found[1:] if q.score >= self.min_support * 0.8]
        lines = [f'"{q.text}" [{q.passage + 1}]' for q in kept]
        # "Why did the gross margin fall?" asks for the reason: the sentences giving it
        # stay, and the computed margin joins them.
        reason = WHY_RE.search(focus(question)) is not None
        if computations and not reason and all(check(c, sources).ok for c in computations):
            # The measure asked is computed: its operands' rows are the evidence to quote,
            # not sentences that merely share the question's words.
            operands = (o for c in computations for o in c.operands if o.quote)
            quoted = dict.fromkeys((o.quote, o.source) for o in operands)
            lines = [f'"{row}" [{source}]' for row, source in quoted] or lines
        elif (course := printed_course(question, sources)) is not None:
            # A course asked of a measure a table prints: its row shows every year.
            row = f'"{course[1]}" [{course[0]}]'
            lines = [row, *[line for line in lines if line != row][:1]]
        elif rows:
            # The row is quoted, restated in the scale asked when its page states another,
            # else with its year and scale (each year's, when several are asked).
            figures = (restated(row, question, sources) for row in rows)
            computations = tuple(f for f in figures if f is not None)
            # A section's unlabelled total says nothing quoted alone: its restated figure
            # is the answer.
            lines = [_row_line(row, question) for row in rows[:1] if _says(row) or not computations]
        elif shown is not None:
            lines = [_row_line(shown, question)]
        if on_token is not None:
            for number, line in enumerate(lines):
                on_token(line if number == 0 else "\n" + line)
        return Draft("\n".join(lines), False, self.name, None, None, computations)


class OpenAIGenerator:
    """Ask a chat model to answer from numbered sources with a versioned prompt.

    The prompt is loaded when the generator is built, so an unknown id fails at start-up,
    not on the first question. With no sources the model is not called: nothing can be
    answered from nothing. With ``compute`` the offline rules (``assistant.formulas``, and
    ``assistant.trends`` for a measure's course over the years) propose their computations
    over every source handed over (the model reads the first
    ``max_sources``), ahead of any COMPUTE line of the model's: the rules know accounting
    definitions a small model gets wrong, and both kinds are checked alike downstream. A
    model's NOT_FOUND then still leaves the rules' proposal to be verified (as the
    extractive generator does), and where the question asks one printed figure, its
    statement row (``assistant.lookups.lookup``) is quoted in the model's place and
    restated beside any answer.
    """

    name = "openai"

    def __init__(
        self,
        client: LLMClient,
        prompt_id: str = "answer-v1",
        max_sources: int = 8,
        *,
        max_source_chars: int = MAX_SOURCE_CHARS,
        max_tokens: int | None = None,
        compute: bool = True,
        source_window: SourceWindow = "head",
    ) -> None:
        if max_sources < 1 or max_source_chars < 1:
            raise ValueError(
                f"max_sources and max_source_chars must be positive, "
                f"got {max_sources} and {max_source_chars}"
            )
        self.client = client
        self.prompt: Prompt = load_prompt("assistant", prompt_id)
        if self.prompt.placeholders() != {"sources", "question"}:
            raise ValueError(f"prompt {prompt_id} must use {{{{sources}}}} and {{{{question}}}}")
        self.max_sources = max_sources
        self.max_source_chars = max_source_chars
        self.max_tokens = max_tokens
        self.compute = compute
        if source_window not in ("focus", "head"):
            raise ValueError(f"source_window must be 'focus' or 'head', got {source_window!r}")
        self.source_window = source_window

    def generate(
        self,
        question: str,
        sources: Sequence[Passage],
        *,
        on_token: TokenCallback | None = None,
    ) -> Draft:
        _check_question(question)
        used = list(sources[: self.max_sources])
        if not used:
            return Draft("", True, self.client.model, self.prompt.id, None)
        asked = question if self.source_window == "focus" else None
        messages = self.prompt.render(
            sources=format_sources(used, self.max_source_chars, asked), question=question.strip()
        )
        completion = self._complete(messages, on_token)
        text = completion.text.strip()
        if not text:
            raise GeneratorError(
                f"the language model {self.client.model!r} returned an empty answer "
                f"(finish_reason={completion.finish_reason!r}); retry the request"
            )
        text, proposed, errors = split_computations(text)
        # The rules read every passage handed over, the model only the first max_sources:
        # a measure's operands may lie further down (``compute_sources``), and the rules
        # cost no prompt tokens. Numbering is shared: ``used`` leads ``sources``.
        ruling = full_years(question)  # the rules read four-digit years: "FY22" is FY2022
        series = trend(ruling, sources) if self.compute else ()
        ruled = propose(ruling, sources) if self.compute and not series else None
        # One printed figure asked for: its statement row, as the extractive answer quotes
        # it, stands where the model finds nothing; its restated figure joins either way
        # (none for a row whose columns share the year asked: ``printed_row``).
        looked_up = self.compute and ruled is None and not series
        rows, printed = _printed_figure(focus(ruling), sources) if looked_up else ((), None)
        figures = [restated(row, ruling, sources) for row in rows]
        shown = rows[0] if rows else printed
        rules = series + tuple(c for c in (ruled, *figures) if c is not None)
        computations = (rules + proposed)[:MAX_COMPUTATIONS]
        if is_not_found(text) and not computations and shown is None:
            return Draft("", True, self.client.model, self.prompt.id, completion.usage)
        if is_not_found(text):
            quotable = shown is not None and (_says(shown) or not computations)
            text = _row_line(shown, ruling) if shown is not None and quotable else ""
        return Draft(
            text, False, self.client.model, self.prompt.id, completion.usage, computations, errors
        )

    def _complete(self, messages: list[Message], on_token: TokenCallback | None) -> Completion:
        if on_token is None:
            return self.client.complete(messages, max_tokens=self.max_tokens)
        stream = self.client.stream(messages, max_tokens=self.max_tokens)
        try:
            for delta in stream:
                on_token(delta)
        finally:
            stream.close()  # also when on_token raises (the listener went away)
        return stream.completion()


def split_computations(text: str) -> tuple[str, tuple[Computation, ...], tuple[str, ...]]:
    """Take the model's ``COMPUTE: {json}`` lines out of its answer and read them.

    A line that is not a valid proposal is reported in the errors, never shown: the rest
    of the answer stands on its own citations.
    """
    kept, computations, errors = [], [], []
    for line in text.splitlines():
        match = _COMPUTE_RE.match(line)
        if match is None:
            kept.append(line)
            continue
        try:
            computations.append(from_json(match.group(1)))
        except ComputationError as exc:
            errors.append(f"unreadable computation: {exc}")
    return "\n".join(kept).strip(), tuple(computations[:MAX_COMPUTATIONS]), tuple(errors)


def is_not_found(text: str) -> bool:
    """The model's reply means "the sources do not answer".

    It must open with the sentinel (after any markdown or quotes), or contain it without
    citing anything: a reply that cites sources and mentions the sentinel in passing is an
    answer, which the citation check judges like any other.
    """
    return bool(_SENTINEL_START_RE.match(text)) or (
        NOT_FOUND_SENTINEL in text and not markers(text)
    )


def format_sources(
    sources: Sequence[Passage], max_chars: int = MAX_SOURCE_CHARS, question: str | None = None
) -> str:
    """``[n] title, p. N: text`` blocks, one per source, as the answer prompts expect. A
    source over ``max_chars`` shows its lines that bear on ``question``
    (``assistant.windows``), or its start when no question is given."""
    return "\n\n".join(
        f"[{number}] {_where(p)}: {_as_data(_shown(p.text, max_chars, question))}"
        for number, p in enumerate(sources, start=1)
    )


def _where(p: Passage) -> str:
    title = _as_data(" ".join(p.title.split()) or p.source or p.document_id)
    if p.page_start is None:
        return title
    if p.page_end is None or p.page_end == p.page_start:
        return f"{title}, p. {p.page_start}"
    return f"{title}, pp. {p.page_start}-{p.page_end}"


def _as_data(text: str) -> str:
    """Defuse a ``</sources>`` written in a document, which could close the data block."""
    return _DELIMITER_RE.sub(r"‹\1›", text)


def _shown(text: str, max_chars: int, question: str | None) -> str:
    return head(text, max_chars) if question is None else window(text, question, max_chars)


def _check_question(question: str) -> None:
    if not question.strip():
        raise ValueError("the question is empty")


GENERATORS: dict[str, Callable[..., Generator]] = {
    "extractive": ExtractiveGenerator,
    "openai": OpenAIGenerator,
}


def make_generator(name: str = "extractive", **options: Any) -> Generator:
    """Build the generator called ``name``; unknown names raise ValueError listing valid ones."""
    return pick(GENERATORS, name, "generator")(**options)
