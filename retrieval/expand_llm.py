"""Query expansion and follow-up rewriting by the configured chat model.

``LLMExpander`` has three kinds, each with its own versioned prompt:

* ``rewrite`` (``expand-rewrite-v1``): one clearer standalone query;
* ``multi-query`` (``expand-multi-v1``): up to three alternative phrasings, one per line;
* ``hyde`` (``expand-hyde-v1``): a short hypothetical passage that would answer the
  question (HyDE), searched as one more query: a passage lies closer to the passages that
  answer than the question does, for dense and BM25 retrieval alike.

The question itself always stays the first variant, so an expansion can add recall but
never lose the original's hits (the search fuses all variants). Variants are cleaned,
cut to a sane length, de-duplicated ignoring case and spacing, and capped. A reply with no
usable variant is a ``GeneratorError``, never a silent "no expansion".

``LLMFollowupRewriter`` turns a follow-up and the earlier questions into a standalone
question (``rewrite-followup-v1``), the model counterpart of ``followup.rewrite_followup``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal, get_args

from core.errors import ConfigError, GeneratorError
from core.llm import LLMClient, Message
from core.prompts import load_prompt, quote_untrusted
from core.usage import Usage
from retrieval.expand import Expansion
from retrieval.lexicon import clean_text

ExpansionKind = Literal["rewrite", "multi-query", "hyde"]
KINDS: tuple[ExpansionKind, ...] = get_args(ExpansionKind)
PROMPTS: dict[ExpansionKind, str] = {
    "rewrite": "expand-rewrite-v1",
    "multi-query": "expand-multi-v1",
    "hyde": "expand-hyde-v1",
}
MAX_QUESTION_CHARS = 2000  # longer than any real question; bounds the prompt
MAX_QUERY_CHARS = 300  # a rewritten query or phrasing
MAX_PASSAGE_CHARS = 1000  # a HyDE passage: about what an embedding model reads
MAX_HISTORY_TURNS = 5
MAX_TURN_CHARS = 500
# Line prefixes models add despite being told not to: "1.", "2)", "-", "*", "Query:".
_MARKER = re.compile(
    r"^\s*(?:(?:\d{1,2}[.)]|[-*•])(?:\s+|$)|(?:query|rewrite|question)\s*\d*\s*:\s*)", re.I
)
_QUOTES = "\"'“”‘’`"
_WORDLIKE = re.compile(r"[^\W\d_]")  # a variant without a letter is a stray marker or number


class LLMExpander:
    """Query variants written by a chat model; see the module docstring for the kinds."""

    def __init__(
        self,
        client: LLMClient,
        kind: ExpansionKind = "rewrite",
        *,
        prompt_id: str | None = None,
        max_variants: int = 4,
        max_tokens: int | None = None,
    ) -> None:
        if kind not in KINDS:
            raise ConfigError(f"unknown LLM expansion kind {kind!r}; valid: {', '.join(KINDS)}")
        if max_variants < 2:
            raise ValueError(
                f"max_variants counts the question itself, so must be >= 2, got {max_variants}"
            )
        self.client = client
        self.kind = kind
        self.prompt = load_prompt("retrieval", prompt_id or PROMPTS[kind])
        if self.prompt.placeholders() != {"question"}:
            raise ValueError(f"prompt {self.prompt.id} must use only {{{{question}}}}")
        self.max_variants = max_variants
        self.max_tokens = max_tokens or (400 if kind == "hyde" else 200)
        self.last_usage: Usage | None = None

    def expand(self, question: str) -> Expansion:
        self.last_usage = None
        text = clean_text(question).strip()
        if not text:
            return Expansion(question, (), ())  # nothing to expand, nothing to pay for
        messages = self.prompt.render(question=quote_untrusted(text, MAX_QUESTION_CHARS))
        completion = self.client.complete(messages, max_tokens=self.max_tokens)
        self.last_usage = completion.usage
        found = self.parse(completion.text)
        if not found:
            raise GeneratorError(
                f"the expansion model {self.client.model!r} (prompt {self.prompt.id}) gave no "
                f"usable {self.kind} variant: {completion.text[:200]!r}"
            )
        variants = unique([text, *found])[: self.max_variants]
        return Expansion(question, tuple(variants), ())

    def parse(self, reply: str) -> list[str]:
        """The variants in a reply of this expander's kind, cleaned and cut (maybe none)."""
        if self.kind == "hyde":
            passage = cut(" ".join(clean_text(reply).split()), MAX_PASSAGE_CHARS)
            return [passage] if _WORDLIKE.search(passage) else []
        lines = [clean_line(line) for line in clean_text(reply).splitlines()]
        queries = [cut(line, MAX_QUERY_CHARS) for line in lines if _WORDLIKE.search(line)]
        # Multi-query is capped in ``expand``, after repeats of the question are dropped.
        return queries[:1] if self.kind == "rewrite" else queries


