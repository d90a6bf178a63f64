"""The outbox's delivery, queued when a message is written and run every minute for the retries
(core.schedules)."""

from . import outbox


def outbox_deliver() -> dict:
    return outbox.outbox_deliver()
