"""POST /v1/feedback: thumbs up or down on one of your own answers."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from assistant.api.deps import Advisor, State
from assistant.api.routes.chat import _ERRORS
from assistant.api.schemas.feedback import FeedbackCreate, FeedbackOut
from assistant.governance import mask_personal_data
from assistant.keys import Principal

router = APIRouter(prefix="/v1", tags=["feedback"])


def _add(state: State, principal: Principal, body: FeedbackCreate) -> FeedbackOut:
    state.audit.find_own(body.trace_id, principal.id)  # 404 for other keys' traces
    comment = mask_personal_data(body.comment).text if body.comment else None
    feedback_id = state.audit.add_feedback(body.trace_id, principal.id, body.rating, comment)
    return FeedbackOut(id=feedback_id, trace_id=body.trace_id, rating=body.rating)


@router.post("/feedback", status_code=201, response_model=FeedbackOut, responses=_ERRORS)
async def feedback(body: FeedbackCreate, principal: Advisor, state: State) -> FeedbackOut:
    """Rate an answer by its trace id; the comment is masked like questions are."""
    return await run_in_threadpool(_add, state, principal, body)
