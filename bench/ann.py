"""Exact, HNSW and int8 dense search in the embedded engine: recall@10, latency, memory (JSON).

Recall@10 is against numpy brute force; also build time, disk bytes and RSS growth.

    python bench/ann.py --npz FILE [--questions JSONL] [--held-out 1000] [--builds A,B]

``--npz`` is what ``bench/export_index.py`` writes (``dense``: N x d float32, ``document_id``).
Queries: ``--held-out`` chunk vectors drawn at random and removed from the indexed set (a
query never finds itself), plus the questions of ``--questions`` (field "question")
embedded with the project's embedder (the ``RESEARCHDESK_EMBEDDING_*`` settings).

Each build is a qdrant-edge shard (dense vectors, cosine, keyword payload indexes on
``document_id`` and ``allowed_groups``) optimised once; HNSW is forced on small data by an
indexing threshold of 1 KB. Each shard is then loaded in a fresh process, which reports
its resident memory (RSS) growth after loading and after all queries, and times single
top-10 queries (no payload returned) without and with a payload filter on
``allowed_groups`` (the groups are synthetic: 5 patterns by row, 3 of them visible to the
caller). Recall@10 is against numpy brute force over the same (filtered) points.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ingest.store.base import DENSE
from ingest.store.recall import exact_top_k, gb_per_million, percentile, recall_at_k, split_held_out

K = 10
BATCH = 1024
GROUPS = [[], ["analysts"], ["legal"], ["analysts", "legal"], ["board"]]
CALLER_GROUPS = ("legal",)  # sees rows with no groups or with "legal": 3 of the 5 patterns
OVERSAMPLING = 2.0
EFS = (64, 128, 256)

# name -> (HNSW (m, ef_construct) or None for a plain index, int8 scalar quantization)
BUILDS: dict[str, tuple[tuple[int, int] | None, bool]] = {
    "plain": (None, False),
    "plain-int8": (None, True),
    "hnsw-m16-efc100": ((16, 100), False),
    "hnsw-m32-efc200": ((32, 200), False),
    "hnsw-m16-efc100-int8": ((16, 100), True),
}


def searches(build: str, hnsw_efs: tuple[int, ...] = EFS) -> dict[str, dict[str, Any]]:
    """Search settings tried on a build: name -> SearchParams keyword arguments (as data)."""
    hnsw, int8 = BUILDS[build]
    if not hnsw and int8:  # a plain segment: does it hold int8 vectors? unrescored tells
        return {"scan-int8-no-rescore": {"hnsw_ef": None, "rescore": False}}
    efs: list[int | None] = list(hnsw_efs) if hnsw else [None]
    out: dict[str, dict[str, Any]] = {}
    for ef in efs:
        base = f"ef{ef}" if ef else "scan"
        if int8:
            out[f"{base}-int8-rescore"] = {"hnsw_ef": ef, "rescore": True}
            out[f"{base}-int8-no-rescore"] = {"hnsw_ef": ef, "rescore": False}
        else:
            out[base] = {"hnsw_ef": ef}
    if hnsw == (16, 100):  # brute force inside the same shard, for reference
        if int8:
            out["exact-int8-rescore"] = {"exact": True, "rescore": True}
            out["exact-int8-no-rescore"] = {"exact": True, "rescore": False}
        else:
            out["exact"] = {"exact": True}
    return out


def groups_of(row: int) -> list[str]:
    return GROUPS[row % len(GROUPS)]


def visible(rows: np.ndarray) -> np.ndarray:
    return np.array([not g or bool(set(g) & set(CALLER_GROUPS)) for g in map(groups_of, rows)])


PARTS = (
    ("wal", "wal/"),
    ("quantized_vectors", "quantized"),
    ("vectors", "vector_storage"),
    ("hnsw_graph", "vector_index"),
    ("payload_index", "payload_index"),
    ("payload", "payload_storage"),
)


def tree_bytes(path: Path) -> dict[str, int]:
    """Apparent and allocated bytes under ``path``, allocated bytes per part of the shard."""
    out = {"apparent": 0, "allocated": 0} | {f"{name}_allocated": 0 for name, _ in PARTS}
    out["other_allocated"] = 0
    for f in path.rglob("*"):
        if f.is_file():
            st, rel = f.stat(), f.relative_to(path).as_posix()
            out["apparent"] += st.st_size
            out["allocated"] += st.st_blocks * 512
            part = next((name for name, marker in PARTS if marker in rel), "other")
            out[f"{part}_allocated"] += st.st_blocks * 512
    return out


def build(
    name: str, folder: Path, dense: np.ndarray, rows: np.ndarray, doc_ids: np.ndarray
) -> dict[str, Any]:
    import qdrant_edge as q

    hnsw, int8 = BUILDS[name]
    kwargs: dict[str, Any] = {
        "vectors": {DENSE: q.EdgeVectorParams(size=dense.shape[1], distance=q.Distance.Cosine)},
        # 1 KB forces HNSW on any segment; a huge threshold keeps the plain (scan) index.
        "optimizers": q.EdgeOptimizersConfig(indexing_threshold=1 if hnsw else 10**9),
    }
    if hnsw:
        kwargs["hnsw_config"] = q.HnswIndexConfig(
            m=hnsw[0], ef_construct=hnsw[1], full_scan_threshold=10_000
        )
    if int8:
        kwargs["quantization_config"] = q.ScalarQuantizationConfig(
            type=q.ScalarType.Int8, quantile=0.99, always_ram=True
        )
    shard = q.EdgeShard.create(str(folder), q.EdgeConfig(**kwargs))
    for field in ("document_id", "allowed_groups"):
        shard.update(q.UpdateOperation.create_field_index(field, q.PayloadSchemaType.Keyword))
    started = time.perf_counter()
    for lo in range(0, len(rows), BATCH):
        batch = [
            q.Point(
                int(i),
                {DENSE: dense[i].tolist()},
                {"document_id": str(doc_ids[i]), "allowed_groups": groups_of(int(i))},
            )
            for i in rows[lo : lo + BATCH]
        ]
        shard.update(q.UpdateOperation.upsert_points(batch))
    shard.flush()
    upsert_s = time.perf_counter() - started
    started = time.perf_counter()
    shard.optimize()
    shard.flush()
    optimise_s = time.perf_counter() - started
    info = shard.info()
    shard.close()
    return {
        "upsert_s": round(upsert_s, 2),
        "optimise_s": round(optimise_s, 2),
        "segments": info.segments_count,
        "indexed_vectors": info.indexed_vectors_count,
        "disk": tree_bytes(folder),
    }


def _rss() -> dict[str, int]:
    out = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key = line.split(":")[0]
        if key in ("VmRSS", "RssAnon", "RssFile"):
            out[key] = int(line.split()[1]) * 1024
    return out


def warm_up_engine(q: Any, flt: Any, dim: int) -> None:
    """Page the engine's code in on a throwaway shard, so RSS growth counts data only."""
    with tempfile.TemporaryDirectory(prefix="bench-ann-warm-") as tmp:
        shard = q.EdgeShard.create(
            tmp,
            q.EdgeConfig(vectors={DENSE: q.EdgeVectorParams(size=dim, distance=q.Distance.Cosine)}),
        )
        vec = [1.0] * dim
        shard.update(
            q.UpdateOperation.upsert_points([q.Point(1, {DENSE: vec}, {"allowed_groups": []})])
        )
        shard.query(q.QueryRequest(limit=K, query=q.Query.Nearest(vec, using=DENSE), filter=flt))
        shard.close()


