"""Ray as the distributed engine: files are read and chunked by Ray tasks, embedded by a
pool of Ray actors that each hold the model, and written by the driver.

Write design: the driver writes. Workers return chunks and vectors; the driver commits
each document's write-ahead intent, upserts its points, deletes the old version and
records the catalogue row, exactly as the local engine does. Why: the guarantees (a
killed job rolls back or forward exactly; one opener for an embedded store; the
catalogue and the job log in one database) then hold unchanged, and the write is not
the bottleneck (embedding is ~99% of the time: ~25 chunks/s per CPU worker against
thousands of points/s for an upsert). Parallel writers would need per-worker intents and
a store every worker can reach; worth it only once writes, not embedding, limit a job.

Files must be readable by the workers at the same path as on the driver: on a cluster,
a shared filesystem mounted at the same place on every node (object-store paths are not
supported), and ResearchDesk installed on every node.

Fault handling: a task whose worker process dies (killed, out of memory, a parser that
segfaults) is retried ``PREPARE_RETRIES`` times, then its file is reported failed with
the reason and the job goes on. Embedding actors restart and retry their call.
"""

from __future__ import annotations

import importlib
import math
import os
import socket
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np

from core.errors import ConfigError, MissingDependencyError, ResearchDeskError
from ingest.chunking import ChunkingConfig
from ingest.embedding import DEFAULT_BATCH, SentenceTransformerEmbedder, Vectors
from ingest.extract import Failed, Prepared, prepare

INSTALL_HINT = "pip install 'researchdesk[ray]'  (or: pip install 'ray[data]>=2.60')"
PREPARE_RETRIES = 1
ACTOR_RETRIES = 2
CONNECT_TIMEOUT_S = 3.0

PrepareFn = Callable[[str, int, ChunkingConfig, str, bool], Prepared | Failed]


class RayEngineError(ResearchDeskError):
    """The Ray cluster failed in a way that stops the job (the next job resumes it)."""


def import_ray() -> Any:
    try:
        import ray
    except ImportError as exc:
        raise MissingDependencyError("Ray (needed by --engine ray)", INSTALL_HINT) from exc
    return ray


def check_reachable(address: str, timeout: float = CONNECT_TIMEOUT_S) -> None:
    """Fail within ``timeout`` seconds unless a Ray cluster answers at ``address``.

    ``ray.init`` itself retries for a minute on an unreachable cluster (or on a port where
    something else answers) before a vague error. A GCS address (host:port) is asked for
    its cluster id over gRPC; a Ray Client address (ray://host:port) gets a TCP connect.
    """
    if address == "auto":
        return
    client = address.startswith("ray://")
    hostport = address.split("://", 1)[1] if "://" in address else address
    host, _, port = hostport.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ConfigError(
            f"invalid Ray address {address!r}: use host:port (e.g. 10.0.0.5:6379) or "
            "ray://host:10001"
        )
    fix = "check --ray-address / RAY_ADDRESS, or leave it unset to start a local Ray"
    if client:
        try:
            with socket.create_connection((host.strip("[]"), int(port)), timeout=timeout):
                return
        except OSError as exc:
            raise ConfigError(
                f"cannot reach the Ray cluster at {address} ({exc.strerror or exc}); {fix}"
            ) from None
    problem = _gcs_problem(f"{host}:{port}", timeout)
    if problem:
        raise ConfigError(f"cannot reach the Ray cluster at {address} ({problem}); {fix}")


