"""The cases' periodic jobs, run by the task queue (core.schedules)."""

import logging

from zhuqi.core.schedules import Periodic

from . import services

logger = logging.getLogger("zhuqi.worker")


def reminders_send() -> int:
    sent = services.reminders_send()
    if sent:
        logger.info("sent %d reminders", sent)
    return sent


SCHEDULES = [Periodic(reminders_send, minutes=5)]
