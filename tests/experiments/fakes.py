"""Hand-made pipeline outputs and a scripted pipeline, so runner tests need no models."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from assistant.answer import Answer, Citation, Outcome
from assistant.config import PipelineConfig
from assistant.pipeline import User
from core.settings import Settings
from retrieval.types import Passage, SearchResult


def passage(
    doc: str, start: int | None = None, end: int | None = None, section: str = ""
) -> Passage:
    return Passage(
        chunk_id=f"{doc}:{start}:{section}",
        document_id=doc,
        title=doc,
        source=f"/corpus/{doc}.pdf",
        page_start=start,
        page_end=end if end is not None else start,
        section=section,
        text=f"text of {doc}",
        score=0.5,
    )


def citation(doc: str, start: int | None, end: int | None = None, support: float = 1.0) -> Citation:
    return Citation(
        number=1,
        chunk_id=f"{doc}:{start}",
        document_id=doc,
        title=doc,
        source=f"/corpus/{doc}.pdf",
        page_start=start,
        page_end=end if end is not None else start,
        section="",
        quote="quoted",
        support=support,
    )


def answer(outcome: Outcome, text: str = "", citations: Sequence[Citation] = ()) -> Answer:
    return Answer(
        question="q",
        outcome=outcome,
        text=text,
        citations=list(citations),
        intent="research",
        risk="low",
        reason="test",
        standalone_question="q",
    )


@dataclass
class ScriptedPipeline:
    """Answers from a script keyed by question text; the config picks the script."""

    config: PipelineConfig
    script: dict[str, tuple[list[Passage], Answer | Exception]]
    closed: list[bool] = field(default_factory=list)

    def search(self, query: str, *, k: int | None = None, user: User | None = None) -> SearchResult:
        return SearchResult(query, self.script[query][0][: k or 10])

    def ask(
        self,
        question: str,
        *,
        user: User | None = None,
        history: Sequence[str] = (),
        on_token: Callable[[str], None] | None = None,
    ) -> Answer:
        result = self.script[question][1]
        if isinstance(result, Exception):
            raise result
        return result

    def ready(self) -> bool:
        return True

    def close(self) -> None:
        self.closed.append(True)


def scripted_factory(
    scripts: dict[str, dict[str, tuple[list[Passage], Answer | Exception]]],
) -> tuple[list[ScriptedPipeline], object]:
    """A factory choosing the script by the rung's retrieval mode; returns (opened, factory)."""
    opened: list[ScriptedPipeline] = []

    def factory(settings: Settings, config: PipelineConfig) -> ScriptedPipeline:
        pipeline = ScriptedPipeline(config, scripts[config.mode])
        opened.append(pipeline)
        return pipeline

    return opened, factory