def _gcs_problem(target: str, timeout: float) -> str | None:
    """None when a Ray GCS answers at ``target``, else what went wrong."""
    # Through importlib: both come with Ray, untyped.
    grpc: Any = importlib.import_module("grpc")
    pb2: Any = importlib.import_module("ray.core.generated.gcs_service_pb2")
    pb2_grpc: Any = importlib.import_module("ray.core.generated.gcs_service_pb2_grpc")

    channel = grpc.insecure_channel(target)
    try:
        stub = pb2_grpc.NodeInfoGcsServiceStub(channel)
        stub.GetClusterId(pb2.GetClusterIdRequest(), timeout=timeout)
    except grpc.RpcError as exc:
        code = exc.code()
        if code in (grpc.StatusCode.UNAUTHENTICATED, grpc.StatusCode.PERMISSION_DENIED):
            return None  # a Ray GCS that wants a token: ray.init brings it
        if code == grpc.StatusCode.UNIMPLEMENTED:
            return "something answers there, but it is not a Ray cluster's GCS port"
        details = (exc.details() or "").strip().splitlines()
        return f"{code.name}: {details[0][:160] if details else 'no details'}"
    finally:
        channel.close()
    return None


def usable_cpus() -> int:
    """The CPUs this process may run on: its affinity mask where the OS has one (Linux;
    also what a container's cpuset allows), else every CPU of the machine."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def node_threads(share: int) -> int:
    """An actor's share of the cluster's CPUs, capped at what its own node lets it use:
    a cluster's total shared among few actors can exceed any one machine's cores."""
    return max(1, min(share, usable_cpus()))


class _EmbedActor:
    """Holds one embedding model: on a CPU slot with ``threads`` torch threads (capped at
    its node's CPUs when ``fit_node``), or on the GPU Ray gave the actor (``device``
    cuda)."""

    def __init__(
        self,
        model: str,
        batch_size: int | None,
        precision: str,
        threads: int,
        device: str,
        fit_node: bool = False,
    ) -> None:
        import torch

        # Overrides the OMP_NUM_THREADS Ray sets from the actor's CPU slots (1).
        torch.set_num_threads(node_threads(threads) if fit_node else threads)
        self._embedder = SentenceTransformerEmbedder(
            model, batch_size=batch_size, precision=precision, device=device
        )

    def dim(self) -> int:
        return self._embedder.dim

    def pid(self) -> int:
        return os.getpid()

    def embed(self, texts: list[str]) -> Vectors:
        return self._embedder.embed(texts)


class RayEmbedder:
    """The ``Embedder`` protocol over a pool of actors: one call is split across them.

    ``name`` is the model setting, so the driver's disk cache (``CachedEmbedder``) is
    shared with the local engine and only texts never embedded reach the actors.
    """

    def __init__(self, ray: Any, actors: Sequence[Any], name: str, batch_size: int) -> None:
        self._ray = ray
        self.actors = list(actors)
        self._name = name
        self._batch_size = batch_size
        self._dim: int | None = None

    @property
    def name(self) -> str:
        return self._name

    @property
    def dim(self) -> int:
        if self._dim is None:
            self._dim = int(self._get(self.actors[0].dim.remote()))
        return self._dim

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # Contiguous slices keep the order; no slice smaller than one batch.
        size = max(self._batch_size, math.ceil(len(texts) / len(self.actors)))
        slices = [list(texts[i : i + size]) for i in range(0, len(texts), size)]
        refs = [self.actors[n % len(self.actors)].embed.remote(s) for n, s in enumerate(slices)]
        parts = self._get(refs)
        return np.concatenate(parts).astype(np.float32, copy=False)

    def _get(self, refs: Any) -> Any:
        try:
            return self._ray.get(refs)
        except self._ray.exceptions.RayError as exc:
            raise RayEngineError(
                f"a Ray embedding actor failed after {ACTOR_RETRIES} restarts: "
                f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
            ) from exc


def cluster_cpus(ray: Any) -> int:
    return max(1, int(ray.cluster_resources().get("CPU", 1)))


def cluster_gpus(ray: Any) -> int:
    return int(ray.cluster_resources().get("GPU", 0))


def start_actors(
    ray: Any,
    model: str,
    batch_size: int | None,
    precision: str,
    count: int,
    *,
    device: str = "auto",
    threads: int = 0,
) -> RayEmbedder:
    """The embedding actor pool.

    Where the cluster has GPUs (and ``device`` is ``auto`` or ``cuda``): one actor per GPU
    (``num_gpus=1``, one torch thread, fp16 unless told otherwise, batches of 256).
    Otherwise actors of one CPU slot each, with ``threads`` torch threads; 0 shares the
    cluster's CPUs among the actors (at least 1, and within each actor at most what its
    node lets it use). ``count`` 0 means one per GPU, or one per CPU slot but one (that one
    runs the reading tasks).
    """
    gpus = cluster_gpus(ray) if device in ("auto", "cuda") else 0
    if device == "cuda" and gpus == 0:
        raise RayEngineError(
            "RESEARCHDESK_EMBEDDING_DEVICE=cuda, but the Ray cluster reports no GPU; "
            "start its nodes with GPUs (ray start --num-gpus N) or use 'auto' or 'cpu'"
        )
    cpus = cluster_cpus(ray)
    if gpus:
        count = count if count > 0 else gpus
        resources: dict[str, Any] = {"num_cpus": 1, "num_gpus": 1}
        actor_device = "cuda"
    else:
        count = count if count > 0 else max(1, cpus - 1)
        resources = {"num_cpus": 1}
        actor_device = "cpu"
    if count >= cpus:  # each actor holds a CPU slot for the whole job
        raise RayEngineError(
            f"{count} embedding actors would hold all {cpus} CPU slots of the cluster and "
            f"leave none for reading files (the job would wait forever); use at most "
            f"{max(1, cpus - 1)} (RESEARCHDESK_RAY_EMBED_ACTORS), or give the cluster more CPUs"
        )
    actor_cls = ray.remote(**resources, max_restarts=ACTOR_RETRIES, max_task_retries=ACTOR_RETRIES)(
        _EmbedActor
    )
    if gpus:
        per_actor, fit_node = 1, False
    elif threads > 0:
        per_actor, fit_node = threads, False
    else:
        # Threads from all the cluster's CPUs, the reading tasks' slots included: cores
        # are oversubscribed on purpose while files are read, as in the local engine, whose
        # reading processes and embedder share the machine's cores. (One thread per slot
        # embedded on 1 of 2 cores: Ray/local 0.56, docs/scaling.md.)
        per_actor, fit_node = max(1, cpus // count), True
    actors = [
        actor_cls.remote(model, batch_size, precision, per_actor, actor_device, fit_node)
        for _ in range(count)
    ]
    slice_size = batch_size or DEFAULT_BATCH[actor_device]
    return RayEmbedder(ray, actors, model, slice_size)


def ray_prepared_stream(
    ray: Any,
    paths: Sequence[str],
    max_bytes: int,
    config: ChunkingConfig,
    model: str,
    *,
    prepare_fn: PrepareFn | None = None,
    pdf_tables: bool = False,
) -> Iterator[tuple[str, Prepared | Failed]]:
    """Load and chunk files as Ray tasks, yielding each as it finishes (any order).

    At most two tasks per cluster CPU are in flight so the object store stays small.
    """
    task = ray.remote(num_cpus=1, max_retries=PREPARE_RETRIES)(prepare_fn or prepare)
    todo = iter(paths)
    running: dict[Any, str] = {}

    def submit_next() -> None:
        path = next(todo, None)
        if path is not None:
            running[task.remote(path, max_bytes, config, model, pdf_tables)] = path

    for _ in range(2 * cluster_cpus(ray)):
        submit_next()
    while running:
        ready, _ = ray.wait(list(running), num_returns=1)
        path = running.pop(ready[0])
        result: Prepared | Failed
        try:
            result = ray.get(ready[0])
        except ray.exceptions.RayError as exc:  # the worker process died, every try
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            result = Failed(
                f"the worker process reading this file died ({type(exc).__name__}; tried "
                f"{PREPARE_RETRIES + 1} times): {first}"
            )
        submit_next()
        yield path, result
