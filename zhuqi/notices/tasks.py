"""The notices' periodic job, run by the task queue (registered with its timing in apps.py)."""

import logging

from . import services

logger = logging.getLogger("zhuqi.worker")


def notices_remind() -> dict:
    done = services.notices_remind()
    if any(done.values()):
        logger.info("notices: %s", done)
    return done
