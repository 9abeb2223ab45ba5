"""What every ``researchdesk`` command module shares: consoles, options, the error policy.

Library errors become exit codes only here (``fail``, ``guarded``, ``settings_of``):
1 the command ran but some files failed; 2 bad usage (including a malformed file the
user pointed at); 3 the command could not run at all. The message says what to do.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape

from cli.output import missing_index
from core.errors import ResearchDeskError
from core.settings import Settings

T = TypeVar("T")

EXIT_FILES_FAILED = 1
EXIT_USAGE = 2
EXIT_CANNOT_RUN = 3

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Where the embedded index lives [env RESEARCHDESK_DATA_DIR]."),
]
IndexName = Annotated[
    str | None, typer.Option("--index", help="Index name [env RESEARCHDESK_INDEX].")
]
JsonFlag = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


def fail(message: str, code: int = EXIT_CANNOT_RUN) -> NoReturn:
    # Escaped: messages carry text like "researchdesk[ray]" that is not markup.
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False)
    raise typer.Exit(code)


def settings_of(**overrides: Any) -> Settings:
    """Settings from the environment with the command's options on top."""
    given = {k: v for k, v in overrides.items() if v is not None}
    try:
        return Settings(**given)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'settings'}: {e['msg']}" for e in exc.errors()
        )
        fail(f"invalid settings: {problems}")


def guarded(
    action: Callable[[], T],
    code: int = EXIT_CANNOT_RUN,
    *,
    usage: tuple[type[ResearchDeskError], ...] = (),
) -> T:
    """``action()``, with a ResearchDeskError failing the command with exit ``code``.

    Errors of the ``usage`` types are the user's input (a malformed config or question
    set) and exit 2 whatever ``code`` says.
    """
    try:
        return action()
    except usage as exc:
        fail(str(exc), EXIT_USAGE)
    except ResearchDeskError as exc:
        fail(str(exc), code)


def require_index(settings: Settings) -> Path:
    """Where the embedded index lives; fails, creating nothing, when there is none there."""
    problem = missing_index(settings)
    if problem is not None:
        fail(problem)
    return settings.data_dir.expanduser().resolve()
