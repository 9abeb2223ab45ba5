"""The document catalogue: what is indexed, at which version, and the write-ahead intents.

The vector store holds chunks; this holds one row per document (title, source, pages,
chunk count, metadata, the ``version`` its chunks carry). Every change to a document's
points is bracketed by a ``pending`` row so a killed job can be repaired (``recover``).
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, delete, insert, select
from sqlalchemy.exc import SQLAlchemyError

from core.errors import CatalogError, NotFoundError
from ingest import db
from ingest.models import DocumentMeta
from ingest.profile import DocumentProfile
from ingest.store import SearchFilter, VectorStore


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    id: str
    source: str
    title: str
    format: str
    sha256: str
    version: str
    size: int
    modified: float
    pages: int | None
    chunks: int
    meta: dict[str, Any]
    job_id: str
    indexed_at: float

    @property
    def allowed_groups(self) -> tuple[str, ...]:
        return tuple(self.meta.get("allowed_groups", ()))

    @property
    def unread_pages(self) -> tuple[int, ...]:
        """Pages indexed without their content (images without a text layer); known for
        documents indexed since this was recorded."""
        return tuple(int(p) for p in self.meta.get("unread_pages", ()))

    @property
    def profile(self) -> DocumentProfile:
        """Issuer, type and period read at ingest (unknown fields for older rows)."""
        return DocumentProfile.from_json(self.meta.get("profile"))


def entry_row(
    meta: DocumentMeta,
    version: str,
    chunks: int,
    job_id: str,
    profile: DocumentProfile | None = None,
    unread_pages: Sequence[int] = (),
) -> dict[str, Any]:
    """The catalogue row for a document about to be (re)indexed; ``unread_pages`` are the
    pages it could not read as text (``ingest.models.LoadedDocument``)."""
    row: dict[str, Any] = {
        "id": meta.id,
        "source": meta.source,
        "title": meta.title,
        "format": meta.format,
        "sha256": meta.sha256,
        "version": version,
        "size": meta.size,
        "modified": meta.modified,
        "pages": meta.pages,
        "chunks": chunks,
        "meta": {
            "allowed_groups": list(meta.allowed_groups),
            "tags": list(meta.tags),
            "date": meta.date,
            "author": meta.author,
            "extra": meta.extra,
            "unread_pages": list(unread_pages),
        },
        "job_id": job_id,
        "indexed_at": time.time(),
    }
    if profile is not None:
        row["meta"]["profile"] = profile.to_json()
    return row


class Catalog:
    """Catalogue rows of one index."""

    def __init__(self, engine: Engine, index_name: str) -> None:
        self._engine = engine
        self.index_name = index_name

    # -- reading -------------------------------------------------------------------------

    def get(self, document_id: str) -> CatalogEntry:
        entry = self.find(document_id)
        if entry is None:
            raise NotFoundError(f"no document {document_id!r} in index {self.index_name!r}")
        return entry

    def find(self, document_id: str) -> CatalogEntry | None:
        query = select(db.documents).where(
            db.documents.c.index_name == self.index_name, db.documents.c.id == document_id
        )
        with _db_errors(), self._engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        return _entry(row) if row is not None else None

    def all(self) -> list[CatalogEntry]:
        query = (
            select(db.documents)
            .where(db.documents.c.index_name == self.index_name)
            .order_by(db.documents.c.source)
        )
        with _db_errors(), self._engine.connect() as conn:
            return [_entry(row) for row in conn.execute(query).mappings()]

    def params(self) -> dict[str, Any] | None:
        query = select(db.indexes.c.params).where(db.indexes.c.name == self.index_name)
        with _db_errors(), self._engine.connect() as conn:
            value = conn.execute(query).scalar_one_or_none()
        return dict(value) if value is not None else None

    def set_params(self, params: dict[str, Any]) -> None:
        with _db_errors(), self._engine.begin() as conn:
            conn.execute(delete(db.indexes).where(db.indexes.c.name == self.index_name))
            conn.execute(
                insert(db.indexes).values(
                    name=self.index_name, params=params, created_at=time.time()
                )
            )

    # -- write-ahead intents ---------------------------------------------------------------

    def begin(
        self,
        document_id: str,
        action: str,
        version: str,
        expected_chunks: int,
        row: dict[str, Any],
        job_id: str,
    ) -> None:
        """Record the intent to change a document's points; commit before touching them."""
        with _db_errors(), self._engine.begin() as conn:
            conn.execute(
                delete(db.pending).where(
                    db.pending.c.index_name == self.index_name,
                    db.pending.c.document_id == document_id,
                )
            )
            conn.execute(
                insert(db.pending).values(
                    index_name=self.index_name,
                    document_id=document_id,
                    action=action,
                    version=version,
                    expected_chunks=expected_chunks,
                    row=row,
                    job_id=job_id,
                )
            )

    def commit_replace(self, row: dict[str, Any]) -> None:
        """Write the document's new row and drop its intent, in one transaction."""
        with _db_errors(), self._engine.begin() as conn:
            self._delete_rows(conn, row["id"])
            conn.execute(insert(db.documents).values(index_name=self.index_name, **row))

    def commit_delete(self, document_id: str) -> None:
        with _db_errors(), self._engine.begin() as conn:
            self._delete_rows(conn, document_id)

    def pending(self) -> list[dict[str, Any]]:
        query = select(db.pending).where(db.pending.c.index_name == self.index_name)
        with _db_errors(), self._engine.connect() as conn:
            return [dict(row) for row in conn.execute(query).mappings()]

    def recover(self, store: VectorStore, collection: str) -> list[str]:
        """Finish or undo every change a killed job left half-done; returns the document ids.

        A replacement whose old points still exist is rolled back (the new points go). One
        whose old points are already gone had all its new points written first, so it is
        rolled forward from the intent's stored row. A delete is simply completed.
        """
        repaired = []
        for intent in self.pending():
            doc_id = intent["document_id"]
            if intent["action"] == "delete":
                store.delete(collection, SearchFilter(document_ids=(doc_id,)))
                self.commit_delete(doc_id)
            else:
                self._recover_replace(store, collection, intent)
            repaired.append(doc_id)
        return repaired

    def _recover_replace(self, store: VectorStore, collection: str, intent: dict[str, Any]) -> None:
        doc_id, version = intent["document_id"], intent["version"]
        current = self.find(doc_id)
        total = store.count(collection, SearchFilter(document_ids=(doc_id,)))
        others = store.count(
            collection, SearchFilter(document_ids=(doc_id,), exclude_versions=(version,))
        )
        written = total - others  # points carrying exactly the intended version
        if current is not None and others > 0:
            # The old version is still there: roll back to exactly the catalogued version.
            store.delete(
                collection,
                SearchFilter(document_ids=(doc_id,), exclude_versions=(current.version,)),
            )
            self._drop_intent(doc_id)
        elif written == intent["expected_chunks"]:
            # Every new point was written (old ones may already be gone): roll forward.
            if others:
                store.delete(
                    collection, SearchFilter(document_ids=(doc_id,), exclude_versions=(version,))
                )
            self.commit_replace(intent["row"])
        else:
            # A new document cut off half-way: remove it; the next job adds it again.
            store.delete(collection, SearchFilter(document_ids=(doc_id,)))
            self.commit_delete(doc_id)

    # -- helpers ---------------------------------------------------------------------------

    def _drop_intent(self, document_id: str) -> None:
        with _db_errors(), self._engine.begin() as conn:
            conn.execute(
                delete(db.pending).where(
                    db.pending.c.index_name == self.index_name,
                    db.pending.c.document_id == document_id,
                )
            )

    def _delete_rows(self, conn: Any, document_id: str) -> None:
        for table in (db.documents, db.pending):
            id_column = table.c.id if table is db.documents else table.c.document_id
            conn.execute(
                delete(table).where(table.c.index_name == self.index_name, id_column == document_id)
            )


@contextmanager
def _db_errors() -> Iterator[None]:
    """Turns database driver errors into CatalogError with the original message."""
    try:
        yield
    except SQLAlchemyError as exc:
        raise CatalogError(f"catalogue database error: {exc}") from exc


def _entry(row: Any) -> CatalogEntry:
    return CatalogEntry(**{k: row[k] for k in CatalogEntry.__dataclass_fields__})


def sources_under(entries: Sequence[CatalogEntry], roots: Sequence[str]) -> list[CatalogEntry]:
    """Entries whose source file lies under one of ``roots`` (resolved absolute paths)."""
    prefixes = [r.rstrip("/") + "/" for r in roots]
    return [
        e for e in entries if e.source in roots or any(e.source.startswith(p) for p in prefixes)
    ]
