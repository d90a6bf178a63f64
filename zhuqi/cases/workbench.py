"""The cases' cards on the 工作台 (registered in apps.py): what waits for me, and an enterprise's recent demands."""

from . import selectors
from .workflow import Status


def queue(user) -> dict:
    waiting = selectors.waiting_for(user=user)
    counts = selectors.status_counts(user=user)
    return {
        "waiting": selectors.with_time_left(waiting[:20]),
        "waiting_count": waiting.count(),
        "status_counts": [(status, counts.get(status.value, 0)) for status in Status],
    }


def recent(user) -> dict:
    return {"recent": selectors.with_time_left(selectors.case_list(user=user)[:10])}
