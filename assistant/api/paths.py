"""How a document's source file is shown to HTTP callers: never as an absolute server path.

A source under the ingest root is shown relative to it (``reports/q3.pdf``); any other
source (ingested from the command line elsewhere) by its file name alone. The catalogue
and the index keep the absolute path; only what leaves the service is shortened.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path, PurePosixPath


@lru_cache(maxsize=8)
def _base(root: str) -> str:
    return os.path.realpath(root)


def shown_source(source: str, ingest_root: Path | None) -> str:
    """``source`` relative to ``ingest_root`` when inside it (the root itself is ``.``),
    else its file name."""
    if ingest_root is not None and source:
        for base in {_base(str(ingest_root)), os.path.abspath(ingest_root)}:
            prefix = base.rstrip("/") + "/"
            if source.rstrip("/") == base.rstrip("/"):
                return "."
            if source.startswith(prefix):
                return PurePosixPath(*Path(source[len(prefix) :]).parts).as_posix()
    return Path(source).name
