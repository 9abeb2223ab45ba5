"""Vector store benchmark: the embedded engine ("edge") against qdrant-client local mode, as JSON.

    python bench/store.py [--n 30000] [--dim 384] [--queries 50] [--from-npz FILE]

Measures upsert, close (edge optimises there), reopen, and top-50 latency (median, p95)
for dense, dense + payload filter, sparse and hybrid (RRF) queries; then how far the two
back-ends' top-50 lists agree (local mode is exact brute force, so it is the reference).

``--from-npz`` reads real data: ``dense`` (N x d float32), ``sparse_indptr``,
``sparse_indices``, ``sparse_values`` (CSR rows), ``document_id`` (N str) and optionally
``allowed_groups`` (N str, comma-separated). Otherwise random unit vectors, Zipf-like
sparse term ids, 300 documents and a few access groups are generated (seeded).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ingest.store import Hit, Point, SearchFilter, SparseVector, VectorStore, open_store

COLLECTION = "bench"
TOP = 50
PREFETCH = 100
BATCH = 1000
GROUPS = [[], ["analysts"], ["legal"], ["analysts", "legal"], ["board"]]
CALLER = SearchFilter(groups=("legal",))


def generate(n: int, dim: int, seed: int = 0) -> dict[str, Any]:
    """Random normalised dense vectors, Zipf-ish sparse vectors and payloads."""
    rng = np.random.default_rng(seed)
    dense = rng.standard_normal((n, dim)).astype(np.float32)
    dense /= np.linalg.norm(dense, axis=1, keepdims=True)
    indptr, indices, values = [0], [], []
    for _ in range(n):
        terms = np.unique(np.minimum(rng.zipf(1.3, size=rng.integers(20, 120)), 50_000))
        indices.extend(terms.tolist())
        values.extend(rng.uniform(0.3, 2.0, size=len(terms)).tolist())
        indptr.append(len(indices))
    return {
        "dense": dense,
        "sparse_indptr": np.array(indptr),
        "sparse_indices": np.array(indices),
        "sparse_values": np.array(values, dtype=np.float32),
        "document_id": np.array([f"doc-{i * 300 // n}" for i in range(n)]),
        "allowed_groups": np.array([",".join(GROUPS[i % len(GROUPS)]) for i in range(n)]),
    }


def load_npz(path: Path) -> dict[str, Any]:
    with np.load(path, allow_pickle=False) as data:
        out = {k: data[k] for k in data.files}
    if "allowed_groups" not in out:
        out["allowed_groups"] = np.array([""] * len(out["dense"]))
    return out


def sparse_row(data: dict[str, Any], i: int) -> SparseVector:
    lo, hi = int(data["sparse_indptr"][i]), int(data["sparse_indptr"][i + 1])
    return SparseVector(
        tuple(int(t) for t in data["sparse_indices"][lo:hi]),
        tuple(float(v) for v in data["sparse_values"][lo:hi]),
    )


def points(data: dict[str, Any]) -> list[Point]:
    out = []
    for i in range(len(data["dense"])):
        groups = str(data["allowed_groups"][i])
        payload = {
            "document_id": str(data["document_id"][i]),
            "allowed_groups": groups.split(",") if groups else [],
            "position": i,
            "version": "v1",
        }
        out.append(
            Point(
                str(uuid.UUID(int=i + 1)), data["dense"][i].tolist(), sparse_row(data, i), payload
            )
        )
    return out


def queries(
    data: dict[str, Any], count: int, seed: int = 1
) -> list[tuple[list[float], SparseVector]]:
    """Noisy copies of random stored points, and 2-5 of their terms as the sparse query."""
    rng = np.random.default_rng(seed)
    out = []
    for i in rng.choice(len(data["dense"]), size=count, replace=False):
        vec = data["dense"][i] + 0.5 * rng.standard_normal(data["dense"].shape[1]) / np.sqrt(
            data["dense"].shape[1]
        )
        terms = sparse_row(data, int(i)).indices
        picked = rng.choice(terms, size=min(len(terms), int(rng.integers(2, 6))), replace=False)
        out.append(
            (
                (vec / np.linalg.norm(vec)).tolist(),
                SparseVector(tuple(int(t) for t in sorted(picked)), (1.0,) * len(picked)),
            )
        )
    return out


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def latencies(
    store: VectorStore, qs: list[tuple[list[float], SparseVector]]
) -> tuple[dict[str, Any], dict[str, list[list[str]]]]:
    """Median and p95 in ms per query type, and the returned ids for agreement."""
    kinds: dict[str, Callable[[list[float], SparseVector], list[Hit]]] = {
        "dense": lambda d, s: store.search_dense(COLLECTION, d, TOP),
        "dense_filtered": lambda d, s: store.search_dense(COLLECTION, d, TOP, CALLER),
        "sparse": lambda d, s: store.search_sparse(COLLECTION, s, TOP),
        "hybrid": lambda d, s: store.search_hybrid(COLLECTION, d, s, TOP, PREFETCH),
    }
    stats: dict[str, Any] = {}
    results: dict[str, list[list[str]]] = {}
    for name, run in kinds.items():
        run(*qs[0])  # warm caches once
        times, ids = [], []
        for d, s in qs:
            seconds, hits = timed(lambda d=d, s=s, run=run: run(d, s))  # type: ignore[misc]
            times.append(seconds * 1000)
            ids.append([h.id for h in hits])
        times.sort()
        stats[name] = {
            "median_ms": round(statistics.median(times), 3),
            "p95_ms": round(times[min(len(times) - 1, int(0.95 * len(times)))], 3),
        }
        results[name] = ids
    return stats, results


def bench_kind(
    kind: str, root: Path, pts: list[Point], dim: int, qs: list[Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    path = root / kind
    report: dict[str, Any] = {}
    store = open_store(kind, path=path)
    store.ensure_collection(COLLECTION, dim)
    started = time.perf_counter()
    for start in range(0, len(pts), BATCH):
        store.upsert(COLLECTION, pts[start : start + BATCH])
    report["upsert_s"] = round(time.perf_counter() - started, 2)
    if kind == "edge":  # searches straight after ingestion, before the optimiser has run
        report["before_optimise"], _ = latencies(store, qs)
    report["close_s"] = round(timed(store.close)[0], 2)
    # Ready means answering: the edge store opens shards lazily, on the first call.
    started = time.perf_counter()
    store = open_store(kind, path=path)
    count = store.count(COLLECTION)
    report["reopen_s"] = round(time.perf_counter() - started, 3)
    assert count == len(pts), (kind, count)
    report["search"], results = latencies(store, qs)
    store.close()
    return report, results


def overlap(a: list[list[str]], b: list[list[str]]) -> float:
    """Mean |A ∩ B| / |B| over queries: with B exact, the recall@50 of A."""
    return round(
        statistics.mean(len(set(x) & set(y)) / max(len(y), 1) for x, y in zip(a, b, strict=True)), 4
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=30_000)
    parser.add_argument("--dim", type=int, default=384)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--from-npz", type=Path, default=None)
    parser.add_argument(
        "--dir", type=Path, default=None, help="where the stores go (default: temp)"
    )
    args = parser.parse_args()

    data = load_npz(args.from_npz) if args.from_npz else generate(args.n, args.dim)
    n, dim = data["dense"].shape
    pts, qs = points(data), queries(data, args.queries)
    with tempfile.TemporaryDirectory(prefix="bench-store-", dir=args.dir) as tmp:
        edge, edge_ids = bench_kind("edge", Path(tmp), pts, dim, qs)
        local, local_ids = bench_kind("local", Path(tmp), pts, dim, qs)

    def ratio(key: str) -> dict[str, float]:
        return {
            q: round(local["search"][q][key] / max(edge["search"][q][key], 1e-6), 1)
            for q in local["search"]
        }

    print(
        json.dumps(
            {
                "n": n,
                "dim": dim,
                "queries": len(qs),
                "top": TOP,
                "prefetch": PREFETCH,
                "data": str(args.from_npz) if args.from_npz else "random",
                "edge": edge,
                "local": local,
                "edge_recall_vs_local": {q: overlap(edge_ids[q], local_ids[q]) for q in edge_ids},
                "ratio_local_over_edge": {
                    "upsert": round(local["upsert_s"] / edge["upsert_s"], 2),
                    "reopen": round(local["reopen_s"] / max(edge["reopen_s"], 1e-6), 1),
                    "median": ratio("median_ms"),
                    "p95": ratio("p95_ms"),
                },
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
