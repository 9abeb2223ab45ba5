"""``Pipeline``: a question -> a grounded, cited answer, a refusal or an escalation.

Stages, each switchable in ``PipelineConfig``: follow-up rewriting, classification
(off-topic and small talk declined, requests to act escalated, never performed),
retrieval (``retrieval.pipeline.Searcher``: expansion, hybrid search with the caller's
entitlements inside the query, routing, reranking), abstention on weak evidence,
generation (extractive quotes offline, or an OpenAI-compatible model with a versioned
prompt) and citation verification (``assistant.citations``): a sentence keeps a citation
only when the cited passage holds its numbers and its words or meaning.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from assistant.abstention import DEFAULT_ABSTAIN_THRESHOLD, calibrated_threshold, evidence_score
from assistant.answer import (
    ANSWERED,
    DECLINED,
    ESCALATED,
    NOT_FOUND,
    Answer,
    Run,
)
from assistant.answerability import (
    Answerability,
    Library,
    assess,
    names_all,
    parts_first,
    sources_about,
)
from assistant.asked_items import asks_measure
from assistant.citations import verify
from assistant.comparisons import NAME_REASONS, by_name, markers_over_all, over_all, take_turns
from assistant.compute import Computation, attach, check
from assistant.config import PipelineConfig
from assistant.generate import Draft, Generator, make_generator
from assistant.governance import normalise
from assistant.numbering import StreamNumbering
from assistant.question_checks import (
    finance_term,
    not_english,
    numbers_only,
    read_foreign,
    with_inferred_figure,
)
from assistant.question_names import compared_names
from assistant.standing import for_part, supported
from assistant.subjects import asks_author
from core.llm import LLMClient
from core.settings import Settings
from core.usage import metered, total_usage
from ingest.catalog import Catalog
from retrieval.classifiers import make_classifier
from retrieval.classify import Classification, Classifier
from retrieval.followup import rewrite_followup
from retrieval.pipeline import Searcher
from retrieval.routing import without_names
from retrieval.types import Passage, SearchResult


@dataclass(frozen=True, slots=True)
class User:
    """Who asks: ``groups`` are entitlements; ``None`` groups skip the check (admin tools)."""

    id: str = "anonymous"
    groups: tuple[str, ...] | None = ()
    roles: tuple[str, ...] = ()


TokenCallback = Callable[[str], None]


class FollowupRewriter(Protocol):
    def rewrite(self, question: str, history: Sequence[str]) -> str: ...


class Pipeline:
    """Loaded models and index; ``ask`` and ``search`` are safe to call from threads."""

    def __init__(
        self,
        searcher: Searcher,
        config: PipelineConfig,
        generator: Generator,
        classifier: Classifier,
        catalog: Catalog | None = None,
        abstain_threshold: float = DEFAULT_ABSTAIN_THRESHOLD,
        followup: FollowupRewriter | None = None,
        library: Library | None = None,
    ) -> None:
        """``library`` (the catalogue's cards) turns on the answerability checks; without
        it abstention rests on the reranker's probability alone."""
        self.searcher = searcher
        self.config = config
        self.generator = generator
        self.classifier = classifier
        self.catalog = catalog
        self.abstain_threshold = abstain_threshold
        self.followup = followup
        self.library = library

    @classmethod
    def from_settings(cls, settings: Settings, config: PipelineConfig | None = None) -> Pipeline:
        config = config or PipelineConfig()
        searcher = Searcher.from_settings(settings, config)
        try:
            generator = _generator(config, settings)
            catalog = Catalog(_engine(settings), settings.index)
            threshold = config.abstain_threshold
            if threshold is None:
                threshold = calibrated_threshold(catalog, config)
            classifier = _classifier(config, settings)
            followup = None
            if config.followup == "llm":
                from retrieval.expand_llm import LLMFollowupRewriter

                followup = LLMFollowupRewriter(LLMClient.from_settings(settings))
            router = searcher.router
            library = Library(router.cards) if router is not None else Library.of(catalog.all())
            return cls(
                searcher, config, generator, classifier, catalog, threshold, followup, library
            )
        except BaseException:
            searcher.close()
            raise

    def search(self, query: str, *, k: int | None = None, user: User | None = None) -> SearchResult:
        return self.searcher.search(query, groups=_groups(user), k=k)

    def ask(
        self,
        question: str,
        *,
        user: User | None = None,
        history: Sequence[str] = (),
        on_token: TokenCallback | None = None,
    ) -> Answer:
        """Answer ``question`` for ``user``; ``history`` holds the conversation's earlier
        questions, oldest first. LLM token usage of every stage is summed into the answer."""
        with metered() as calls:
            answer = self._ask(question, user, history, on_token)
        usage = total_usage(calls)
        return answer if usage is None else dataclasses.replace(answer, usage=usage)

    def _ask(
        self,
        question: str,
        user: User | None,
        history: Sequence[str],
        on_token: TokenCallback | None,
    ) -> Answer:
        started = time.perf_counter()
        # Searched and checked without invisible characters: a soft hyphen pasted from a
        # PDF ("John\u00adson") would split a name, and NFKC reads full-width letters.
        plain = [normalise(text) for text in (question, *history)]
        run = Run(question, with_inferred_figure(self._standalone(plain[0], plain[1:])))
        label = self._classify(run.standalone, plain[1:])
        run.timings["classify"] = _ms(started)
        run.label = label
        if label.intent == "action":
            return run.finish("escalated", ESCALATED, "request to act: escalated for human review")
        if label.intent in ("off_topic", "small_talk"):
            reason = f"{label.intent.replace('_', ' ')}: outside the research library"
            return run.finish("declined", DECLINED, reason)

        if numbers_only(run.standalone):
            return run.finish(
                "not_found",
                NOT_FOUND,
                "the question is only numbers: say what to look up (a company, fund or "
                "document, and the figure)",
            )
        if not_english(run.standalone):
            refused = self._foreign(run)
            if refused is not None:
                return refused

        result = self._search(run.standalone, user)
        run.timings.update({f"search_{k}": v for k, v in result.timings_ms.items()})
        run.result = result
        sources = result.passages[: self._source_count(run.standalone)]
        t = time.perf_counter()
        verdict = self.answerability(run.standalone, result, user, label)
        if (deeper := self._deeper(run.standalone, result, verdict)) is not None:
            result = deeper
            run.result = result
            sources = result.passages[: self._source_count(run.standalone)]
            verdict = self.answerability(run.standalone, result, user, label)
        run.timings["answerability"] = _ms(t)
        run.check = verdict
        run.evidence = verdict.score
        if verdict.refuse_names:
            return run.finish("not_found", NOT_FOUND, "; ".join(verdict.reasons))
        if verdict.score < self.abstain_threshold:
            why = [
                f"answerability {verdict.score:.2f} is under the threshold "
                f"{self.abstain_threshold:.2f}",
                *verdict.reasons,
            ]
            return run.finish("not_found", NOT_FOUND, "; ".join(why))

        if verdict.qualifiers:
            # A part of a company asked ("revenue in Greater China"): only the passages
            # naming it answer, and below only the sentences naming it stand.
            sources = [p for p in sources if names_all(verdict.qualifiers, p.text)]
            if not sources:  # each part named by another passage, none by one
                parts = ", ".join(verdict.qualifiers)
                return run.finish("not_found", NOT_FOUND, f"no source names all of {parts}")
        if asks_author(run.standalone) and (opening := self._opening(sources, user)):
            sources = [opening, *sources]
        t = time.perf_counter()
        numbering = StreamNumbering(len(sources), on_token) if on_token else None
        feed = numbering.feed if numbering else None
        if verdict.comparison and verdict.covered and self.library is not None:
            draft = self._compared(run.standalone, sources, verdict, feed)
        else:
            draft = self.generator.generate(run.standalone, sources, on_token=feed)
        if numbering is not None:
            numbering.flush()
        run.timings["generate"] = _ms(t)
        run.model, run.prompt_version, run.usage = draft.model, draft.prompt_version, draft.usage
        quoted_instead = False
        model_refused = draft.not_found and self.generator.name != "extractive"
        if model_refused and self.config.model_not_found == "quote":
            # A small model's NOT_FOUND is mostly wrong where the checks passed: the offline
            # answer's verified quotes stand instead (not streamed: the final answer carries
            # them), and the reason says whose answer it is.
            quotes = make_generator(
                "extractive", quotes=self.config.quotes, compute=self.config.compute
            )
            fallback = quotes.generate(run.standalone, sources)
            quoted_instead = not fallback.not_found
            if quoted_instead:
                draft, run.model = fallback, f"{run.model}, then extractive"
        if draft.not_found:
            # The generator's own verdict joins the answerability checks' reasons.
            said = (
                "the model found no answer in the sources (NOT_FOUND)"
                if self.generator.name != "extractive"
                else "no sentence of the sources answers the question"
            )
            why = [said, *verdict.reasons]
            return run.finish("not_found", NOT_FOUND, "; ".join(why))

        t = time.perf_counter()
        # Extractive quotes are verbatim, so words decide; paraphrases need meaning too.
        semantic = self.config.verify_semantic and self.generator.name != "extractive"
        embedder = self.searcher.embedder if semantic else None
        checked = verify(draft.text, sources, embedder=embedder)
        run.timings["verify"] = _ms(t)
        computations = draft.computations
        if verdict.qualifiers:
            checked = for_part(checked, verdict.qualifiers, verdict.figure or "", sources)
            computations = tuple(c for c in computations if names_all(verdict.qualifiers, c.label))
        text, citations, dropped = supported(checked, sources)
        computed = [check(c, sources) for c in computations] if self.config.compute else []
        text, citations = attach(text, citations, checked.source_numbers, computed, sources)
        dropped += list(draft.computation_errors)
        dropped += [f"{c.computation.label}: {c.reason}" for c in computed if not c.ok]
        run.unsupported = dropped
        if not citations:
            none = "no sentence of the draft answer is supported by its sources"
            if verdict.qualifiers:
                none = f"no source sentence gives the figure for {', '.join(verdict.qualifiers)}"
            return run.finish("not_found", NOT_FOUND, none)
        if verdict.comparison and self.library is not None:
            text = by_name(text, citations, sources, verdict, self.library)
        reason = ANSWERED
        if quoted_instead:
            reason = f"{reason}; the model found no answer (NOT_FOUND), so the sources are quoted"
        if verdict.missing:  # a comparison: say what the library does not cover
            reason = "; ".join(
                [reason, *(r for r in verdict.reasons if r.startswith(NAME_REASONS))]
            )
        return run.finish("answered", text, reason, citations)

    def _source_count(self, question: str) -> int:
        """How many passages the answer is written from: ``sources`` for each name asked
        side by side, so each has as many as a question about it alone; ``compute_sources``
        at least for a computed measure (EBITDA: operating income on the income statement,
        D&A on the cash flow statement)."""
        count = self.config.sources * max(1, len(compared_names(question)))
        if self.config.compute and asks_measure(question):
            count = max(count, self.config.compute_sources)
        return count

    def _deeper(
        self, question: str, result: SearchResult, verdict: Answerability
    ) -> SearchResult | None:
        """``result`` with the passages naming the part asked first (``parts_first``), or
        None when there is no such part or no passage below the sources names it."""
        passages = parts_first(question, result.passages, verdict, self._source_count(question))
        return None if passages is None else dataclasses.replace(result, passages=passages)

    def _opening(self, sources: Sequence[Passage], user: User | None) -> Passage | None:
        """The first passage (title and byline) of the best source's document, when no
        source is it: a note's byline, asked who covers a company, sits on its first page,
        and the passage about the company is further in."""
        if not sources:
            return None
        opening = self.searcher.opening(sources[0].document_id, groups=_groups(user))
        if opening is None or any(p.chunk_id == opening.chunk_id for p in sources):
            return None
        return dataclasses.replace(opening, profile=sources[0].profile)

    def _search(self, question: str, user: User | None) -> SearchResult:
        """The question's passages. Names asked side by side ("3M's and Honeywell's capex")
        each get their share: each name gets its own search, the other names left out of
        the query, whose passages count only if they are about it, and those passages
        take turns at the top."""
        groups = _groups(user)
        result = self.searcher.search(question, groups=groups)
        names = compared_names(question)
        if not names or self.library is None:
            return result
        started = time.perf_counter()
        turns: list[list[Passage]] = []
        queries, routed = list(result.queries), list(result.routed_documents)
        for name in names:
            others = [other for other in names if other != name]
            found = self.searcher.search(without_names(question, others), groups=groups)
            about = sources_about(name, found.passages, self.library)
            queries += found.queries
            routed += found.routed_documents
            turns.append([found.passages[i] for i in about])
        merged: dict[str, Passage] = {}
        for passage in [*take_turns(turns), *result.passages]:
            merged.setdefault(passage.chunk_id, passage)
        timings = {**result.timings_ms, "each_name": _ms(started)}
        return dataclasses.replace(
            result,
            passages=list(merged.values())[
                : max(len(result.passages), self._source_count(question))
            ],
            queries=list(dict.fromkeys(queries)),
            routed_documents=list(dict.fromkeys(routed)),
            timings_ms=timings,
        )

    def _compared(
        self,
        question: str,
        sources: Sequence[Passage],
        verdict: Answerability,
        on_token: TokenCallback | None,
    ) -> Draft:
        """Names asked side by side, answered from each covered name's own sources in turn,
        so the best quotes are not all one company's and no passage about another name
        answers for it. Markers index ``sources``."""
        assert self.library is not None
        lines: list[str] = []
        computations: list[Computation] = []
        first: Draft | None = None
        # Asked without the names: each part's sources are about its name, so the quotes
        # are chosen by what is asked of it, not by lines that merely print the name.
        asked = without_names(question, verdict.covered)
        for name in verdict.covered:
            about = sources_about(name, sources, self.library)
            if not about:
                continue
            part = self.generator.generate(asked, [sources[i] for i in about])
            first = first or part
            renumbered = markers_over_all(part.text, about)
            lines.extend(line for line in renumbered.splitlines() if line not in lines)
            computations += [over_all(c, about) for c in part.computations]
        if first is None or not lines:
            # Nothing quotable about the names the library covers; the passages about
            # other names must not answer for them.
            model = first.model if first is not None else self.generator.name
            return Draft("", not computations, model, None, None, tuple(computations))
        text = "\n".join(lines)
        if on_token is not None:
            on_token(text)
        return dataclasses.replace(
            first, text=text, not_found=False, computations=tuple(computations)
        )

    def answerability(
        self,
        question: str,
        result: SearchResult,
        user: User | None = None,
        label: Classification | None = None,
    ) -> Answerability:
        """Whether ``result`` answers ``question``: the score abstention is calibrated on.
        ``label`` (the question's classification) says whether it asks for a view."""
        evidence = evidence_score(result, self.config)
        sources = result.passages[: self._source_count(question)]
        if self.library is None:
            return Answerability(score=evidence, evidence=evidence)
        groups = _groups(user)
        return assess(
            question,
            sources,
            evidence,
            self.library,
            lambda name: self.searcher.mentioning(name, groups=groups),
            groups,
            advice=label is not None and label.risk == "medium",
        )

    @staticmethod
    def _foreign(run: Run) -> Answer | None:
        """Reads a question in another language as English keywords ("Nike revenue 2023"),
        or refuses one whose words cannot all be read or that names no finance term."""
        reading = read_foreign(run.standalone)
        if reading.unread:
            return run.finish(
                "not_found",
                NOT_FOUND,
                "the question is not in English and these words could not be read: "
                f"{', '.join(reading.unread[:5])}; please ask in English",
            )
        if not reading.terms and not finance_term(reading.english):
            return run.finish(
                "not_found",
                NOT_FOUND,
                "the question is not in English and names no finance term the library "
                "is written in (revenue, net income, EPS...): please ask in English",
            )
        run.standalone = reading.english
        run.notes.append(
            "the question is not in English: it was matched on its names, numbers and "
            f'finance terms, read as "{reading.english}", and the sources are quoted in English'
        )
        return None

    def _standalone(self, question: str, history: Sequence[str]) -> str:
        if not history:
            return question
        if self.followup is not None:
            return self.followup.rewrite(question, history)
        return rewrite_followup(question, history)

    def _classify(self, question: str, history: Sequence[str]) -> Classification:
        if not self.config.classify:
            return Classification("research", "low", 1.0, ("classification off",))
        return self.classifier.classify(question, history)

    def ready(self) -> bool:
        """True once models answer: used by the service's readiness probe."""
        self.searcher.warm_up()
        return True

    def close(self) -> None:
        self.searcher.close()


def _generator(config: PipelineConfig, settings: Settings) -> Generator:
    if config.generator == "extractive":
        return make_generator("extractive", quotes=config.quotes, compute=config.compute)
    return make_generator(
        "openai",
        client=LLMClient.from_settings(settings),
        prompt_id=config.prompt_version,
        max_sources=config.sources,
        max_source_chars=config.source_chars,
        source_window=config.source_window,
        max_tokens=config.answer_tokens,
        compute=config.compute,
    )


def _classifier(config: PipelineConfig, settings: Settings) -> Classifier:
    if config.classifier == "llm":
        return make_classifier("llm", client=LLMClient.from_settings(settings))
    return make_classifier(config.classifier)


def _engine(settings: Settings) -> Any:
    from ingest.db import connect

    return connect(settings.resolved_database_url)


def _groups(user: User | None) -> tuple[str, ...] | None:
    return () if user is None else user.groups


def _ms(since: float) -> float:
    return round((time.perf_counter() - since) * 1000, 2)