class LLMFollowupRewriter:
    """A follow-up ("and in 2023?") plus the earlier questions -> one standalone question."""

    def __init__(
        self,
        client: LLMClient,
        prompt_id: str = "rewrite-followup-v1",
        *,
        max_tokens: int = 200,
    ) -> None:
        self.client = client
        self.prompt = load_prompt("retrieval", prompt_id)
        if self.prompt.placeholders() != {"question", "history"}:
            raise ValueError(f"prompt {prompt_id} must use {{{{question}}}} and {{{{history}}}}")
        self.max_tokens = max_tokens
        self.last_usage: Usage | None = None

    def rewrite(self, question: str, history: Sequence[str]) -> str:
        """The standalone question; ``question`` unchanged when there is nothing to resolve.

        Same contract as ``followup.rewrite_followup``: no history or an empty question
        means no model call.
        """
        self.last_usage = None
        text = quote_untrusted(clean_text(question), MAX_QUESTION_CHARS)
        turns = [quote_untrusted(clean_text(t), MAX_TURN_CHARS) for t in history]
        turns = [t for t in turns if t][-MAX_HISTORY_TURNS:]
        if not text or not turns:
            return question
        completion = self.client.complete(self._messages(text, turns), max_tokens=self.max_tokens)
        self.last_usage = completion.usage
        lines = [clean_line(line) for line in clean_text(completion.text).splitlines()]
        rewritten = next((line for line in lines if _WORDLIKE.search(line)), "")
        if not rewritten:
            raise GeneratorError(
                f"the rewriting model {self.client.model!r} (prompt {self.prompt.id}) returned "
                f"no question: {completion.text[:200]!r}"
            )
        return cut(rewritten, MAX_QUESTION_CHARS)

    def _messages(self, text: str, turns: list[str]) -> list[Message]:
        listing = "\n".join(f"{n}. {t}" for n, t in enumerate(turns, start=1))
        return self.prompt.render(question=text, history=listing)


def clean_line(line: str) -> str:
    """One reply line without list markers, labels, wrapping quotes or extra spaces."""
    line = " ".join(_MARKER.sub("", line, count=1).split())
    if len(line) >= 2 and line[0] in _QUOTES and line[-1] in _QUOTES:
        line = line[1:-1].strip()
    return line


def cut(text: str, limit: int) -> str:
    """``text`` shortened to at most ``limit`` characters, at a word boundary when one is near."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    space = head.rfind(" ")
    return (head[:space] if space > limit // 2 else head).rstrip(" ,;:")


def unique(texts: Sequence[str]) -> list[str]:
    """``texts`` in order without repeats, comparing case-, space- and end-punctuation-blind."""
    seen: set[str] = set()
    out: list[str] = []
    for text in texts:
        key = " ".join(text.casefold().split()).rstrip(" ?.!")
        if text and key not in seen:
            seen.add(key)
            out.append(text)
    return out
