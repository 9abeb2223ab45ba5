"""Check every cited sentence of an answer against the sources it cites.

A draft (extractive or written by an LLM) marks claims with ``[1]``, ``[1][3]`` or ``[1, 3]``,
1-based indices into the sources. A citation stands only if every number in the claim occurs
in the cited source and the claim's wording is found there (lexical) or means the same as one
of its sentences (semantic, when an ``Embedder`` is given). Unsupported and out-of-range
markers are removed, the rest numbered by first use (as the streamed draft showed them), and
claims left without support are flagged, not dropped: the caller decides what an
unsupported sentence costs.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

import numpy as np

from assistant.claims import WORD_RE, Segment, draft_segments
from assistant.quantities import found, magnitudes, mentions
from assistant.sentences import SENTENCE_SPLIT_RE
from ingest.embedding import Embedder, Vectors
from ingest.sparse import tokenize
from retrieval.types import Passage

# Defaults, to be calibrated on labelled answers. Lexical share is measured against the whole
# cited chunk, so a faithful paraphrase keeps most content terms; 0.6 still allows a few
# connective words of its own. 0.65 cosine is where sentence-transformer models (MiniLM)
# move from "same topic" to "same statement" for a sentence and its paraphrase.
MIN_LEXICAL = 0.6
MIN_SEMANTIC = 0.65

MAX_UNIT_CHARS = 600  # longer source sentences are cut into windows, so a quote stays readable

_NUMERIC_TOKEN_RE = re.compile(r"[\d.,]+")
# Stems of the words that belong to a number ("4.2 billion"); the number check owns them.
_NUMBER_WORDS = frozenset(
    ["percent", "pct", "thousand", "million", "billion", "trillion", "mn", "bn", "tn"]
)
_TAG_RE = re.compile(r"<[^<>]{0,500}>")
_LINK_RE = re.compile(r"\[([^\]]{0,500})\]\([^)]{0,2000}\)")


@dataclass(frozen=True, slots=True)
class VerifiedCitation:
    """One (claim, cited source) pair and the evidence for or against it."""

    claim: int  # index into Verification.claims
    source: int  # 1-based, as cited in the draft: sources[source - 1] is the Passage
    number: int | None  # its marker in Verification.text; None when removed
    quote: str  # verbatim sentence or row of the source that best supports the claim
    lexical: float  # share of the claim's content terms found in the source
    semantic: float | None  # best cosine against a source sentence; None without an embedder
    numbers_ok: bool
    missing_numbers: tuple[str, ...]  # claim numbers, as written, that the source lacks
    support: float  # 0..1: the better of lexical and semantic, 0 when a number is wrong
    supported: bool


@dataclass(frozen=True, slots=True)
class Claim:
    """A sentence of the draft, its markers removed, and what became of its citations."""

    text: str
    cited: tuple[int, ...]  # source indices as the draft cited them, in order, deduplicated
    numbers: tuple[int, ...]  # its markers in Verification.text after renumbering
    flagged: bool
    reason: str

    @property
    def uncited(self) -> bool:
        return not self.cited


@dataclass(frozen=True, slots=True)
class Verification:
    """The checked answer; flagged and uncited claims are reported, the caller decides."""

    text: str  # the draft with unsupported markers removed, the rest numbered by first use
    claims: list[Claim]
    citations: list[VerifiedCitation]

    @property
    def flagged(self) -> list[Claim]:
        return [c for c in self.claims if c.flagged]

    @property
    def uncited(self) -> list[Claim]:
        return [c for c in self.claims if c.uncited]

    @property
    def source_numbers(self) -> dict[int, int]:
        """Original 1-based source index -> its number in ``text``. Numbers may skip one
        an unsupported citation had (numbers are kept as the draft streamed them)."""
        return {c.source: c.number for c in self.citations if c.number is not None}


# --- sources -------------------------------------------------------------------------------


def _plain(text: str) -> str:
    """Markup is not content: drop HTML tags and link targets before counting terms."""
    return _LINK_RE.sub(r"\1", _TAG_RE.sub(" ", html.unescape(text)))


def _terms(text: str) -> frozenset[str]:
    """Content terms; numbers are left to the number check, which normalises them properly."""
    terms = tokenize(_plain(text))
    return frozenset(
        t for t in terms if t not in _NUMBER_WORDS and not _NUMERIC_TOKEN_RE.fullmatch(t)
    )


def _windows(piece: str) -> list[str]:
    """Cut an over-long sentence at spaces into verbatim windows of at most MAX_UNIT_CHARS."""
    out, start = [], 0
    while len(piece) - start > MAX_UNIT_CHARS:
        cut = piece.rfind(" ", start + 1, start + MAX_UNIT_CHARS)
        cut = cut if cut > start else start + MAX_UNIT_CHARS
        out.append(piece[start:cut].strip())
        start = cut
    return [w for w in [*out, piece[start:].strip()] if w]


def _units(text: str) -> list[str]:
    """Sentences and table rows of a source, verbatim, so a reader can search for a quote;
    split as the extractive answerer splits them, so its quotes match."""
    bounds = [(m.start(), m.end()) for m in SENTENCE_SPLIT_RE.finditer(text)]
    out, start = [], 0
    for end, next_start in [*bounds, (len(text), len(text))]:
        piece = text[start:end].strip()
        if WORD_RE.search(piece):
            out.extend(_windows(piece))
        start = next_start
    return out


@dataclass(frozen=True, slots=True)
class _Source:
    units: list[str]
    unit_terms: list[frozenset[str]]
    unit_numbers: list[frozenset[Decimal]]
    terms: frozenset[str]
    numbers: frozenset[Decimal]

    @classmethod
    def of(cls, text: str) -> _Source:
        units = _units(text)
        return cls(units, [_terms(u) for u in units], [magnitudes(u) for u in units],
                   _terms(text), magnitudes(text))  # fmt: skip


# --- scoring -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _ClaimFacts:
    terms: frozenset[str]
    mentions: list[tuple[str, frozenset[Decimal]]]

    @classmethod
    def of(cls, text: str) -> _ClaimFacts:
        return cls(_terms(text), mentions(_plain(text)))


def _lexical_quote(facts: _ClaimFacts, source: _Source) -> str:
    """The unit sharing most of the claim's terms and numbers; "" if none shares any."""
    best, best_score = "", 0
    for unit, terms, pool in zip(source.units, source.unit_terms, source.unit_numbers, strict=True):
        score = len(facts.terms & terms) + sum(found(r, pool) for _, r in facts.mentions)
        if score > best_score:
            best, best_score = unit, score
    return best


