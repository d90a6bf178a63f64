"""Accounts' periodic jobs, run by the task queue (core.schedules; registered with their timing in apps.py)."""

import logging

from . import services

logger = logging.getLogger("zhuqi.worker")


def accounts_disable_idle() -> int:
    disabled = services.accounts_disable_idle()
    if disabled:
        logger.info("disabled %d idle accounts", disabled)
    return disabled
