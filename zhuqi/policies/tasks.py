"""The policies' jobs, run by the task queue: a policy created or revised is matched against every firm (queued by
the service, core.background); firms whose recorded data changed since their last match are matched again every
ten minutes; the whole zone once a day (the counted facts — a hazard closed, a certificate granted — move without a
recorded value)."""

import datetime
import logging

from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from zhuqi.indicators.models import IndicatorValue

from . import matching
from .models import Match

logger = logging.getLogger("zhuqi.worker")


def matches_refresh_changed() -> int:
    """The firms with a value recorded after their own last match (within the day: the daily run covers the rest)."""
    last_match = (
        Match.objects.filter(enterprise_id=OuterRef("enterprise_id")).order_by("matched_at").values("matched_at")[:1]
    )
    changed = list(
        IndicatorValue.objects.filter(recorded_at__gte=timezone.now() - datetime.timedelta(days=1))
        .annotate(last_match=Subquery(last_match))
        .filter(last_match__isnull=False, recorded_at__gt=F("last_match"))
        .values_list("enterprise_id", flat=True)
        .distinct()
    )
    if not changed:
        return 0
    stored = matching.match_run(enterprise_ids=changed)
    logger.info("policies: re-matched %d firms whose data changed (%d pairs)", len(changed), stored)
    return stored


def matches_refresh_all() -> int:
    stored = matching.match_run()
    logger.info("policies: re-matched the zone (%d pairs)", stored)
    return stored
