"""GET /v1/documents/{id}/pages/{n}/image: the cited PDF page as a PNG, span highlighted.

The entitlement check is the page text's own (catalogue, then the store query with the
caller's groups), so a restricted document is a 404 with the same body as an unknown id.
"""

from __future__ import annotations

import json
import uuid
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from assistant.api import documents as docs
from assistant.api.deps import Reader, State
from assistant.api.pageimage import (
    DEFAULT_ZOOM,
    MAX_HIGHLIGHT_CHARS,
    MAX_ZOOM,
    MIN_ZOOM,
    PageImage,
    PageRenderer,
    PageTooLargeError,
    SourceChangedError,
)
from assistant.api.routes.chat import _ERRORS
from assistant.api.routes.documents import DocumentId, PageNumber
from assistant.audit import AuditRecord
from assistant.keys import Principal

router = APIRouter(prefix="/v1/documents", tags=["documents"])

Zoom = Annotated[
    float,
    Query(ge=MIN_ZOOM, le=MAX_ZOOM, multiple_of=0.25, description="Scale over 72 dpi."),
]
Highlight = Annotated[
    str,
    Query(
        max_length=MAX_HIGHLIGHT_CHARS, description="Text to highlight, e.g. a citation's quote."
    ),
]


def renderer(state: State) -> PageRenderer:
    return PageRenderer(state.settings.data_dir / "cache" / "page-images")


def _image(
    state: State, principal: Principal, document_id: str, number: int, zoom: float, highlight: str
) -> PageImage:
    entry = docs.visible_entry(state.catalog, document_id, principal.groups)
    with state.holder.use() as pipeline:
        searcher = pipeline.searcher
        docs.page(searcher.store, searcher.collection, entry, number, principal.groups)
    image = renderer(state).image(entry, number, zoom, highlight)
    state.audit.record(
        AuditRecord(
            trace_id=uuid.uuid4().hex,
            kind="document.page_image",
            principal=principal.id,
            principal_name=principal.name,
            status="ok",
            groups=principal.groups,
            gated_by=docs.gated_by(state.catalog, principal.groups),
            target=f"{document_id}/pages/{number}/image",
        )
    )
    return image


@router.get(
    "/{document_id}/pages/{number}/image",
    response_class=Response,
    responses={
        **_ERRORS,
        200: {
            "content": {"image/png": {}},
            "description": "The page as PNG. `X-Highlight-Boxes`: JSON list of "
            "[x0, y0, x1, y1] image-pixel rectangles drawn; `X-Highlight-Found`: "
            "true/false; `X-Image-Size`: WxH.",
        },
        409: {"description": "The document's file changed since indexing: re-ingest it."},
    },
)
async def page_image(
    document_id: DocumentId,
    number: PageNumber,
    principal: Reader,
    state: State,
    zoom: Zoom = DEFAULT_ZOOM,
    highlight: Highlight = "",
) -> Response:
    """A PDF page rendered server-side, with ``highlight`` (e.g. a citation's quote) marked.

    Non-PDF documents have no page image (404): read their text at ``/pages/1``.
    """
    try:
        image = await run_in_threadpool(
            _image, state, principal, document_id, number, zoom, highlight
        )
    except SourceChangedError as exc:
        raise HTTPException(409, str(exc)) from None
    except PageTooLargeError as exc:
        raise HTTPException(422, str(exc)) from None
    return Response(
        image.png,
        media_type="image/png",
        headers={
            "Cache-Control": "private, no-store",
            "X-Highlight-Boxes": json.dumps([list(b) for b in image.boxes]),
            "X-Highlight-Found": "true" if image.found else "false",
            "X-Image-Size": f"{image.width}x{image.height}",
            "X-Image-Cache": "hit" if image.cached else "miss",
        },
    )
