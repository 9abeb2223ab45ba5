"""Optional per-file metadata in ``<file>.meta.json`` (e.g. ``report.pdf.meta.json``).

Known keys: ``title`` (str), ``tags`` (list of str), ``date`` (ISO date, stored as
YYYY-MM-DD), ``author`` (str), ``allowed_groups`` (list of non-empty str). Any other key is
kept verbatim in ``extra``. The sidecar's own hash is returned so the job can notice when
only the sidecar changed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, StrictStr, ValidationError, field_validator

from core.errors import LoaderError
from ingest.models import sha256_bytes

SIDECAR_SUFFIX = ".meta.json"
MAX_SIDECAR_BYTES = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Sidecar:
    """The validated content of one sidecar file plus the hash of its bytes."""

    path: Path
    sha256: str
    title: str | None = None
    tags: tuple[str, ...] = ()
    date: str | None = None
    author: str | None = None
    allowed_groups: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)


class _SidecarModel(BaseModel):
    """Schema of a sidecar; unknown keys are allowed and end up in ``extra``."""

    model_config = ConfigDict(extra="allow")

    title: StrictStr | None = None
    tags: list[StrictStr] = []
    date: StrictStr | None = None
    author: StrictStr | None = None
    allowed_groups: list[StrictStr] = []

    @field_validator("title", "author")
    @classmethod
    def _non_blank(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("must be a non-empty string")
        return value.strip() if value is not None else None

    @field_validator("allowed_groups")
    @classmethod
    def _groups_non_empty(cls, value: list[str]) -> list[str]:
        if any(not group.strip() for group in value):
            raise ValueError("group names must be non-empty strings")
        return [group.strip() for group in value]

    @field_validator("date")
    @classmethod
    def _iso_date(cls, value: str | None) -> str | None:
        return None if value is None else parse_iso_date(value)


def sidecar_path(path: Path) -> Path:
    """Where the sidecar of ``path`` lives (next to it, name + ``.meta.json``)."""
    return path.with_name(path.name + SIDECAR_SUFFIX)


def parse_iso_date(value: str) -> str:
    """``value`` as YYYY-MM-DD; accepts an ISO date or datetime (the time is dropped)."""
    text = value.strip()
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text).date().isoformat()
    except ValueError:
        raise ValueError(f"not an ISO date (expected YYYY-MM-DD): {value!r}") from None


def read_sidecar(path: Path) -> Sidecar | None:
    """The sidecar of the document at ``path``, or None when it has none.

    Raises LoaderError naming the sidecar when it exists but cannot be used.
    """
    meta_path = sidecar_path(path)
    try:
        size = meta_path.stat().st_size
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise LoaderError(f"sidecar {meta_path.name}: cannot read ({exc.strerror})") from exc
    if size > MAX_SIDECAR_BYTES:
        raise LoaderError(
            f"sidecar {meta_path.name} is {size} bytes, over the limit of {MAX_SIDECAR_BYTES} bytes"
        )
    try:
        raw = meta_path.read_bytes()
    except OSError as exc:
        raise LoaderError(f"sidecar {meta_path.name}: cannot read ({exc.strerror})") from exc
    return parse_sidecar(raw, meta_path)


def parse_sidecar(raw: bytes, meta_path: Path) -> Sidecar:
    """Validate sidecar bytes; ``meta_path`` is only used in messages and the result."""
    name = meta_path.name
    if len(raw) > MAX_SIDECAR_BYTES:
        raise LoaderError(f"sidecar {name} is over the limit of {MAX_SIDECAR_BYTES} bytes")
    try:
        data = json.loads(raw.decode("utf-8-sig"), parse_constant=_reject_constant)
    except UnicodeDecodeError as exc:
        raise LoaderError(f"sidecar {name} is not UTF-8 text: {exc.reason}") from exc
    except ValueError as exc:  # json.JSONDecodeError and rejected NaN/Infinity
        raise LoaderError(f"sidecar {name} is not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise LoaderError(f"sidecar {name} must hold a JSON object, not {type(data).__name__}")
    try:
        model = _SidecarModel.model_validate(data)
    except ValidationError as exc:
        raise LoaderError(f"sidecar {name} is invalid: {_describe(exc)}") from exc
    return Sidecar(
        path=meta_path,
        sha256=sha256_bytes(raw),
        title=model.title,
        tags=tuple(model.tags),
        date=model.date,
        author=model.author,
        allowed_groups=tuple(model.allowed_groups),
        extra=dict(model.model_extra or {}),
    )


def _reject_constant(token: str) -> Any:
    raise ValueError(f"{token} is not allowed in JSON")


def _describe(exc: ValidationError) -> str:
    """One line per problem, e.g. ``tags.1: Input should be a valid string``."""
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error["loc"]) or "(root)"
        message = error["msg"].removeprefix("Value error, ")
        parts.append(f"{where}: {message}")
    return "; ".join(parts)
