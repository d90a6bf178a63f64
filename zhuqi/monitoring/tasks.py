"""Risk monitoring's periodic jobs, run by the task queue (core.schedules; registered with their timing in apps.py); the ingester sweeps as well, between
messages."""

import logging

from . import housekeeping as readings
from . import services

logger = logging.getLogger("zhuqi.worker")


def alarms_sweep() -> dict:
    swept = services.alarms_sweep()
    if any(swept.values()):
        logger.info("monitoring sweep: %s", swept)
    return swept


def housekeeping() -> dict:
    kept = readings.housekeeping()
    if any(kept.values()):
        logger.info("readings housekeeping: %s", kept)
    return kept
