"""Export an ingested index's chunks as the npz ``bench/store.py --from-npz`` reads.

    python bench/export_index.py --data-dir DIR --out FILE.npz [--limit N]

Dense vectors come from the embedding cache (nothing is re-embedded): each chunk's
embedded text is rebuilt from its payload exactly as the chunker built it.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import numpy as np

os.environ.setdefault("DO_NOT_TRACK", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.settings import Settings
from ingest.catalog import Catalog
from ingest.chunking import contextual_header
from ingest.db import connect
from ingest.embedding import EmbeddingCache, text_key
from ingest.index import collection_name, open_index_store
from ingest.sparse import BM25Encoder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    settings = Settings(data_dir=args.data_dir)
    params = Catalog(connect(settings.resolved_database_url), settings.index).params() or {}
    store = open_index_store(settings)
    fields = ("document_id", "text", "title", "section", "source", "allowed_groups")
    hits = store.scroll(collection_name(settings), fields=fields)[: args.limit]
    store.close()
    encoder = BM25Encoder(**params["sparse"])
    cache = EmbeddingCache(settings.data_dir / "cache" / "embeddings.sqlite3")
    texts = []
    for hit in hits:
        p = hit.payload
        section = tuple(s for s in str(p.get("section", "")).split(" > ") if s)
        header = contextual_header(p["title"], section, p["source"])
        texts.append(
            f"{header}\n\n{p['text']}" if header and params["contextual_header"] else p["text"]
        )
    vectors = cache.get_many(params["embedding_model"], [text_key(t) for t in texts])
    dense = np.stack([vectors[text_key(t)] for t in texts]).astype(np.float32)
    indptr, indices, values = [0], [], []
    for text in texts:
        sparse = encoder.encode_document(text)
        indices.extend(sparse.indices)
        values.extend(sparse.values)
        indptr.append(len(indices))
    np.savez(
        args.out,
        dense=dense,
        sparse_indptr=np.array(indptr),
        sparse_indices=np.array(indices, dtype=np.int64),
        sparse_values=np.array(values, dtype=np.float32),
        document_id=np.array([h.payload["document_id"] for h in hits]),
        allowed_groups=np.array([",".join(h.payload.get("allowed_groups", [])) for h in hits]),
    )
    print(f"wrote {len(hits)} chunks to {args.out}")


if __name__ == "__main__":
    main()
