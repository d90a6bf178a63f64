"""Accounts' periodic jobs, run by the task queue (core.schedules)."""

import logging

from zhuqi.core.schedules import Periodic

from . import services

logger = logging.getLogger("zhuqi.worker")


def accounts_disable_idle() -> int:
    disabled = services.accounts_disable_idle()
    if disabled:
        logger.info("disabled %d idle accounts", disabled)
    return disabled


SCHEDULES = [Periodic(accounts_disable_idle, minutes=60)]
