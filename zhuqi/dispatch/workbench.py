"""The dispatch's 工作台 cards (registered in apps.py): the firm's report for today, the service officer's firms
that have not reported by the cut-off, the zone's progress of the day."""

from django.utils import timezone

from zhuqi.org.models import Role

from . import selectors
from .models import DailyReport


def card(user) -> dict | None:
    now = timezone.localtime()
    day = now.date()
    if user.role == Role.PARK_OFFICER:
        missing = selectors.missing_for_officer(officer=user, now=now)
        return {"dispatch_card": {"missing": missing, "day": day}} if missing else None
    targets = list(selectors.open_targets_of(user=user, day=day))
    if not targets:
        return None
    if user.role == Role.ENTERPRISE_CONTACT:
        done = set(DailyReport.objects.filter(target__in=targets, day=day).values_list("target_id", flat=True))
        mine = [(t, t.pk in done, now.time() > t.period.cutoff) for t in targets]
        return {"dispatch_card": {"mine": mine, "day": day}}
    if user.role == Role.ZONE_COORDINATOR:
        periods = {t.period for t in targets}
        shown = [
            (p, selectors.period_figures(user=user, period=p, day=day)["zone"])
            for p in sorted(periods, key=lambda p: p.pk)
        ]
        return {"dispatch_card": {"periods": shown, "day": day}}
    return None
