"""The dispatch's periodic job, run by the task queue (core.schedules; registered with its timing in apps.py)."""

import logging

from . import services

logger = logging.getLogger("zhuqi.worker")


def reminders_send() -> int:
    sent = services.reminders_send()
    if sent:
        logger.info("dispatch: reminded %d firms that had not reported by the cut-off", sent)
    return sent
