"""Tables as rows that keep their headers: a cell grid in, a ``Table`` of self-contained rows out.

Each row becomes one line, ``label | Column A: value | Column B: value``, so a row read on its
own (in a chunk, a quote or a citation) still says which number is which. Loaders hand in
the raw grid (pdfplumber cells, an HTML table's cells); this module cleans it (currency
signs split into their own cells, empty columns, merged header cells) and names the columns.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ingest.models import Table, TableRow

Grid = Sequence[Sequence[str | None]]
Box = tuple[float, float, float, float]

CELL_SEP = " | "  # between a row's cells as the loaders write them, read back by the answerers
MAX_CELL_CHARS = 300  # a longer "cell" is a paragraph caught in a table's box
_CURRENCY = frozenset({"$", "€", "£", "¥", "US$"})
_SUFFIX = frozenset({"%", ")", "%)"})
_DIGIT_RE = re.compile(r"\d")
_WORD_RE = re.compile(r"[^\W\d_]")
_YEAR_RE = re.compile(r"^(?:FY|Q[1-4]\s?)?(?:19|20)\d{2}[A-Z]?$", re.IGNORECASE)


def _clean(cell: str | None) -> str:
    text = " ".join((cell or "").split())
    return text[:MAX_CELL_CHARS].replace("|", "/")


def _glue(row: list[str]) -> list[str]:
    """Join a lone "$" to the amount after it and a lone "%" or ")" to the amount before."""
    out = list(row)
    for i, cell in enumerate(out):
        if cell in _CURRENCY:
            j = next((k for k in range(i + 1, len(out)) if out[k]), None)
            if j is not None and _DIGIT_RE.search(out[j]):
                out[j], out[i] = f"{cell}{out[j]}", ""
        elif cell in _SUFFIX:
            j = next((k for k in range(i - 1, -1, -1) if out[k]), None)
            if j is not None and _DIGIT_RE.search(out[j]):
                out[j], out[i] = out[j] + cell, ""
    return out


def _merge_columns(columns: list[list[str]]) -> list[list[str]]:
    """Join neighbouring value columns that never both hold a cell in one row.

    Filings set a year heading over one cell and its amounts in the next ("2018" above
    "$ 5,363"); such columns are one column. The label column is never merged.
    """
    out = columns[:1]
    for column in columns[1:]:
        last = out[-1]
        if len(out) > 1 and not any(a and b for a, b in zip(last, column, strict=True)):
            out[-1] = [a or b for a, b in zip(last, column, strict=True)]
        else:
            out.append(column)
    return out


def _names_columns(row: Sequence[str]) -> bool:
    """Can this first row be a header? Its value cells are words or periods ("2023",
    "FY2024A"), not amounts: a first row of figures means the header was not captured."""
    return all(_WORD_RE.search(c) or _YEAR_RE.match(c) for c in row[1:] if c)


def _is_data(row: Sequence[str]) -> bool:
    """A row with a label and at least one figure after it."""
    return bool(row and row[0]) and any(_DIGIT_RE.search(c) for c in row[1:])


def header_rows(grid: Sequence[Sequence[str]]) -> int:
    """How many leading rows name the columns: the first row, plus following rows while
    they have no label of their own (a second header line under a merged heading)."""
    count = 1
    while count < len(grid) - 1 and not grid[count][0] and not _is_data(grid[count]):
        count += 1
    return count


def column_names(rows: Sequence[Sequence[str]], width: int) -> list[str]:
    """One name per column from the header rows; a merged (empty) cell takes its left
    neighbour's name within the same header row, and stacked rows are joined."""
    names = [""] * width
    for depth, row in enumerate(rows):
        last = ""
        for i in range(1, width):
            cell = row[i] if i < len(row) else ""
            # Over a second header line, a blank cell right of a named one is the rest of a
            # merged (spanning) heading such as "Years ended" over "2023 | 2022".
            value = cell or (last if depth == 0 and len(rows) > 1 else "")
            last = cell or last
            names[i] = " ".join(p for p in (names[i], value) if p)
    names[0] = " ".join(r[0] for r in rows if r and r[0])
    return names


def row_text(cells: Sequence[str], names: Sequence[str]) -> str:
    """``label | name: value | ...``; empty cells are left out, unnamed values stand alone."""
    parts = [cells[0]] if cells and cells[0] else []
    for value, name in zip(cells[1:], names[1:], strict=False):
        if value:
            parts.append(f"{name}: {value}" if name and name != value else value)
    return CELL_SEP.join(parts)


