"""The advisors' chat page: ``GET /`` and its static assets, under a strict CSP.

The page is plain HTML, CSS and JavaScript shipped in ``assistant/api/static`` (no build
step, no third-party origin) and is a client of the public ``/v1`` API like any other.
Only the files named here are served, so no path can reach anything else on disk.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import Response

router = APIRouter(tags=["web"], include_in_schema=False)

STATIC = Path(__file__).resolve().parent.parent / "static"
_TYPES = {
    "app.js": "text/javascript; charset=utf-8",
    "stream.js": "text/javascript; charset=utf-8",
    "viewer.js": "text/javascript; charset=utf-8",
    "app.css": "text/css; charset=utf-8",
    "favicon.svg": "image/svg+xml",
}

# No inline script or style, nothing from another origin; page images arrive as blob: URLs
# because they need the Authorization header (the key never goes into a URL).
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; "
    "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


@cache
def _read(name: str) -> bytes:
    return (STATIC / name).read_bytes()


def _serve(name: str, media_type: str) -> Response:
    headers = {**SECURITY_HEADERS, "Cache-Control": "no-cache"}
    return Response(_read(name), media_type=media_type, headers=headers)


@router.get("/")
async def index() -> Response:
    return _serve("index.html", "text/html; charset=utf-8")


@router.get("/static/{name}")
async def asset(name: str) -> Response:
    media_type = _TYPES.get(name)
    if media_type is None:
        raise HTTPException(404, "not found")
    return _serve(name, media_type)
