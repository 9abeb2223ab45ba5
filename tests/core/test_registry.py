"""``core.registry.pick``: the lookup behind every ``make_*`` factory."""

from __future__ import annotations

import pytest

from core.registry import pick


def test_pick_returns_the_named_entry() -> None:
    assert pick({"a": 1, "b": 2}, "b", "thing") == 2


def test_an_unknown_name_lists_the_valid_ones_sorted() -> None:
    with pytest.raises(ValueError) as caught:
        pick({"zeta": 1, "alpha": 2}, "beta", "expander")
    assert str(caught.value) == "unknown expander 'beta'; valid: alpha, zeta"
