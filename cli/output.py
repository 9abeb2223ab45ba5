"""How the command line shows things: tables that survive a pipe, citations, a missing index.

Kept apart from the command modules so each reads in one sitting.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

from core.settings import Settings


def table(console: Console, headers: list[str], rows: list[list[str]], title: str | None) -> None:
    """A table on a terminal; without one (a pipe, a file, CI), tab-separated lines.

    Rich squeezes a table to 80 columns when there is no terminal, wrapping titles over
    several lines and cutting file names; tab-separated lines keep every cell whole.
    """
    if console.is_terminal:
        shown = Table(*headers, title=title)
        for row in rows:
            shown.add_row(*row)
        console.print(shown)
        return
    for line in [headers, *rows]:
        cells = (cell.replace("\t", " ").replace("\n", " ") for cell in line)
        console.file.write("\t".join(cells) + "\n")  # raw: rich would expand the tabs


def cited(title: str, page: int | None, section: str | None) -> str:
    """A title and where in it: the page, else a section that does not repeat the title."""
    if page is not None:
        return f"{title} (p. {page})"
    if section and section.strip().casefold() != title.strip().casefold():
        return f"{title} ({section})"
    return title


def missing_index(settings: Settings) -> str | None:
    """Why there is no embedded index to read, or None when its database exists.

    The default data directory follows the current folder, so a read-only command run
    elsewhere would otherwise create an empty index silently and report zero documents.
    """
    url = settings.resolved_database_url
    if not url.startswith("sqlite:///") or Path(url.removeprefix("sqlite:///")).exists():
        return None
    where = settings.data_dir.expanduser().resolve()
    return (
        f"no index at {where} (the data directory is RESEARCHDESK_DATA_DIR or --data-dir, by "
        "default .researchdesk in the current folder): run the command where you ingested, "
        "point --data-dir at that folder, or fill this one with `researchdesk ingest PATH`"
    )