def probe(folder: str, queries: np.ndarray, settings: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """In a fresh process: load the shard, measure RSS growth, time every query setting."""
    import qdrant_edge as q

    from ingest.store.base import SearchFilter
    from ingest.store.edge import native_filter

    flt = native_filter(SearchFilter(groups=CALLER_GROUPS))
    warm_up_engine(q, flt, queries.shape[1])
    before = _rss()
    shard = q.EdgeShard.load(folder)
    shard.count(q.CountRequest(exact=True))
    loaded = _rss()
    out: dict[str, Any] = {}
    vectors = [v.tolist() for v in queries]
    for name, s in settings.items():
        quant = None
        if "rescore" in s:
            quant = q.QuantizationSearchParams(
                rescore=s["rescore"], oversampling=OVERSAMPLING if s["rescore"] else None
            )
        params = q.SearchParams(
            hnsw_ef=s.get("hnsw_ef"), exact=s.get("exact", False), quantization=quant
        )
        for filtered in (False, True):
            native = flt if filtered else None

            def run(v: list[float], params: Any = params, native: Any = native) -> list[Any]:
                request = q.QueryRequest(
                    limit=K,
                    query=q.Query.Nearest(v, using=DENSE),
                    params=params,
                    filter=native,
                    with_payload=False,
                )
                return list(shard.query(request))

            run(vectors[0])  # warm up
            times, ids = [], []
            for v in vectors:
                started = time.perf_counter()
                points = run(v)
                times.append((time.perf_counter() - started) * 1000)
                ids.append([int(p.id) for p in points])
            out[f"{name}{'+filter' if filtered else ''}"] = {"ms": times, "ids": ids}
    after = _rss()
    shard.close()
    return {
        "rss_before": before,
        "rss_growth_loaded": {k: loaded[k] - before[k] for k in before},
        "rss_growth_after_queries": {k: after[k] - before[k] for k in before},
        "results": out,
    }


def question_vectors(path: Path) -> np.ndarray:
    from core.settings import Settings
    from ingest.engines import sentence_embedder

    texts = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            question = json.loads(line)["question"]
        except (ValueError, KeyError, TypeError) as exc:
            raise SystemExit(f"{path}:{number}: not a JSON object with a 'question'") from exc
        if not isinstance(question, str) or not question.strip():
            raise SystemExit(f"{path}:{number}: 'question' must be a non-empty string")
        texts.append(question)
    if not texts:
        raise SystemExit(f"{path} holds no questions")
    return np.asarray(sentence_embedder(Settings()).embed(texts), dtype=np.float32)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n".join(__doc__.splitlines()[2:]),
    )
    parser.add_argument(
        "--npz", type=Path, required=True, help="vectors from bench/export_index.py"
    )
    parser.add_argument(
        "--questions", type=Path, default=None, help="JSONL with a 'question' field per line"
    )
    parser.add_argument(
        "--held-out", type=int, default=1000, help="chunk vectors used as queries (default 1000)"
    )
    parser.add_argument(
        "--builds", default=",".join(BUILDS), help=f"comma-separated subset of {','.join(BUILDS)}"
    )
    parser.add_argument("--efs", default=",".join(map(str, EFS)), help="HNSW search beams to try")
    parser.add_argument("--limit", type=int, default=None, help="use only the first N vectors")
    parser.add_argument(
        "--dir", type=Path, default=None, help="where the shards go (default: temp)"
    )
    args = parser.parse_args()
    names = [b for b in args.builds.split(",") if b]
    unknown = [b for b in names if b not in BUILDS]
    if unknown or not names:
        parser.error(f"unknown builds {unknown}; valid: {', '.join(BUILDS)}")
    try:
        efs = tuple(int(e) for e in args.efs.split(","))
    except ValueError:
        parser.error(f"--efs takes comma-separated integers, not {args.efs!r}")
    if any(e <= 0 for e in efs):
        parser.error("--efs values must be positive")

    try:
        with np.load(args.npz, allow_pickle=False) as data:
            dense = np.asarray(data["dense"], dtype=np.float32)
            doc_ids = np.asarray(data["document_id"])
    except (OSError, ValueError, KeyError) as exc:
        parser.error(f"{args.npz}: not an export of bench/export_index.py ({exc})")
    if dense.ndim != 2 or len(doc_ids) != len(dense):
        parser.error(f"{args.npz}: 'dense' must be N x d with one document_id per row")
    dense, doc_ids = dense[: args.limit], doc_ids[: args.limit]
    try:
        rows, held = split_held_out(len(dense), args.held_out)
    except ValueError as exc:
        parser.error(str(exc))
    query_sets = {"held_out_chunks": dense[held]}
    if args.questions:
        query_sets["questions"] = question_vectors(args.questions)
    queries = np.concatenate(list(query_sets.values()))
    bounds, lo = {}, 0
    for key, vecs in query_sets.items():
        bounds[key] = (lo, lo + len(vecs))
        lo += len(vecs)

    base = dense[rows]
    allowed = visible(rows)
    truth = {
        False: rows[exact_top_k(base, queries, K)],
        True: rows[exact_top_k(base, queries, K, allowed)],
    }

    report: dict[str, Any] = {
        "data": str(args.npz),
        "points_indexed": len(rows),
        "dim": int(dense.shape[1]),
        "queries": {k: b - a for k, (a, b) in bounds.items()},
        "k": K,
        "filter": f"allowed_groups visible to {list(CALLER_GROUPS)}: {allowed.mean():.2f} of rows",
        "rescore_oversampling": OVERSAMPLING,
        "builds": {},
    }
    ctx = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory(prefix="bench-ann-", dir=args.dir) as tmp:
        for name in names:
            folder = Path(tmp) / name
            built = build(name, folder, dense, rows, doc_ids)
            with ctx.Pool(1) as pool:
                probed = pool.apply(probe, (str(folder), queries, searches(name, efs)))
            n = len(rows)
            disk = built["disk"]["allocated"] - built["disk"]["wal_allocated"]
            rss = probed["rss_growth_after_queries"]["VmRSS"]
            built["bytes_per_point"] = {  # measured at this size
                "disk_allocated": round(built["disk"]["allocated"] / n, 1),
                "disk_without_wal": round(disk / n, 1),
                "rss_after_queries": round(rss / n, 1),
            }
            built["gb_per_million_extrapolated"] = {  # linear in points, from the above
                "disk_without_wal": round(gb_per_million(disk, n), 2),
                "rss_after_queries": round(gb_per_million(rss, n), 2),
            }
            built["rss_growth_loaded"] = probed["rss_growth_loaded"]
            built["rss_growth_after_queries"] = probed["rss_growth_after_queries"]
            built["search"] = {}
            for setting, res in probed["results"].items():
                filtered = setting.endswith("+filter")
                entry: dict[str, Any] = {
                    "p50_ms": round(percentile(res["ms"], 0.5), 3),
                    "p95_ms": round(percentile(res["ms"], 0.95), 3),
                }
                for key, (a, b) in bounds.items():
                    entry[f"recall@{K}_{key}"] = round(
                        recall_at_k(res["ids"][a:b], truth[filtered][a:b]), 4
                    )
                built["search"][setting] = entry
            report["builds"][name] = built
            print(json.dumps({name: built}), file=sys.stderr)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    os.environ.setdefault("DO_NOT_TRACK", "1")
    main()
