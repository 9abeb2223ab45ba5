"""Opening an index for search repairs a killed job's leftovers (finding 5), unless a job runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from core.settings import Settings
from ingest.catalog import Catalog
from ingest.db import connect
from ingest.index import index_lock
from ingest.pipeline import run_ingest
from retrieval.pipeline import Searcher
from tests.ingest.helpers import index_state, settings, write_corpus

pytestmark = pytest.mark.slow  # embeds with the real bundled model


class Killed(BaseException):
    """Stands for SIGKILL: nothing after it runs."""


def _crash_mid_update(corpus: Path, config: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """Leave new and old points side by side, with the intent pending (killed before delete)."""
    for f in write_corpus(corpus, files=2):
        f.write_text(f.read_text() + "\n\nAn added paragraph on emerging markets debt.\n")

    def crash(*_a: Any, **_k: Any) -> None:
        raise Killed

    with monkeypatch.context() as patch:
        patch.setattr("ingest.store.edge.EdgeStore.delete", crash)
        with pytest.raises(Killed):
            run_ingest([corpus], config)


def test_search_after_a_crash_serves_no_orphans(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "c"
    write_corpus(corpus, files=2)
    config = settings(data_dir)
    run_ingest([corpus], config)
    _crash_mid_update(corpus, config, monkeypatch)
    catalog = Catalog(connect(config.resolved_database_url), config.index)
    assert catalog.pending() != []

    searcher = Searcher.from_settings(config)
    try:
        result = searcher.search("emerging markets debt", k=20)
    finally:
        searcher.close()
    assert catalog.pending() == []
    assert result.passages
    assert len({p.text for p in result.passages}) == len(result.passages)  # no stale copies
    assert len(index_state(config)) == 2  # no orphan, no duplicate, no half document


def test_a_running_job_keeps_its_intents(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "c"
    write_corpus(corpus, files=2)
    config = settings(data_dir)
    run_ingest([corpus], config)
    _crash_mid_update(corpus, config, monkeypatch)
    catalog = Catalog(connect(config.resolved_database_url), config.index)
    pending = catalog.pending()
    with index_lock(config):  # stands for a job in progress in another process
        Searcher.from_settings(config).close()
    assert catalog.pending() == pending
