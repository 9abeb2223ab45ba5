"""Every switch of the query pipeline in one validated model, so experiments can vary any."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

RetrievalMode = Literal["dense", "sparse", "hybrid"]
StoreFusion = Literal["rrf", "dbsf"]
RoutingMode = Literal["off", "boost", "filter"]
StatementMode = Literal["off", "leg"]
RerankOrder = Literal["blend", "model"]
RerankerName = Literal["none", "features", "cross-encoder", "llm"]
ExpansionName = Literal["none", "lexicon", "llm-rewrite", "llm-multi", "hyde"]
ClassifierName = Literal["rules", "exemplar", "hybrid", "llm"]


class SearchConfig(BaseModel):
    """How a question becomes ranked evidence."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    mode: RetrievalMode = "hybrid"
    fusion: StoreFusion = "rrf"
    candidates: int = Field(default=50, ge=1, le=1000, description="Per leg and for reranking.")
    k: int = Field(default=10, ge=1, le=200)
    routing: RoutingMode = Field(
        default="boost",
        description="Match the question to documents in the catalogue (issuer, period, type): "
        "'boost' fuses a search restricted to the matched documents with the global one, "
        "'filter' keeps only matched documents when the match is confident.",
    )
    routing_documents: int = Field(default=3, ge=1, le=50)
    routed_names: Literal["keep", "drop"] = Field(
        default="keep",
        description="Searching inside the routed documents, 'drop' leaves out of the BM25 "
        "query the name words that routed them: every page of a company's filing is about "
        "it, and its name ranks exhibit lists and signature pages first; 'keep' searches "
        "the question as asked (default: 'drop' measured mixed, docs/benchmarks.md).",
    )
    routing_weight: float = Field(default=2.0, ge=0.0, le=100.0)
    statements: StatementMode = Field(
        default="leg",
        description="'leg' adds a search of the routed documents' primary statement pages "
        "(balance sheet, income, cash flow; tagged at ingest) of the kinds whose line items "
        "the question names, fused with the others; 'off' does not.",
    )
    statement_weight: float = Field(default=5.0, ge=0.0, le=100.0)
    recent_weight: float = Field(
        default=1.0,
        ge=0.0,
        le=100.0,
        description="With a question that asks no period, a search restricted to the first "
        "routed document (the most recent report of the fitting kind), fused with this "
        "weight; 0 runs no such leg.",
    )
    expansion: ExpansionName = Field(
        default="none",
        description="Extra query variants, each searched and fused: 'lexicon' (acronyms and "
        "synonyms, offline), or by the LLM: 'llm-rewrite' (one clearer query), 'llm-multi' "
        "(up to 3 phrasings), 'hyde' (a hypothetical answer passage).",
    )
    classifier: ClassifierName = Field(
        default="rules",
        description="Question routing: 'rules' (offline), 'exemplar', 'hybrid', or 'llm' "
        "(needs an OpenAI-compatible endpoint; the rules' actions always stand).",
    )
    rerank: RerankerName = Field(
        default="features",
        description="Reorder the candidates: 'features' (learned, offline), 'cross-encoder' "
        "(needs rerank_model), 'llm' (needs an OpenAI-compatible endpoint) or 'none'.",
    )
    rerank_order: RerankOrder = Field(
        default="blend",
        description="'blend' orders the reranked candidates by equal-weight RRF of the "
        "retrieval order and the reranker's order (chosen on FinanceBench dev's train half: "
        "it beat either order alone); 'model' takes the reranker's order as it is. Scores "
        "stay the reranker's own either way.",
    )
    rerank_model: str | None = Field(
        default=None,
        description="Cross-encoder name or folder; for 'features', a shipped model id or a "
        "JSON file.",
    )

    @model_validator(mode="after")
    def _check(self) -> SearchConfig:
        if self.k > self.candidates:
            raise ValueError(f"k ({self.k}) cannot exceed candidates ({self.candidates})")
        return self
