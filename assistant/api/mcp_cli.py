"""``researchdesk mcp``: the MCP server over stdio, acting as the key in RESEARCHDESK_API_KEY."""

from __future__ import annotations

import os

import typer

from assistant.api.cli import EXIT_CANNOT_RUN, _settings
from core.errors import NotFoundError, ResearchDeskError

KEY_VARIABLE = "RESEARCHDESK_API_KEY"


def mcp_stdio() -> None:
    """Serve the MCP tools search, ask and get_page on stdin/stdout (for desktop AI clients).

    The key comes from RESEARCHDESK_API_KEY (never an argument, which other users could
    read in the process list); its roles and groups apply to every call, as over HTTP.
    The HTTP service serves the same tools at /mcp.
    """
    import anyio

    from assistant.api.app import create_app
    from assistant.api.mcp import build_server

    key = os.environ.get(KEY_VARIABLE, "").strip()
    if not key:
        typer.echo(
            f"error: set {KEY_VARIABLE} to an API key (researchdesk keys create --role advisor)",
            err=True,
        )
        raise typer.Exit(EXIT_CANNOT_RUN)
    settings = _settings()
    try:
        state = create_app(settings).state.service
        state.keys.verify(key)
    except NotFoundError:
        typer.echo(f"error: {KEY_VARIABLE} is an unknown or revoked key", err=True)
        raise typer.Exit(EXIT_CANNOT_RUN) from None
    except ResearchDeskError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_CANNOT_RUN) from None
    server = build_server(state, stdio_key=key)
    try:
        anyio.run(server.run_stdio_async)
    finally:
        state.holder.close()
        state.engine.dispose()
