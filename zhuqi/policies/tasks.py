"""The policies' jobs, run by the task queue: a policy created or revised is matched against every firm (queued by
the service, core.background); firms whose recorded data changed since their last match are matched again every
ten minutes; the whole zone once a day (the counted facts — a hazard closed, a certificate granted — move without a
recorded value)."""

import logging

from django.db.models import Max

from zhuqi.indicators.models import IndicatorValue

from . import matching
from .models import Match

logger = logging.getLogger("zhuqi.worker")


def matches_refresh_changed() -> int:
    since = Match.objects.aggregate(at=Max("matched_at"))["at"]
    if since is None:
        return 0
    changed = list(IndicatorValue.objects.filter(recorded_at__gt=since).values_list("enterprise_id", flat=True)
                   .distinct())  # fmt: skip
    if not changed:
        return 0
    stored = matching.match_run(enterprise_ids=changed)
    logger.info("policies: re-matched %d firms whose data changed (%d pairs)", len(changed), stored)
    return stored


def matches_refresh_all() -> int:
    stored = matching.match_run()
    logger.info("policies: re-matched the zone (%d pairs)", stored)
    return stored
