"""The cases' periodic jobs, run by the task queue (core.schedules; registered with their timing in apps.py)."""

import logging

from . import services

logger = logging.getLogger("zhuqi.worker")


def reminders_send() -> int:
    sent = services.reminders_send()
    if sent:
        logger.info("sent %d reminders", sent)
    return sent
