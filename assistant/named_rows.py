"""A figure asked by the name its statement row prints, where no line item definition
knows it.

``assistant.definitions.ITEMS`` knows the standard line items (revenue, net income, total
assets...); a filing also prints measures of its own trade, "Net bookings", "Comparable
sales", "Gross bookings". Asked "What were Activision Blizzard's net bookings in 2019?",
the answerer quoted the sentence that said the most of the question's words ("a $572
million decrease in Blizzard net bookings ... 2019") rather than the row printing the
figure. Here a row whose whole label the question writes, two words or more and not only
words every statement uses ("Total", "Other"), is that line item: its cell in the year
asked (the latest, when none is) is the figure, quoted and restated as a known item's is.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.asked_items import WHY_RE, question_words
from assistant.compute import Operand
from assistant.formulas import (
    AVERAGE_RE,
    CHANGE_RE,
    RATIO_ASK_RE,
    latest_year,
    operand_of,
    pick_cell,
)
from assistant.lookups import FIGURE_ASK, asked_figure
from assistant.reported import calendar_dated
from assistant.statement_rows import key_words, label_words, table_cells
from ingest.statements import YEAR_RE
from retrieval.mentions import extract_entities
from retrieval.types import Passage

MIN_LABEL_WORDS = 2
# Words of a label that name no measure by themselves: "Total other", "Net of tax".
_PLAIN_LABEL_WORDS = frozenset(
    {"total", "net", "other", "and", "or", "of", "the", "in", "for", "from", "to", "by", "on",
     "at", "as", "per", "a", "an", "before", "after", "income", "expense", "expenses", "items",
     "item"}
)  # fmt: skip
_PREFIX = "row:"  # the item key of a label a question names


def named_row(ask: str, sources: Sequence[Passage]) -> Operand | None:
    """The cell of the row the question names by its label, in the year asked, or None:
    for a question asking one figure that no definition knows (``asked_figure`` none), of
    one year or none, asking no reason, change, average or ratio. ``ask`` is the asking
    sentence (``sentences.focus``)."""
    if asked_figure(ask) is not None or not FIGURE_ASK.search(ask):
        return None
    if any(r.search(ask) for r in (WHY_RE, CHANGE_RE, AVERAGE_RE, RATIO_ASK_RE)):
        return None
    years = sorted(set(YEAR_RE.findall(ask)))
    if len(years) > 1:
        return None
    written = f" {' '.join(question_words(ask)).lower()} "
    # A row labelled with a name the question asks about ("Atlas Power & Light | Ticker:
    # APLX | Price: $86.40 | Dividend yield: 3.4%") holds many figures: none is named.
    names = [f" {label_words(name)} " for name in extract_entities(ask)]

    def named(label: str) -> str | None:
        words = label_words(label)
        measure = [w for w in words.split() if w not in _PLAIN_LABEL_WORDS]
        if len(words.split()) < MIN_LABEL_WORDS or not measure:
            return None
        if any(f" {words} " in name for name in names):
            return None
        return f"{_PREFIX}{words}" if f" {words} " in written else None

    cells = [c for c in table_cells(sources, named) if c.item.startswith(_PREFIX)]
    if not cells:
        return None
    item = max((c.item for c in cells), key=len)  # the longest label written
    cells = [c for c in cells if c.item == item and not calendar_dated(ask, c, sources)]
    cell = pick_cell(cells, item, years[0] if years else latest_year(cells, [item]))
    if cell is None:
        return None
    # The name a computation's expression uses: "net bookings" -> "net_bookings".
    name = key_words(item.removeprefix(_PREFIX))
    return operand_of(name if name.isidentifier() else f"row_{name}", cell)
