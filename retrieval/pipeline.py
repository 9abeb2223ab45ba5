"""``Searcher.search``: question -> ranked passages, every stage switchable by config.

Stages, in order: optional query expansion (variants searched separately and fused),
optional routing to catalogued documents, embedding, dense / sparse / hybrid retrieval
inside the vector store with the caller's entitlement filter applied in the query
(``retrieval.hybrid``), fusion of the legs, optional reranking.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from core.errors import ConfigError, NotFoundError
from core.settings import Settings
from ingest.catalog import Catalog
from ingest.db import connect
from ingest.embedding import Embedder
from ingest.engines import sentence_embedder
from ingest.index import collection_name, open_index_store, recover_pending, sparse_params
from ingest.sparse import BM25Encoder, tokenize
from ingest.store import SearchFilter, VectorStore
from retrieval.config import SearchConfig
from retrieval.fusion import blend_orders
from retrieval.hybrid import HybridSearch, entitled, fuse_legs
from retrieval.rerank import Reranker, make_reranker
from retrieval.rerank_features import RerankContext
from retrieval.routing import DocumentRouter, name_pattern, visible_to, without_names
from retrieval.types import Passage, SearchResult

if TYPE_CHECKING:
    from retrieval.expand import QueryExpander

# Expansions that call the language model, so need a client built from the settings.
LLM_EXPANSIONS = ("llm-rewrite", "llm-multi", "hyde")
# Hits read to decide whether a name occurs anywhere in the library.
MENTION_HITS = 10
# A name in at least this share of the documents, counted over its best BM25 passages, is
# the library's own (its publisher's) and does not route. Separated on this project's
# libraries: the sample's firm name is in 19 of 26 documents; no FinanceBench issuer is in
# more than 5 of 74, no other sample name in more than 4 of 26 (docs/benchmarks.md).
EVERYWHERE_SHARE = 0.5
EVERYWHERE_HITS = 50
# The payload fields a passage is made of (``Passage.from_hit``), and its position.
PASSAGE_FIELDS = (
    "document_id",
    "title",
    "source",
    "page_start",
    "page_end",
    "section",
    "text",
    "allowed_groups",
    "statement",
    "column_header",
    "scale",
    "places",
    "position",
)


class Searcher:
    """Holds the loaded models and store; ``search`` is cheap and thread-safe to call."""

    def __init__(
        self,
        store: VectorStore,
        collection: str,
        embedder: Embedder,
        encoder: BM25Encoder,
        router: DocumentRouter | None,
        config: SearchConfig,
        reranker: Reranker | None = None,
        expander: QueryExpander | None = None,
    ) -> None:
        """``expander`` overrides the one ``config.expansion`` names (LLM kinds need one)."""
        self.store = store
        self.collection = collection
        self.embedder = embedder
        self.encoder = encoder
        self.router = router
        self.config = config
        self._everywhere: dict[tuple[str, tuple[str, ...] | None, int], bool] = {}
        if expander is None and config.expansion != "none":
            expander = _expander(config, None)
        self.expander: QueryExpander | None = expander
        self.reranker: Reranker | None = reranker
        self.hybrid = HybridSearch(store, collection, encoder, config)

    @classmethod
    def from_settings(cls, settings: Settings, config: SearchConfig | None = None) -> Searcher:
        """Open the index described by ``settings``; raises NotFoundError if it is empty."""
        config = config or SearchConfig()
        # Before the index is opened: a missing LLM setting fails fast, with nothing to close.
        expander = _expander(config, settings) if config.expansion != "none" else None
        catalog = Catalog(connect(settings.resolved_database_url), settings.index)
        params = catalog.params()
        store = open_index_store(settings)
        collection = collection_name(settings)
        if params is None or collection not in store.collections():
            store.close()
            raise NotFoundError(
                f"index {settings.index!r} is empty; run `researchdesk ingest PATH` first"
            )
        try:
            recover_pending(settings, catalog, store)  # no orphan of a killed job is served
        except BaseException:
            store.close()
            raise
        if params.get("embedding_model") != settings.embedding_model:
            store.close()
            raise ConfigError(
                f"index {settings.index!r} was built with {params.get('embedding_model')!r}, "
                f"but RESEARCHDESK_EMBEDDING_MODEL is {settings.embedding_model!r}"
            )
        embedder = sentence_embedder(settings)
        router = DocumentRouter(catalog.all()) if config.routing != "off" else None
        encoder = BM25Encoder(**params.get("sparse", sparse_params(settings)))
        try:
            reranker = make_reranker(config.rerank, **_rerank_options(config, settings))
        except BaseException:
            store.close()
            raise
        return cls(store, collection, embedder, encoder, router, config, reranker, expander)

    def warm_up(self) -> None:
        self.embedder.embed(["warm up"])

    def search(
        self, query: str, *, groups: Sequence[str] | None = (), k: int | None = None
    ) -> SearchResult:
        """Top ``k`` passages for ``query`` visible to a user in ``groups``.

        ``groups=()`` sees only public documents; ``groups=None`` skips the entitlement
        check (trusted, administrative callers only).
        """
        config = self.config
        k = k or config.k
        timings: dict[str, float] = {}
        started = time.perf_counter()
        queries = [query]
        if self.expander is not None:
            queries = list(dict.fromkeys([query, *self.expander.expand(query).variants]))
        timings["expand"] = _ms(started)

        routed: list[str] = []
        t = time.perf_counter()
        if self.router is not None:
            routed = self._route(self.router, query, groups, config.routing_documents)
        timings["route"] = _ms(t)

        t = time.perf_counter()
        vectors = self.embedder.embed(queries) if config.mode != "sparse" else None
        dense = [_row(vectors, index) for index in range(len(queries))]
        timings["embed"] = _ms(t)

        inside = query
        if routed and self.router is not None and config.routed_names == "drop":
            inside = without_names(query, self.router.routed_names(query, routed))
            inside = inside if tokenize(inside) else query
        t = time.perf_counter()
        series = self.router is not None and self.router.issuers_reports(routed)
        legs = self.hybrid.legs(query, queries, dense, routed, groups, inside=inside, series=series)
        timings["retrieve"] = _ms(t)

        passages = fuse_legs(legs, config.candidates)
        if self.reranker is not None:
            t = time.perf_counter()
            passages = self._rerank(self.reranker, query, passages, routed, groups, dense[0])
            timings["rerank"] = _ms(t)
        passages = passages[:k]
        if self.router is not None:
            router = self.router
            passages = [
                dataclasses.replace(p, profile=router.profile(p.document_id)) for p in passages
            ]
        timings["total"] = _ms(started)
        return SearchResult(
            query=query,
            passages=passages,
            routed_documents=routed,
            queries=queries,
            timings_ms=timings,
        )

    def _route(
        self, router: DocumentRouter, query: str, groups: Sequence[str] | None, limit: int
    ) -> list[str]:
        """The router's documents for ``query``, routed again without any name that the
        library writes nearly everywhere: the firm's own ("Harbor Point's forecast for
        Atlas") names the publisher, not the subject, though two titles carry it."""
        routed = [doc for doc, _ in router.route(query, groups, limit)]
        house = [n for n in router.routed_names(query, routed) if self.everywhere(n, groups)]
        if house:
            routed = [doc for doc, _ in router.route(without_names(query, house), groups, limit)]
        return routed

    def everywhere(self, name: str, groups: Sequence[str] | None = ()) -> bool:
        """Whether ``name``, as written, is in at least ``EVERYWHERE_SHARE`` of the documents
        visible to ``groups``, counted over its best ``EVERYWHERE_HITS`` BM25 passages. Only
        a library of at most ``EVERYWHERE_HITS / EVERYWHERE_SHARE`` documents can show it so
        (a larger one is not searched: its house name is common among catalogue cards,
        which keeps it from routing already)."""
        cards = self.router.cards if self.router is not None else []
        if not cards or len(cards) * EVERYWHERE_SHARE > EVERYWHERE_HITS:
            return False
        visible = entitled(groups)
        key = (name, visible, len(cards))
        known = self._everywhere.get(key)
        if known is not None:
            return known
        documents = sum(1 for card in cards if visible_to(card, visible))
        query = self.encoder.encode_query(name)
        flt = SearchFilter(groups=visible)
        hits = self.store.search_sparse(self.collection, query, EVERYWHERE_HITS, flt)
        written = name_pattern(name)
        holding = {
            hit.payload.get("document_id")
            for hit in hits
            if written.search(str(hit.payload.get("text", "")))
        }
        found = documents > 0 and len(holding) >= EVERYWHERE_SHARE * documents
        if len(self._everywhere) > 10_000:  # bounded: names asked since the last reset
            self._everywhere = {}
        self._everywhere[key] = found
        return found

    def _rerank(
        self,
        reranker: Reranker,
        query: str,
        passages: list[Passage],
        routed: Sequence[str],
        groups: Sequence[str] | None,
        dense: list[float] | None,
    ) -> list[Passage]:
        """The reranker's order of ``passages``, blended with theirs if the config says so."""
        context = RerankContext(routed=routed)
        if reranker.wants_leg_scores:
            context = self.rerank_context(query, routed, groups, dense)
        reranked = reranker.rerank(query, passages, context)
        if self.config.rerank_order == "blend":
            by_id = {p.chunk_id: p for p in reranked}
            order = blend_orders([p.chunk_id for p in passages], list(by_id))
            reranked = [by_id[chunk_id] for chunk_id in order]
        return reranked

    def rerank_context(
        self,
        query: str,
        routed: Sequence[str],
        groups: Sequence[str] | None,
        dense: list[float] | None = None,
    ) -> RerankContext:
        """Dense and BM25 scores of the candidates from separate (not fused) searches.

        The same filters as the fused search apply, entitlements included.
        """
        if dense is None and self.config.mode != "sparse":
            dense = _row(self.embedder.embed([query]), 0)
        dense_scores, sparse_scores = self.hybrid.leg_scores(query, routed, groups, dense)
        return RerankContext(dense=dense_scores, sparse=sparse_scores, routed=routed)

    def mentioning(self, name: str, *, groups: Sequence[str] | None = ()) -> list[str]:
        """Texts of the passages visible to ``groups`` that BM25 ranks best for ``name``:
        if any passage holds the name's words, these do."""
        if not tokenize(name):
            return []
        flt = SearchFilter(groups=entitled(groups))
        hits = self.store.search_sparse(
            self.collection, self.encoder.encode_query(name), MENTION_HITS, flt
        )
        return [str(h.payload.get("text", "")) for h in hits]

    def opening(self, document_id: str, *, groups: Sequence[str] | None = ()) -> Passage | None:
        """The first passage of a document visible to ``groups`` (its title, byline and
        summary: who wrote it, when), or None when the caller may not see it."""
        flt = SearchFilter(document_ids=(document_id,), groups=entitled(groups))
        hits = self.store.scroll(self.collection, flt, fields=PASSAGE_FIELDS)
        if not hits:
            return None
        return Passage.from_hit(min(hits, key=lambda hit: int(hit.payload.get("position") or 0)))

    def close(self) -> None:
        self.store.close()


def _row(vectors: Any, index: int) -> list[float] | None:
    return None if vectors is None else list(map(float, vectors[index]))


def _expander(config: SearchConfig, settings: Settings | None) -> QueryExpander:
    """The expander ``config.expansion`` names; LLM kinds use the model ``settings`` set.

    Without settings (a Searcher built by hand) an LLM kind raises ConfigError saying what
    to configure, rather than searching without the expansion the config asked for.
    """
    from retrieval.expanders import make_expander

    if config.expansion in LLM_EXPANSIONS:
        # The registry builds the client with LLMClient.from_settings, or says what to set.
        return make_expander(config.expansion, settings=settings)
    return make_expander(config.expansion)


def _rerank_options(config: SearchConfig, settings: Settings) -> dict[str, Any]:
    if config.rerank == "cross-encoder":
        if not config.rerank_model:
            raise ConfigError("rerank = 'cross-encoder' needs rerank_model (a name or folder)")
        return {"model": config.rerank_model}
    if config.rerank == "features":
        return {"model": config.rerank_model}
    if config.rerank == "llm":
        return {"settings": settings, "model": config.rerank_model}
    return {}


def _ms(since: float) -> float:
    return round((time.perf_counter() - since) * 1000, 2)
