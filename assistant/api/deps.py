"""Request dependencies: the service state, the calling principal, role checks, rate limit."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from assistant.api.ratelimit import retry_after
from assistant.api.state import ServiceState
from assistant.keys import Principal, Role
from assistant.pipeline import User
from core.errors import NotFoundError

_bearer = HTTPBearer(auto_error=False, description="An API key: `researchdesk keys create`.")


def get_state(request: Request) -> ServiceState:
    state: ServiceState = request.app.state.service
    return state


State = Annotated[ServiceState, Depends(get_state)]

_UNAUTHORIZED = {"WWW-Authenticate": "Bearer"}


async def get_principal(
    request: Request,
    state: State,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """401 without a valid key, 429 when the key's bucket is empty."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "missing API key: send Authorization: Bearer <key>",
            headers=_UNAUTHORIZED,
        )
    # Guessing keys: an address that sent too many invalid ones waits, whatever it sends.
    address = request.client.host if request.client else "unknown"
    blocked = state.auth_failures.peek(address)
    if blocked > 0:
        state.metrics.rate_limited.inc()
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            "too many invalid API keys from this address; retry later",
            headers={"Retry-After": retry_after(blocked)},
        )
    try:
        principal = await run_in_threadpool(state.keys.verify, credentials.credentials)
    except NotFoundError:
        state.auth_failures.take(address)
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, "unknown or revoked API key", headers=_UNAUTHORIZED
        ) from None
    wait = state.limiter.take(principal.id)
    if wait > 0:
        state.metrics.rate_limited.inc()
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            "rate limit exceeded for this API key; retry later",
            headers={"Retry-After": retry_after(wait)},
        )
    request.state.principal = principal
    return principal


def require(*roles: Role) -> Callable[..., Coroutine[Any, Any, Principal]]:
    """A dependency admitting principals holding any of ``roles`` (403 otherwise)."""

    async def check(principal: Annotated[Principal, Depends(get_principal)]) -> Principal:
        if not any(principal.has(role) for role in roles):
            raise HTTPException(
                status.HTTP_403_FORBIDDEN, f"this needs the {' or '.join(roles)} role"
            )
        return principal

    return check


Advisor = Annotated[Principal, Depends(require("advisor"))]
Reader = Annotated[Principal, Depends(require("advisor", "data", "reviewer", "admin"))]
DataTeam = Annotated[Principal, Depends(require("data"))]
Reviewer = Annotated[Principal, Depends(require("reviewer"))]
Admin = Annotated[Principal, Depends(require("admin"))]


def user_of(principal: Principal) -> User:
    """The pipeline's view of a caller; groups are always a tuple, never None (no bypass)."""
    return User(id=principal.id, groups=tuple(principal.groups), roles=tuple(principal.roles))
