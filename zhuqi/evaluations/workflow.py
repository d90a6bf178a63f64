"""The yearly run's workflow as one transition table: action → (from statuses, to status)."""

from .models import RunStatus

S = RunStatus

TRANSITIONS = {
    "score": ({S.DRAFT}, S.DRAFT),
    "publish_draft": ({S.DRAFT}, S.OBJECTIONS),
    "object": ({S.OBJECTIONS}, S.OBJECTIONS),
    "decide": ({S.OBJECTIONS}, S.OBJECTIONS),
    "finalise": ({S.OBJECTIONS}, S.FINAL),
}


def allowed(action: str, status: str) -> bool:
    return status in TRANSITIONS[action][0]


def target(action: str) -> str:
    return TRANSITIONS[action][1]
