"""POST /v1/feedback."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from assistant.api.schemas.base import Id, Request, Response


class FeedbackCreate(Request):
    trace_id: Id = Field(description="The trace id of one of your answers.")
    rating: Literal["up", "down"]
    comment: Annotated[str, StringConstraints(max_length=2000)] | None = None


class FeedbackOut(Response):
    id: int
    trace_id: str
    rating: str
