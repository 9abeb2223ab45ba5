"""API keys: each maps to a principal with roles and groups; only a hash is stored.

A key reads ``rd_<id>_<secret>``: the id finds the row, the sha256 of the whole key is
compared in constant time. The secret has 256 bits, so a plain (unsalted) hash is enough:
it cannot be brute-forced, and a leaked table gives no usable key. The full key is shown
once, when created.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, get_args

from sqlalchemy import Engine, insert, select, update

from assistant.tables import api_keys, database_errors
from core.errors import ConfigError, NotFoundError

Role = Literal["advisor", "data", "reviewer", "admin"]
ROLES: tuple[Role, ...] = get_args(Role)
_KEY = re.compile(r"rd_(?P<id>[0-9a-f]{12})_(?P<secret>[A-Za-z0-9_-]{43})")
_GROUP = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: the key id, a display name, roles and entitlement groups."""

    id: str
    name: str
    roles: tuple[Role, ...]
    groups: tuple[str, ...]
    created_at: float = 0.0
    revoked_at: float | None = None

    def has(self, role: Role) -> bool:
        return role in self.roles

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "roles": list(self.roles),
            "groups": list(self.groups),
            "created_at": self.created_at,
            "revoked_at": self.revoked_at,
        }


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def check_roles(roles: Sequence[str]) -> tuple[Role, ...]:
    """Validated, de-duplicated roles; an unknown one raises ConfigError naming the valid ones."""
    if not roles:
        raise ConfigError(f"give at least one role: {', '.join(ROLES)}")
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise ConfigError(f"unknown role(s) {', '.join(unknown)}; valid: {', '.join(ROLES)}")
    return tuple(r for r in ROLES if r in roles)


def check_groups(groups: Sequence[str]) -> tuple[str, ...]:
    bad = [g for g in groups if not _GROUP.fullmatch(g)]
    if bad:
        raise ConfigError(
            f"invalid group name(s) {', '.join(map(repr, bad))}: use letters, digits, . _ -"
        )
    return tuple(dict.fromkeys(groups))


class KeyStore:
    """Creates, lists, revokes and verifies API keys in the service database."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def create(
        self, roles: Sequence[str], groups: Sequence[str] = (), name: str | None = None
    ) -> tuple[Principal, str]:
        """A new principal and its key; the key is returned here and never again."""
        checked_roles, checked_groups = check_roles(roles), check_groups(groups)
        key_id = secrets.token_hex(6)
        key = f"rd_{key_id}_{secrets.token_urlsafe(32)}"
        principal = Principal(
            key_id, name or key_id, checked_roles, checked_groups, created_at=time.time()
        )
        with database_errors(), self._engine.begin() as conn:
            conn.execute(
                insert(api_keys).values(
                    id=key_id,
                    hash=_digest(key),
                    name=principal.name,
                    roles=list(principal.roles),
                    groups=list(principal.groups),
                    created_at=principal.created_at,
                )
            )
        return principal, key

    def list(self) -> list[Principal]:
        with database_errors(), self._engine.connect() as conn:
            rows = conn.execute(select(api_keys).order_by(api_keys.c.created_at)).mappings()
            return [_principal(row) for row in rows]

    def revoke(self, key_id: str) -> Principal:
        with database_errors(), self._engine.begin() as conn:
            done = conn.execute(
                update(api_keys)
                .where(api_keys.c.id == key_id, api_keys.c.revoked_at.is_(None))
                .values(revoked_at=time.time())
            )
            row = conn.execute(select(api_keys).where(api_keys.c.id == key_id)).mappings().first()
        if row is None:
            raise NotFoundError(f"no API key {key_id!r}; `researchdesk keys list` shows them")
        if done.rowcount == 0:
            raise NotFoundError(f"API key {key_id!r} is already revoked")
        return _principal(row)

    def verify(self, key: str) -> Principal:
        """The principal of a valid, unrevoked key; NotFoundError for anything else (401)."""
        match = _KEY.fullmatch(key)
        row = None
        if match is not None:
            with database_errors(), self._engine.connect() as conn:
                row = (
                    conn.execute(select(api_keys).where(api_keys.c.id == match["id"]))
                    .mappings()
                    .first()
                )
        # One message for malformed, unknown, revoked and wrong keys: no oracle for guessing.
        if (
            row is None
            or row["revoked_at"] is not None
            or not hmac.compare_digest(row["hash"], _digest(key))
        ):
            raise NotFoundError("unknown or revoked API key")
        return _principal(row)


def _principal(row: Any) -> Principal:
    return Principal(
        id=row["id"],
        name=row["name"],
        roles=tuple(row["roles"]),
        groups=tuple(row["groups"]),
        created_at=row["created_at"],
        revoked_at=row["revoked_at"],
    )
