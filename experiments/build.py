"""Indexes for experiments: built once per build config, found again by a hash of it.

All builds share one data directory (``cache_dir``) and differ by index name
(``x<hash>``), so they share one embedding cache: a chunk whose text two builds have in
common (same document, same chunking up to that point, or a rebuilt cell of a grid) is
embedded once. ``run_ingest`` is incremental, so asking again for a built index checks
file hashes and does nothing else. An index given by ``data_dir`` is used as it is.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.errors import ConfigError
from core.settings import Settings
from experiments.config import BuildConfig
from ingest.catalog import Catalog
from ingest.db import connect
from ingest.discover import discover
from ingest.loaders.sidecar import sidecar_path
from ingest.models import sha256_file
from ingest.pipeline import Progress, run_ingest


@dataclass(frozen=True, slots=True)
class BuiltIndex:
    """Where an index lives and how it was built; ``settings`` opens it."""

    key: str
    settings: Settings
    params: dict[str, Any]  # the index's own build parameters, from its catalogue
    documents: tuple[str, ...]  # document names (file stems) in the index
    reused: bool  # an existing data_dir used as it is
    ingest: dict[str, Any] | None  # the ingestion job's report when the runner ran one


def build_key(build: BuildConfig, corpus: Path) -> str:
    """A stable hash of what shapes the index: corpus location and build settings."""
    material = {
        "corpus": str(corpus.resolve()),
        **build.model_dump(mode="json", exclude={"data_dir", "index"}),
    }
    if not build.pdf_tables:  # keys of builds made before the setting existed stay valid
        material.pop("pdf_tables")
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()[:16]


def corpus_fingerprint(corpus: Path, build: BuildConfig) -> dict[str, Any]:
    """sha256 over every ingested file's relative path and bytes (and its sidecar's)."""
    digest = hashlib.sha256()
    files = discover([corpus], build.include, build.exclude)
    total = 0
    for path in files:
        digest.update(path.relative_to(corpus.resolve()).as_posix().encode() + b"\0")
        digest.update(sha256_file(path).encode())
        total += path.stat().st_size
        side = sidecar_path(path)
        if side.is_file():
            digest.update(b"sidecar\0" + sha256_file(side).encode())
    return {"sha256": digest.hexdigest(), "files": len(files), "bytes": total}


def ensure_index(
    build: BuildConfig,
    corpus: Path,
    base: Settings,
    cache_dir: Path,
    progress: Callable[[Progress], None] | None = None,
) -> BuiltIndex:
    """The index for ``build`` over ``corpus``: reused, found in the cache, or built now."""
    if build.data_dir is not None:
        settings = base.model_copy(update={"data_dir": build.data_dir, "index": build.index})
        params = _params(settings)
        if params is None:
            raise ConfigError(
                f"no index {build.index!r} in {build.data_dir}; run `researchdesk ingest` "
                "there first or drop build.data_dir to let the runner build one"
            )
        # Open it with the settings it was built with, so the manifest tells the truth.
        settings = settings.model_copy(update=_settings_of(params))
        return BuiltIndex("reused", settings, params, _documents(settings), True, None)
    key = build_key(build, corpus)
    settings = base.model_copy(
        update={
            "data_dir": cache_dir,
            "index": f"x{key}",
            "chunk_strategy": build.chunk_strategy,
            "chunk_size": build.chunk_size,
            "chunk_overlap": build.chunk_overlap,
            "contextual_header": build.contextual_header,
            "pdf_tables": build.pdf_tables,
            "embedding_model": build.embedding_model,
        }
    )
    report = run_ingest(
        [corpus],
        settings,
        include=build.include,
        exclude=build.exclude,
        prune=True,
        progress=progress,
    )
    if report.failed:
        failed = "; ".join(f"{Path(f.path).name}: {f.reason}" for f in report.failed[:5])
        raise ConfigError(
            f"{len(report.failed)} corpus file(s) failed to ingest ({failed}); fix or "
            "exclude them so every rung sees the same documents"
        )
    params = _params(settings)
    if params is None:
        raise ConfigError(f"the corpus {corpus} produced no index: no files were ingested")
    return BuiltIndex(key, settings, params, _documents(settings), False, report.to_json())


def _params(settings: Settings) -> dict[str, Any] | None:
    engine = connect(settings.resolved_database_url)
    try:
        return Catalog(engine, settings.index).params()
    finally:
        engine.dispose()


def _documents(settings: Settings) -> tuple[str, ...]:
    engine = connect(settings.resolved_database_url)
    try:
        entries = Catalog(engine, settings.index).all()
    finally:
        engine.dispose()
    return tuple(sorted(Path(e.source).stem for e in entries))


def _settings_of(params: dict[str, Any]) -> dict[str, Any]:
    keys = ("embedding_model", "chunk_strategy", "chunk_size", "chunk_overlap")
    found = {k: params[k] for k in keys if k in params}
    if "contextual_header" in params:
        found["contextual_header"] = bool(params["contextual_header"])
    found["pdf_tables"] = bool(params.get("pdf_tables", False))
    return found