def _assess(
    claim: int,
    source: int,
    facts: _ClaimFacts,
    prepared: _Source,
    similarities: Vectors | None,
    thresholds: tuple[float, float],
) -> VerifiedCitation:
    """Score one citation; without similarities the quote is the best lexical match."""
    hits = len(facts.terms & prepared.terms)
    lexical = round(hits / len(facts.terms), 6) if facts.terms else 0.0
    missing = tuple(text for text, r in facts.mentions if not found(r, prepared.numbers))
    semantic: float | None = None
    if similarities is None:
        quote = _lexical_quote(facts, prepared)
    elif len(similarities):
        best = int(similarities.argmax())
        quote, semantic = prepared.units[best], round(float(similarities[best]), 6)
    else:
        quote, semantic = "", 0.0
    min_lexical, min_semantic = thresholds
    meaning = lexical >= min_lexical or (semantic is not None and semantic >= min_semantic)
    support = 0.0 if missing else min(1.0, max(lexical, semantic or 0.0, 0.0))
    return VerifiedCitation(
        claim, source, None, quote, lexical, semantic, not missing, missing, support,
        supported=meaning and not missing,
    )  # fmt: skip


def _embed(embedder: Embedder, texts: list[str]) -> Vectors:
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    vectors = embedder.embed(texts)
    if vectors.ndim != 2 or vectors.shape[0] != len(texts):
        raise ValueError(
            f"embedder {embedder.name!r} returned shape {vectors.shape} for {len(texts)} texts"
        )
    return vectors


def _similarities(
    embedder: Embedder,
    pairs: list[tuple[int, int]],
    claims: list[Segment],
    prepared: dict[int, _Source],
) -> dict[tuple[int, int], Vectors]:
    """Cosine of each (claim, cited source) pair against every unit of that source.

    Two batches in all (the claims, then every unit of every cited source), so a long draft
    costs two calls to the model, not one per citation. Rows are normalised: dot = cosine.
    """
    checked = list(dict.fromkeys(k for k, _ in pairs))
    claim_vectors = _embed(embedder, [_plain(claims[k].text) for k in checked])
    rows = {k: claim_vectors[n] for n, k in enumerate(checked)}
    unit_vectors = _embed(embedder, [u for s in prepared.values() for u in s.units])
    blocks, start = {}, 0
    for index, source in prepared.items():
        blocks[index] = unit_vectors[start : start + len(source.units)]
        start += len(source.units)
    empty = np.zeros(0, dtype=np.float32)
    return {(k, i): blocks[i] @ rows[k] if len(blocks[i]) else empty for k, i in pairs}


# --- verification --------------------------------------------------------------------------


def _renumber(citations: list[VerifiedCitation]) -> list[VerifiedCitation]:
    """Number sources in order of first use in the draft; a source keeps one number.

    Every existing source cited gets its number, supported or not, so dropping an
    unsupported one leaves a gap instead of shifting the rest: the numbers are the ones
    ``assistant.numbering`` showed while the draft streamed.
    """
    numbers: dict[int, int] = {}
    out = []
    for citation in citations:
        number = numbers.setdefault(citation.source, len(numbers) + 1)
        out.append(replace(citation, number=number) if citation.supported else citation)
    return out


