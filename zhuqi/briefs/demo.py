"""The demo's briefs (registered in apps.py, loaded after the assessment whose scores the bulletin reads): last
month's assessment bulletin issued by the zone office, and 应急管理局's work brief of the last two weeks still a draft
for the bureau to edit."""

import datetime

from django.utils import timezone

from zhuqi.org.models import User

from . import selectors, services
from .models import Brief, BriefKind


def _previous_month(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    end = today.replace(day=1) - datetime.timedelta(days=1)
    return end.replace(day=1), end


def load_demo_briefs(*, seed: int = 2024, today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    if Brief.objects.exists():
        return 0
    count = 0
    office = User.objects.filter(username="zone").first()
    if office is not None and selectors.unit_of(office, "zone") is not None:
        start, end = _previous_month(today)
        bulletin = services.brief_draft(kind=BriefKind.BULLETIN, unit_key="zone", start=start, end=end, by=office)
        services.brief_issue(brief=bulletin, by=office)
        count += 1
    bureau = User.objects.filter(username="yingji").first()
    if bureau is not None and bureau.department_id:
        key = f"department:{bureau.department_id}"
        if selectors.unit_of(bureau, key) is not None:
            services.brief_draft(kind=BriefKind.WEEKLY, unit_key=key, start=today - datetime.timedelta(days=14),
                                 end=today - datetime.timedelta(days=1), by=bureau)  # fmt: skip
            count += 1
    return count
