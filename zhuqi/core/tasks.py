"""Core's periodic jobs, run by the task queue (core.schedules)."""

import logging

from . import idempotency, personal
from .schedules import Periodic

logger = logging.getLogger("zhuqi.worker")


def idempotency_purge() -> int:
    return idempotency.idempotency_purge()


def personal_data_purge() -> dict:
    anonymised = personal.personal_data_purge()
    if any(anonymised.values()):
        logger.info("personal data past its keeping period anonymised: %s", anonymised)
    return anonymised


SCHEDULES = [Periodic(idempotency_purge, minutes=60), Periodic(personal_data_purge, minutes=24 * 60)]
