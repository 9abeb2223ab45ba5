"""/v1/documents: list, show, read a page, delete (data role)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path
from starlette.concurrency import run_in_threadpool

from assistant.api import documents as docs
from assistant.api.deps import DataTeam, Reader, State
from assistant.api.jobs import JobConflictError
from assistant.api.routes.chat import _ERRORS
from assistant.api.schemas.documents import Deleted, DocumentList, DocumentOut, PageOut
from assistant.audit import AuditRecord
from assistant.keys import Principal

router = APIRouter(prefix="/v1/documents", tags=["documents"])

DocumentId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
PageNumber = Annotated[int, Path(ge=1, le=100_000)]


@router.get("", response_model=DocumentList, responses=_ERRORS)
async def list_documents(principal: Reader, state: State) -> DocumentList:
    """The documents the caller's groups may see."""
    entries = await run_in_threadpool(state.catalog.all)
    groups = principal.groups
    return DocumentList(
        documents=[
            docs.document_out(e, state.settings.api_ingest_root)
            for e in entries
            if docs.visible(e, groups)
        ]
    )


@router.get("/{document_id}", response_model=DocumentOut, responses=_ERRORS)
async def get_document(document_id: DocumentId, principal: Reader, state: State) -> DocumentOut:
    """One document's metadata; 404 for unknown ids and for documents outside your groups."""
    entry = await run_in_threadpool(
        docs.visible_entry, state.catalog, document_id, principal.groups
    )
    return docs.document_out(entry, state.settings.api_ingest_root)


def _page(state: State, principal: Principal, document_id: str, number: int) -> PageOut:
    entry = docs.visible_entry(state.catalog, document_id, principal.groups)
    with state.holder.use() as pipeline:
        searcher = pipeline.searcher
        result = docs.page(searcher.store, searcher.collection, entry, number, principal.groups)
    state.audit.record(
        AuditRecord(
            trace_id=uuid.uuid4().hex,
            kind="document.page",
            principal=principal.id,
            principal_name=principal.name,
            status="ok",
            groups=principal.groups,
            gated_by=docs.gated_by(state.catalog, principal.groups),
            target=f"{document_id}/pages/{number}",
        )
    )
    return result


@router.get("/{document_id}/pages/{number}", response_model=PageOut, responses=_ERRORS)
async def get_page(
    document_id: DocumentId, number: PageNumber, principal: Reader, state: State
) -> PageOut:
    """The text of one page, as a citation's link points to it.

    Page-less formats (Word, HTML, Markdown, text, e-mail) are served as a single page 1
    holding the whole document; their citations link there and name the section.
    """
    return await run_in_threadpool(_page, state, principal, document_id, number)


def _delete(state: State, principal: Principal, document_id: str) -> Deleted:
    docs.visible_entry(state.catalog, document_id, principal.groups)
    with state.jobs.exclusive(), state.holder.use() as pipeline:
        searcher = pipeline.searcher
        docs.delete(searcher.store, searcher.collection, state.catalog, document_id)
    # No pipeline reload: the router may still name the document, but its points are gone,
    # so a search that routes there simply finds nothing of it.
    trace_id = uuid.uuid4().hex
    state.audit.record(
        AuditRecord(
            trace_id=trace_id,
            kind="document.delete",
            principal=principal.id,
            principal_name=principal.name,
            status="ok",
            groups=principal.groups,
            target=document_id,
        )
    )
    return Deleted(id=document_id, deleted=True, trace_id=trace_id)


@router.delete(
    "/{document_id}",
    response_model=Deleted,
    responses={**_ERRORS, 409: {"description": "An ingestion job is running."}},
)
async def delete_document(document_id: DocumentId, principal: DataTeam, state: State) -> Deleted:
    """Remove a document from the index and the catalogue (its file is left alone)."""
    try:
        return await run_in_threadpool(_delete, state, principal, document_id)
    except JobConflictError as exc:
        raise HTTPException(409, str(exc)) from None
