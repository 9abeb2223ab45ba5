"""How a collection is laid out on a Qdrant server or cluster (docs/scaling.md).

Used only when ResearchDesk creates a collection on a server; an existing collection keeps
its layout (Qdrant changes most of it only through an explicit collection update). Unset
fields leave the server's defaults. The embedded engines ignore all of this.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from ingest.store.base import DENSE, SPARSE

# The server's default beam (ef=100) lost recall@50 on measured data; 256 kept ~0.97, and
# recall@10 0.999 (0.97-0.99 filtered) on the FinanceBench vectors (docs/scaling.md).
HNSW_EF = 256
# int8 candidates re-scored with the original vectors: 2x oversampling.
RESCORE_OVERSAMPLING = 2.0


@dataclass(frozen=True, slots=True)
class CollectionLayout:
    shard_number: int | None = None
    replication_factor: int | None = None
    write_consistency_factor: int | None = None
    on_disk: bool = False
    quantization: Literal["none", "int8"] = "none"
    hnsw_m: int | None = None
    hnsw_ef_construct: int | None = None

    def __post_init__(self) -> None:
        if self.quantization not in ("none", "int8"):
            raise ValueError(f"quantization must be none or int8, not {self.quantization!r}")
        if (
            self.write_consistency_factor is not None
            and self.replication_factor is not None
            and self.write_consistency_factor > self.replication_factor
        ):
            raise ValueError(
                f"write_consistency_factor ({self.write_consistency_factor}) cannot exceed "
                f"replication_factor ({self.replication_factor})"
            )

    def create_kwargs(self, dim: int) -> dict[str, Any]:
        """Keyword arguments for ``QdrantClient.create_collection`` (name excluded)."""
        from qdrant_client.http import models as m

        dense = m.VectorParams(size=dim, distance=m.Distance.COSINE, on_disk=self.on_disk or None)
        sparse_index = m.SparseIndexParams(on_disk=True) if self.on_disk else None
        kwargs: dict[str, Any] = {
            "vectors_config": {DENSE: dense},
            "sparse_vectors_config": {
                SPARSE: m.SparseVectorParams(modifier=m.Modifier.IDF, index=sparse_index)
            },
        }
        for name in ("shard_number", "replication_factor", "write_consistency_factor"):
            value = getattr(self, name)
            if value is not None:
                kwargs[name] = value
        if self.hnsw_m is not None or self.hnsw_ef_construct is not None:
            kwargs["hnsw_config"] = m.HnswConfigDiff(
                m=self.hnsw_m, ef_construct=self.hnsw_ef_construct
            )
        if self.quantization == "int8":
            # Quantized vectors stay in RAM even when the originals are on disk.
            kwargs["quantization_config"] = m.ScalarQuantization(
                scalar=m.ScalarQuantizationConfig(
                    type=m.ScalarType.INT8, quantile=0.99, always_ram=True
                )
            )
        return kwargs

    def search_params(self) -> Any:
        """Dense search parameters: a wide HNSW beam, and rescoring when quantized."""
        from qdrant_client.http import models as m

        quantization = None
        if self.quantization == "int8":
            quantization = m.QuantizationSearchParams(
                rescore=True, oversampling=RESCORE_OVERSAMPLING
            )
        return m.SearchParams(hnsw_ef=HNSW_EF, quantization=quantization)
