"""The indicators' work for the task queue (django-q2): recomputing computed indicators once their inputs change."""

import logging

logger = logging.getLogger("zhuqi.worker")


def computed_refresh(enterprise_ids: list[int], period: str, codes: list[str] | None = None) -> int:
    from .computed import computed_record

    added = computed_record(enterprise_ids=enterprise_ids, period=period, codes=codes)
    if added:
        logger.info("indicators: %d computed values recorded for %s", added, period)
    return added
