"""The collection layout sent to a Qdrant server: built from Settings, checked offline."""

from __future__ import annotations

from typing import Any

import pytest
from qdrant_client import QdrantClient
from qdrant_client.http import models as m

from core.settings import Settings
from ingest.index import collection_layout
from ingest.store import DENSE, SPARSE
from ingest.store.client import QdrantClientStore
from ingest.store.layout import CollectionLayout


class RecordingClient:
    """Stands in for a server: records what the store asks it to create."""

    def __init__(self) -> None:
        self.created: dict[str, Any] = {}
        self.indexed: list[tuple[str, Any]] = []

    def collection_exists(self, name: str) -> bool:
        return False

    def create_collection(self, name: str, **kwargs: Any) -> None:
        self.created = {"name": name, **kwargs}

    def create_payload_index(self, name: str, field: str, schema: Any, wait: bool) -> None:
        self.indexed.append((field, schema))


def _store(layout: CollectionLayout) -> tuple[QdrantClientStore, RecordingClient]:
    client = RecordingClient()
    store = QdrantClientStore(client, kind="remote", payload_indexes=True, layout=layout)  # type: ignore[arg-type]
    return store, client


def test_settings_become_the_create_collection_request() -> None:
    settings = Settings(
        qdrant_shard_number=6,
        qdrant_replication_factor=2,
        qdrant_write_consistency_factor=2,
        qdrant_on_disk=True,
        qdrant_quantization="int8",
        qdrant_hnsw_m=32,
        qdrant_hnsw_ef_construct=200,
    )
    store, client = _store(collection_layout(settings))
    store.ensure_collection("researchdesk_default", 384)
    sent = client.created
    assert sent["name"] == "researchdesk_default"
    assert (sent["shard_number"], sent["replication_factor"]) == (6, 2)
    assert sent["write_consistency_factor"] == 2
    dense = sent["vectors_config"][DENSE]
    assert (dense.size, dense.distance, dense.on_disk) == (384, m.Distance.COSINE, True)
    sparse = sent["sparse_vectors_config"][SPARSE]
    assert sparse.modifier == m.Modifier.IDF and sparse.index.on_disk is True
    assert (sent["hnsw_config"].m, sent["hnsw_config"].ef_construct) == (32, 200)
    scalar = sent["quantization_config"].scalar
    assert (scalar.type, scalar.always_ram) == (m.ScalarType.INT8, True)
    # Quantized search re-scores with the original vectors.
    params = store._dense_params
    assert params is not None and params.quantization.rescore is True
    assert params.hnsw_ef == 256
    # Payload indexes for every filter field.
    assert {f for f, _ in client.indexed} >= {"document_id", "version", "allowed_groups", "date"}


def test_defaults_leave_the_server_defaults() -> None:
    store, client = _store(collection_layout(Settings()))
    store.ensure_collection("c", 384)
    assert set(client.created) == {"name", "vectors_config", "sparse_vectors_config"}
    assert client.created["vectors_config"][DENSE].on_disk is None
    assert store._dense_params is not None and store._dense_params.quantization is None


def test_the_request_is_one_qdrant_accepts() -> None:
    """qdrant-client's own local mode takes the same arguments without complaint."""
    layout = CollectionLayout(6, 2, 1, True, "int8", 16, 100)
    client = QdrantClient(":memory:")
    client.create_collection("c", **layout.create_kwargs(8))
    assert client.collection_exists("c")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("qdrant_shard_number", 0),
        ("qdrant_replication_factor", 0),
        ("qdrant_hnsw_m", 1),
        ("qdrant_hnsw_ef_construct", 10**6),
        ("qdrant_quantization", "binary"),
    ],
)
def test_bad_layout_settings_are_rejected(field: str, value: object) -> None:
    with pytest.raises(ValueError, match=field):
        Settings(**{field: value})  # type: ignore[arg-type]


def test_write_consistency_cannot_exceed_replicas() -> None:
    with pytest.raises(ValueError, match="cannot exceed"):
        CollectionLayout(replication_factor=1, write_consistency_factor=2)
