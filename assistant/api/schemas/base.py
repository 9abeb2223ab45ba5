"""Shared pieces of the request and response schemas."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints


class Request(BaseModel):
    """Base of every request body: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class Response(BaseModel):
    model_config = ConfigDict(extra="forbid")


# Ids the service issues are hex (uuid4().hex) or uuid strings; anything else cannot exist.
Id = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


class Problem(Response):
    """The body of every error: ``detail`` for people, ``errors`` per field for 422."""

    detail: str
    trace_id: str | None = None
    errors: list[FieldError] | None = None


class FieldError(Response):
    field: str = Field(description="Dotted path to the field, e.g. body.message.")
    message: str
    type: str


Problem.model_rebuild()