def _why_not(citation: VerifiedCitation, thresholds: tuple[float, float]) -> str:
    if not citation.numbers_ok:
        return f"[{citation.source}] lacks {', '.join(citation.missing_numbers)}"
    why = f"[{citation.source}] lexical {citation.lexical:.2f} < {thresholds[0]:.2f}"
    if citation.semantic is not None:
        why += f", semantic {citation.semantic:.2f} < {thresholds[1]:.2f}"
    return why


def _claim(
    segment: Segment,
    citations: list[VerifiedCitation],
    n_sources: int,
    thresholds: tuple[float, float],
) -> Claim:
    """Flag a claim that cites a missing source or that none of its sources supports."""
    reasons = []
    invalid = [i for i in segment.cited if not 1 <= i <= n_sources]
    if invalid:
        listed = ", ".join(f"[{i}]" for i in invalid)
        reasons.append(f"cites {listed}: no such source (sources are 1..{n_sources})")
    kept = tuple(dict.fromkeys(c.number for c in citations if c.number is not None))
    if segment.cited and not kept:
        details = "; ".join(_why_not(c, thresholds) for c in citations)
        reasons.append("no cited source supports it" + (f" ({details})" if details else ""))
    return Claim(segment.text, segment.cited, kept, bool(reasons), "; ".join(reasons))


def _rewrite(draft: str, segments: list[Segment], kept: list[dict[int, int]]) -> str:
    """Replace each marker run by its surviving numbers; drop it (and its spacing) if none."""
    parts, pos = [], 0
    for segment, numbers in zip(segments, kept, strict=True):
        for run in segment.runs:
            parts.append(draft[pos : run.start])
            pos = run.end
            new = list(dict.fromkeys(numbers[i] for i in run.ids if i in numbers))
            if new:
                raw = draft[run.start : run.end]
                parts.append(raw[: len(raw) - len(raw.lstrip(" \t"))])
                parts.append("".join(f"[{n}]" for n in new))
            elif run.start == 0 or draft[run.start - 1] == "\n":
                while pos < len(draft) and draft[pos] in " \t":
                    pos += 1
    parts.append(draft[pos:])
    return "".join(parts)


def _thresholds(min_lexical: float, min_semantic: float) -> tuple[float, float]:
    for name, value in (("min_lexical", min_lexical), ("min_semantic", min_semantic)):
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"{name} must be within [0, 1], got {value}")
    return min_lexical, min_semantic


def _prepare(segments: list[Segment], sources: Sequence[Passage]) -> dict[int, _Source]:
    """Split and index each cited source once, however many claims cite it."""
    prepared: dict[int, _Source] = {}
    for index in (i for s in segments for i in s.cited if 1 <= i <= len(sources)):
        if index not in prepared:
            prepared[index] = _Source.of(sources[index - 1].text)
    return prepared


def verify(
    draft: str,
    sources: Sequence[Passage],
    *,
    embedder: Embedder | None = None,
    min_lexical: float = MIN_LEXICAL,
    min_semantic: float = MIN_SEMANTIC,
) -> Verification:
    """Check each cited claim against its sources; drop, renumber and flag accordingly.

    A citation is supported when every number of the claim occurs in the source and either
    ``lexical >= min_lexical`` or ``semantic >= min_semantic``. Without an ``embedder`` the
    semantic score is None and only the lexical test applies, so paraphrases that change
    most words are rejected: pass an embedder to verify free-written (LLM) answers. The
    defaults (``MIN_LEXICAL``, ``MIN_SEMANTIC``) are provisional until calibrated.
    """
    thresholds = _thresholds(min_lexical, min_semantic)
    segments = draft_segments(draft)
    prepared = _prepare(segments, sources)
    pairs = [(k, i) for k, s in enumerate(segments) for i in s.cited if i in prepared]
    similar = _similarities(embedder, pairs, segments, prepared) if embedder else {}
    facts = {k: _ClaimFacts.of(segments[k].text) for k in dict.fromkeys(k for k, _ in pairs)}
    citations = [
        _assess(k, i, facts[k], prepared[i], similar.get((k, i)) if embedder else None, thresholds)
        for k, i in pairs
    ]
    citations = _renumber(citations)
    by_claim: list[list[VerifiedCitation]] = [[] for _ in segments]
    for citation in citations:
        by_claim[citation.claim].append(citation)
    claims = [_claim(s, by_claim[k], len(sources), thresholds) for k, s in enumerate(segments)]
    kept = [{c.source: c.number for c in group if c.number is not None} for group in by_claim]
    return Verification(_rewrite(draft, segments, kept), claims, citations)
