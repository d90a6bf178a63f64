"""The grid members' patrols over the last two weeks, for the demo zone (registered in apps.py)."""

import datetime
import random

from django.utils import timezone

from zhuqi.org.models import Grid

from .models import Patrol


def load_demo_patrols(*, seed: int = 2024, today: datetime.date | None = None) -> int:
    rng = random.Random(seed + 7)
    today = today or timezone.localdate()
    patrols = []
    for grid in Grid.objects.exclude(member=None).select_related("member").order_by("pk")[:8]:
        for back in range(1, 15, 2):
            day = today - datetime.timedelta(days=back)
            start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(rng.choice([8, 9, 14, 15]),
                                                                                     rng.randint(0, 59))))  # fmt: skip
            patrols.append(Patrol(grid=grid, member=grid.member, started_at=start,
                                  ended_at=start + datetime.timedelta(minutes=rng.randint(40, 120)),
                                  notes=rng.choice(["巡查正常", "发现问题已上报", "劝离流动摊贩 2 处"])))  # fmt: skip
    Patrol.objects.bulk_create(patrols)
    return len(patrols)
