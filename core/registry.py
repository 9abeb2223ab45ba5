"""The one lookup behind every ``make_*`` factory: a back-end picked by name from a dict.

Each pluggable stage keeps a plain ``dict`` of name -> factory beside its protocol; this
is how a setting's value becomes one of them, with the same error everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

T = TypeVar("T")


def pick(registry: Mapping[str, T], name: str, kind: str) -> T:
    """``registry[name]``; an unknown name raises ValueError listing the valid ones, sorted."""
    try:
        return registry[name]
    except KeyError:
        raise ValueError(f"unknown {kind} {name!r}; valid: {', '.join(sorted(registry))}") from None
