"""Hybrid search under the caller's entitlements: one store search per leg, legs fused.

A leg is one query variant searched under one filter: the routed documents (weighted),
everything the caller may see, and the routed documents' statement pages of the kinds the
question names. Every filter carries the caller's groups, so the store drops what they may
not see inside the query, never after it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ingest.sparse import BM25Encoder
from ingest.store import Hit, SearchFilter, VectorStore
from retrieval.config import SearchConfig
from retrieval.fusion import rrf
from retrieval.periods import read_ask
from retrieval.statements import asked_statements
from retrieval.types import Passage


def entitled(groups: Sequence[str] | None) -> tuple[str, ...] | None:
    """``SearchFilter.groups`` for a caller in ``groups``: ``()`` sees only public
    documents; ``None`` skips the entitlement check (trusted, administrative callers)."""
    return tuple(groups) if groups is not None else None


@dataclass
class Leg:
    """One retrieval run (one query variant, one filter)."""

    hits: list[Hit]
    weight: float


class HybridSearch:
    """Runs the legs of one question against ``collection`` in ``store``."""

    def __init__(
        self, store: VectorStore, collection: str, encoder: BM25Encoder, config: SearchConfig
    ) -> None:
        self.store = store
        self.collection = collection
        self.encoder = encoder
        self.config = config

    def legs(
        self,
        query: str,
        queries: Sequence[str],
        dense: Sequence[list[float] | None],
        routed: Sequence[str],
        groups: Sequence[str] | None,
        inside: str | None = None,
        series: bool = True,
    ) -> list[Leg]:
        """Every query variant under every filter, then the statement leg of ``query``.

        ``dense[i]`` is the embedding of ``queries[i]`` (None in sparse mode); ``query`` is
        ``queries[0]``, the question as asked. ``inside`` is the words ``query`` is searched
        by within the routed documents (``SearchConfig.routed_names``), ``query`` if None.
        ``series`` says the routed documents are an issuer's reports, ordered by period,
        so the first stands alone in the recent leg (``recent_filter``).
        """
        inside = inside or query
        filters = self.filters(routed, groups)
        legs = [
            Leg(self.retrieve(inside if flt.document_ids and index == 0 else text,
                              dense[index], flt), weight)
            for index, text in enumerate(queries)
            for flt, weight in filters
        ]  # fmt: skip
        statement = self.statement_filter(query, routed, groups)
        if statement is not None:
            hits = self.retrieve(inside, dense[0], statement)
            legs.append(Leg(hits, self.config.statement_weight))
        recent = self.recent_filter(query, routed, groups) if series else None
        if recent is not None:
            legs.append(Leg(self.retrieve(inside, dense[0], recent), self.config.recent_weight))
        return legs

    def retrieve(self, text: str, dense: list[float] | None, flt: SearchFilter) -> list[Hit]:
        """One leg: the store's dense, sparse or fused search, as ``config.mode`` says."""
        n = self.config.candidates
        if self.config.mode == "dense":
            assert dense is not None
            return self.store.search_dense(self.collection, dense, n, flt)
        sparse = self.encoder.encode_query(text)
        if self.config.mode == "sparse":
            return self.store.search_sparse(self.collection, sparse, n, flt)
        assert dense is not None
        return self.store.search_hybrid(
            self.collection, dense, sparse, n, prefetch=n, flt=flt, fusion=self.config.fusion
        )

    def filters(
        self, routed: Sequence[str], groups: Sequence[str] | None
    ) -> list[tuple[SearchFilter, float]]:
        """(filter, fusion weight) per retrieval leg: routed documents, then everything."""
        base = SearchFilter(groups=entitled(groups))
        filters: list[tuple[SearchFilter, float]] = []
        if routed and self.config.routing in ("boost", "filter"):
            only = SearchFilter(groups=base.groups, document_ids=tuple(routed))
            filters.append((only, self.config.routing_weight))
        if not routed or self.config.routing != "filter":
            filters.append((base, 1.0))
        return filters

    def statement_filter(
        self, query: str, routed: Sequence[str], groups: Sequence[str] | None
    ) -> SearchFilter | None:
        """The routed documents' statement pages of the kinds ``query`` asks about, or None
        when there is no such leg to run (off, nothing routed, no line item named)."""
        if self.config.statements == "off" or not routed:
            return None
        kinds = asked_statements(query)
        if not kinds:
            return None
        return SearchFilter(
            groups=entitled(groups),
            document_ids=tuple(routed),
            statements=kinds,
        )

    def recent_filter(
        self, query: str, routed: Sequence[str], groups: Sequence[str] | None
    ) -> SearchFilter | None:
        """The first routed document alone when ``query`` asks for no period: the router
        puts the most recent report of the fitting kind first, and with no period asked
        that is the one to prefer (the others stay in the routed and global legs)."""
        if self.config.recent_weight <= 0 or len(routed) < 2:
            return None
        ask = read_ask(query)
        if ask.years or ask.quarters or ask.latest:
            return None  # the router already chose by the asked period
        return SearchFilter(groups=entitled(groups), document_ids=(routed[0],))

    def leg_scores(
        self,
        query: str,
        routed: Sequence[str],
        groups: Sequence[str] | None,
        dense: list[float] | None,
    ) -> tuple[dict[str, float], dict[str, float]]:
        """(dense, BM25) scores by chunk id from separate, not fused, searches of ``query``
        under the same filters as its legs, entitlements included. No dense search when
        ``dense`` is None."""
        n = self.config.candidates
        dense_scores: dict[str, float] = {}
        sparse_scores: dict[str, float] = {}
        sparse = self.encoder.encode_query(query)
        filters = [flt for flt, _ in self.filters(routed, groups)]
        statement = self.statement_filter(query, routed, groups)
        if statement is not None:  # its candidates get their real scores, not the floor
            filters.append(statement)
        for flt in filters:
            if dense is not None:
                for hit in self.store.search_dense(self.collection, dense, n, flt):
                    dense_scores[hit.id] = hit.score
            for hit in self.store.search_sparse(self.collection, sparse, n, flt):
                sparse_scores[hit.id] = hit.score
        return dense_scores, sparse_scores


def fuse_legs(legs: list[Leg], limit: int) -> list[Passage]:
    """One leg keeps its own order and scores; several are fused by weighted RRF."""
    if len(legs) == 1:
        return [Passage.from_hit(h) for h in legs[0].hits[:limit]]
    by_id = {h.id: h for leg in legs for h in leg.hits}
    fused = rrf([[h.id for h in leg.hits] for leg in legs], weights=[leg.weight for leg in legs])
    return [Passage.from_hit(by_id[i], score) for i, score in fused[:limit]]
