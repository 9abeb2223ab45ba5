"""``researchdesk keys ...`` and ``researchdesk serve``: registered on the main typer app."""

from __future__ import annotations

import json
from typing import Annotated, NoReturn

import typer

from core.errors import ResearchDeskError
from core.settings import Settings

EXIT_CANNOT_RUN = 3

keys_app = typer.Typer(help="API keys of the HTTP service: create, list, revoke.")


def _settings() -> Settings:
    try:
        return Settings()
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        _fail(f"invalid settings: {exc}")


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(EXIT_CANNOT_RUN)


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
    try:
        store = KeyStore(open_database(settings.resolved_database_url))
        principal, key = store.create(_split(role), _split(groups), name)
    except ResearchDeskError as exc:
        _fail(str(exc))
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
    try:
        principals = KeyStore(open_database(settings.resolved_database_url)).list()
    except ResearchDeskError as exc:
        _fail(str(exc))
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
    try:
        principal = KeyStore(open_database(settings.resolved_database_url)).revoke(key_id)
    except ResearchDeskError as exc:
        _fail(str(exc))
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
    try:
        app = create_app(settings)
    except ResearchDeskError as exc:
        _fail(str(exc))
    uvicorn.run(app, host=host, port=port, log_level=log_level, access_log=False)


def register(app: typer.Typer) -> None:
    """Add ``keys`` and ``serve`` to the ``researchdesk`` command line."""
    app.add_typer(keys_app, name="keys")
    app.command("serve")(serve)
    from assistant.api.mcp_cli import mcp_stdio

    app.command("mcp")(mcp_stdio)
