"""Hand-built records of every module the cockpit reads, in counts the tests choose and can add to."""

import datetime
from decimal import Decimal
from itertools import count

from django.utils import timezone

from zhuqi.cases.models import Category, Rating, Result, Source
from zhuqi.cases.tests.factories import CaseFactory
from zhuqi.cases.workflow import Status
from zhuqi.grids.models import INCIDENT_KIND
from zhuqi.growth.models import StageKind
from zhuqi.growth.services import stage_grant
from zhuqi.monitoring.models import Alarm, AlarmLevel, AlarmStatus, MonitoringPoint, Quantity
from zhuqi.policies.models import Category as PolicyCategory
from zhuqi.policies.models import Mode, Policy, PolicyPayment

_n = count(1)


def incident_category(zone):
    return Category.objects.get_or_create(kind=INCIDENT_KIND, name="占道经营",
                                          defaults={"department": zone.users["department"].department,
                                                    "deadline_workdays": 3})[0]  # fmt: skip


def cases(zone, *, open_=0, overdue=0, on_time=0, late=0, satisfied=0, dissatisfied=0):
    """Demands of this year: open ones (within their time), overdue ones (running past their deadline), closed on
    time or late; `satisfied`/`dissatisfied` among the closed on time are rated so."""
    today = timezone.localdate()
    department = zone.users["department"].department
    base = {
        "enterprise": zone.enterprise_a,
        "park": zone.park_a,
        "lead_department": department,
        "reporter": zone.users["enterprise_a"],
        "deadline": today,
    }
    for _ in range(open_):
        CaseFactory(**base | {"deadline": today + datetime.timedelta(days=10)}, status=Status.IN_PROGRESS)
    for _ in range(overdue):
        CaseFactory(**base | {"deadline": today - datetime.timedelta(days=2)}, status=Status.IN_PROGRESS)
    ratings = [Rating.SATISFIED] * satisfied + [Rating.DISSATISFIED] * dissatisfied
    for n in range(on_time):
        CaseFactory(**base, status=Status.RATED if n < len(ratings) else Status.CLOSED, closed_on_time=True,
                    result=Result.SOLVED, rating=ratings[n] if n < len(ratings) else "", handling_workdays=3,
                    closed_at=timezone.now())  # fmt: skip
    for _ in range(late):
        CaseFactory(**base, status=Status.CLOSED, closed_on_time=False, result=Result.SOLVED, handling_workdays=9,
                    closed_at=timezone.now())  # fmt: skip


def incidents(zone, grid, n, *, closed=0):
    category = incident_category(zone)
    for i in range(n + closed):
        CaseFactory(category=category, grid=grid, source=Source.PATROL, lead_department=category.department,
                    reporter=zone.users["grid_a"], deadline=timezone.localdate() + datetime.timedelta(days=3),
                    status=Status.CLOSED if i >= n else Status.IN_PROGRESS, latitude=Decimal("33.7651"),
                    longitude=Decimal("113.2352"))  # fmt: skip


def alarms(zone, *, levels=(), acknowledged=0, late=0):
    """An open alarm at each of `levels` (triggered, to be acknowledged within the hour), `acknowledged` more
    acknowledged, `late` more past their time to be acknowledged, and one cleared that no longer counts."""
    now = timezone.now()
    made = [(level, AlarmStatus.TRIGGERED, now + datetime.timedelta(hours=1)) for level in levels]
    made += [(AlarmLevel.HIGH, AlarmStatus.ACKNOWLEDGED, now) for _ in range(acknowledged)]
    made += [(AlarmLevel.HIGH, AlarmStatus.TRIGGERED, now - datetime.timedelta(minutes=5)) for _ in range(late)]
    made += [(AlarmLevel.LOW, AlarmStatus.CLEARED, now)]
    for level, status, ack_by in made:
        point = MonitoringPoint.objects.create(enterprise=zone.enterprise_a, code=f"PT-{next(_n)}", name="储罐液位",
                                               quantity=Quantity.TANK_LEVEL, unit="%", last_at=now,
                                               last_value=50)  # fmt: skip
        Alarm.objects.create(point=point, enterprise=zone.enterprise_a, level=level, status=status,
                             triggered_at=now - datetime.timedelta(minutes=10), acknowledge_by=ack_by)  # fmt: skip


def payments(zone, amounts, *, automatic=(), year=None):
    year = year or timezone.localdate().year
    policy = Policy.objects.create(title=f"高新技术企业认定奖励 {next(_n)}", issuer="高新区管委会",
                                   category=PolicyCategory.FUNDS, mode=Mode.AUTOMATIC, summary="首次认定奖励",
                                   valid_from=datetime.date(year - 1, 1, 1))  # fmt: skip
    day = datetime.date(year, 1, 15)
    for n, amount in enumerate(amounts):
        PolicyPayment.objects.create(policy=policy, enterprise=zone.enterprise_a if n % 2 else zone.enterprise_b,
                                     amount=Decimal(amount), paid_on=day, started_on=day,
                                     automatic=n in automatic)  # fmt: skip


def stages(firms, kind=StageKind.HIGH_TECH, on=None):
    on = on or timezone.localdate()
    for firm in firms:
        stage_grant(
            by=None,
            enterprise=firm,
            kind=kind,
            granted_on=on,
            number=f"GR{next(_n):06d}",
            plan="辅导研发费用归集" if kind == StageKind.POOL else "",
        )
