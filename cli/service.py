"""``researchdesk keys ...``, ``serve`` and ``mcp``: the HTTP service and its MCP tools."""

from __future__ import annotations

import json
import os
from typing import Annotated

import typer

from cli.base import fail as _fail
from cli.base import guarded as _guarded
from cli.base import settings_of as _settings
from core.errors import NotFoundError, ResearchDeskError

KEY_VARIABLE = "RESEARCHDESK_API_KEY"

keys_app = typer.Typer(help="API keys of the HTTP service: create, list, revoke.")


def _split(values: list[str] | None) -> list[str]:
    return [v.strip() for raw in values or [] for v in raw.split(",") if v.strip()]


@keys_app.command("create")
def keys_create(
    role: Annotated[
        list[str], typer.Option("--role", help="advisor, data, reviewer or admin (repeatable).")
    ],
    groups: Annotated[
        list[str] | None, typer.Option("--groups", help="Comma-separated entitlement groups.")
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="Who holds the key.")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Create a key; it is printed once and stored only as a hash."""
    from assistant.keys import KeyStore
    from assistant.tables import open_database

    settings = _settings()
    store = _guarded(lambda: KeyStore(open_database(settings.resolved_database_url)))
    principal, key = _guarded(lambda: store.create(_split(role), _split(groups), name))
    if json_out:
        typer.echo(json.dumps({**principal.to_json(), "key": key}))
        return
    typer.echo(
        f"key {principal.id} ({', '.join(principal.roles)}; groups: "
        f"{', '.join(principal.groups) or 'none'})"
    )
    typer.echo(key)
    typer.echo("Store it now: it is not shown again.", err=True)
    if not principal.groups:
        typer.echo(
            "This key has no groups: documents restricted to a group (allowed_groups) are "
            "invisible to it. Add --groups G1,G2 to create one that sees them.",
            err=True,
        )


@keys_app.command("list")
def keys_list(
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List keys (ids, roles, groups; never the keys themselves)."""
    from assistant.keys import KeyStore
    from assistant.tables import open_database

    settings = _settings()
    principals = _guarded(lambda: KeyStore(open_database(settings.resolved_database_url)).list())
    if json_out:
        typer.echo(json.dumps([p.to_json() for p in principals]))
        return
    for p in principals:
        state = "revoked" if p.revoked_at is not None else "active"
        typer.echo(
            f"{p.id}  {state:8} {p.name}  roles={','.join(p.roles)}  "
            f"groups={','.join(p.groups) or '-'}"
        )


@keys_app.command("revoke")
def keys_revoke(key_id: Annotated[str, typer.Argument(help="A key id from `keys list`.")]) -> None:
    """Revoke a key: it is refused (401) from the next request on."""
    from assistant.keys import KeyStore
    from assistant.tables import open_database

    settings = _settings()
    principal = _guarded(
        lambda: KeyStore(open_database(settings.resolved_database_url)).revoke(key_id)
    )
    typer.echo(f"revoked {principal.id} ({principal.name})")


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "info",
) -> None:
    """Serve the HTTP API with uvicorn (one process: the embedded index admits one opener)."""
    import uvicorn

    from assistant.api.app import create_app

    settings = _settings()
    app = _guarded(lambda: create_app(settings))
    uvicorn.run(app, host=host, port=port, log_level=log_level, access_log=False)


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
        _fail(f"set {KEY_VARIABLE} to an API key (researchdesk keys create --role advisor)")
    settings = _settings()
    try:
        state = create_app(settings).state.service
        state.keys.verify(key)
    except NotFoundError:
        _fail(f"{KEY_VARIABLE} is an unknown or revoked key")
    except ResearchDeskError as exc:
        _fail(str(exc))
    server = build_server(state, stdio_key=key)
    try:
        anyio.run(server.run_stdio_async)
    finally:
        state.holder.close()
        state.engine.dispose()


def register(app: typer.Typer) -> None:
    """Add ``keys``, ``serve`` and ``mcp`` to the ``researchdesk`` command line."""
    app.add_typer(keys_app, name="keys")
    app.command("serve")(serve)
    app.command("mcp")(mcp_stdio)
