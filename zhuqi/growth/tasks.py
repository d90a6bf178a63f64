"""The growth pipeline's periodic job (registered in apps.py): expiry and annual report reminders, once each."""

import logging

from . import services

logger = logging.getLogger("zhuqi.worker")


def growth_remind() -> dict:
    done = services.reminders_send()
    if any(done.values()):
        logger.info("growth: %s", done)
    return done