def table_from_grid(
    grid: Grid,
    *,
    caption: str = "",
    page: int | None = None,
    boxes: Sequence[Box | None] | None = None,
    continues: Table | None = None,
) -> Table | None:
    """A ``Table`` from a cell grid, or None when the grid is no table (under 2x2 of text).

    ``boxes`` gives each grid row's bounding box. ``continues`` is the table this grid may
    continue (the previous page's last table): a grid whose first row is already data and
    whose width matches takes that table's column names and caption.
    """
    if boxes is not None and len(boxes) != len(grid):
        raise ValueError(f"{len(boxes)} row boxes for {len(grid)} rows")
    cleaned = [_glue([_clean(c) for c in row]) for row in grid]
    width = max((len(r) for r in cleaned), default=0)
    cleaned = [r + [""] * (width - len(r)) for r in cleaned]
    columns = _merge_columns(
        [[r[i] for r in cleaned] for i in range(width) if any(r[i] for r in cleaned)]
    )
    rows: list[tuple[list[str], Box | None]] = []
    for index in range(len(cleaned)):
        kept = [column[index] for column in columns]
        if any(kept):
            rows.append((kept, boxes[index] if boxes is not None else None))
    if len(rows) < 2 or len(columns) < 2:
        return None
    grid_rows = [r for r, _ in rows]
    inherited = continues is not None and not _names_columns(grid_rows[0])
    if continues is not None and inherited:
        names = continues.header.split(CELL_SEP)
        if len(names) != len(columns):
            inherited = False
    if inherited and continues is not None:
        n_header = 0
        caption = caption or continues.caption
    elif _names_columns(grid_rows[0]):
        n_header = header_rows(grid_rows)
        names = column_names(grid_rows[:n_header], len(columns))
    else:  # the header lies outside the ruled box: rows keep their cells, unnamed
        n_header, names = 0, [""] * len(columns)
    body = [
        TableRow(text, page, box)
        for cells, box in rows[n_header:]
        if (text := row_text(cells, names))
    ]
    if not body:
        return None
    return Table(caption=" ".join(caption.split()), header=CELL_SEP.join(names), rows=tuple(body))


def table_text(table: Table) -> str:
    """The table as plain text: caption, then one row per line."""
    lines = [table.caption] if table.caption else []
    return "\n".join([*lines, *(row.text for row in table.rows)])


# A fixed-width table's columns are parted by at least this many spaces on every line.
_MIN_GUTTER = 2
_GUTTER_RE = re.compile(rf"\S {{{_MIN_GUTTER},}}\S")


def fixed_width_tables(lines: Sequence[str], *, caption: str = "") -> list[tuple[int, int, Table]]:
    """The fixed-width tables of plain text, as ``(first line, end line, Table)``.

    A table is three or more consecutive lines (a header and two rows at least), each with
    a gutter of two or more spaces inside it, whose gutters line up: the character columns
    that are blank on every one of its lines, two or more wide, part its columns. Prose
    never lines up so; a line without a gutter ends the table.
    """
    found: list[tuple[int, int, Table]] = []
    start = 0
    while start < len(lines):
        end = start
        while end < len(lines) and _GUTTER_RE.search(lines[end]):
            end += 1
        if end - start >= 3:
            table = _aligned(lines[start:end], caption)
            if table is not None:
                found.append((start, end, table))
        start = max(end, start + 1)
    return found


def _aligned(lines: Sequence[str], caption: str) -> Table | None:
    """``lines`` cut into columns at the gutters blank on all of them, or None."""
    width = max(len(line) for line in lines)
    blank = [all(i >= len(line) or line[i] == " " for line in lines) for i in range(width)]
    spans: list[tuple[int, int]] = []
    i = 0
    while i < width:
        if blank[i]:
            i += 1
            continue
        j = i
        # A column runs on over single blanks ("Balance tier", "2 Mar 2026").
        while j < width and not all(blank[j : j + _MIN_GUTTER]):
            j += 1
        spans.append((i, j))
        i = j
    if len(spans) < 2:
        return None
    grid = [[line[a:b].strip() for a, b in spans] for line in lines]
    return table_from_grid(grid, caption=caption)
