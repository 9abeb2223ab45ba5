"""The definitions table: every expression is over known line items and a valid unit."""

from __future__ import annotations

import re

from assistant.compute import UNITS
from assistant.definitions import AMOUNT, DEFINITIONS, ITEMS


def test_every_expression_names_only_known_line_items() -> None:
    for definition in DEFINITIONS:
        names = set(re.findall(r"[a-z_]+(?![a-z_]*\()", definition.expression))
        assert {n.removeprefix("prior_") for n in names} <= set(ITEMS), definition.measure
        assert definition.unit in (*UNITS, AMOUNT), definition.measure
        assert definition.printed in ("", *ITEMS), definition.measure


def test_no_name_belongs_to_two_line_items() -> None:
    seen: dict[str, str] = {}
    for item, names in ITEMS.items():
        for name in names:
            assert seen.setdefault(name, item) == item, f"{name!r}: {seen[name]} and {item}"
