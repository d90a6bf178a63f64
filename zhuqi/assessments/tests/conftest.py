"""A hand-worked month (September 2026) over the zone fixture: 应急管理局 (the department) leads the demands and
hazards of 创新创业服务园区 (park A); 电气装备产业园区 (park B) has a firm due visits and a return due, nothing else.

Worked by hand (points per indicator, weights 20/15/10/15/15/10/10/5):
- 按期办结率: 4 demands closed, 3 on time → 75% of the target 95 → 20 × 75/95 = 15.79 (department and park A);
  park B closed none → 100% → 20.
- 满意率: 2 rated, 1 satisfied → 50%, below the lowest band (60) → 0; park B none rated → 100% → 15.
- 督办: 1 督办单 + 1 demand closed late = 2 events × 2 points → 10 − 4 = 6; park B → 10.
- 隐患按期整改率: 2 hazards rectified on time, 1 late → 66.67% of 100 → 15 × 0.6667 = 10.00; park B → 15.
- 走访覆盖率 (parks): park A's one firm with an officer visited → 100% of 30, capped → 15; park B 0 of 1 → 0.
- 告警按时确认率 (parks): park A 2 alarms, 1 acknowledged in time → 50% → 5; park B none → 10.
- 报表按时报送率 (parks): park A 1 return due, submitted in time → 10; park B 1 due, not submitted → 0.
- 政策兑现时长 (departments): 2 payments taking 10 and 20 days → 15 days → the band ≤15 → 5.
Totals: department 15.79 + 0 + 6 + 10 + 5 = 36.79; park A 15.79 + 0 + 6 + 10 + 15 + 5 + 10 = 61.79;
park B 20 + 15 + 10 + 15 + 0 + 10 + 0 = 70."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from zhuqi.assessments.install import indicators_ensure
from zhuqi.cases.models import Rating, SupervisionNotice
from zhuqi.cases.tests.factories import CaseFactory, CategoryFactory
from zhuqi.cases.workflow import Status
from zhuqi.enterprises.tests.factories import VisitFactory
from zhuqi.inspections.models import HAZARD_KIND
from zhuqi.monitoring.models import Alarm, AlarmLevel, MonitoringPoint, Quantity
from zhuqi.policies.models import Category as PolicyCategory
from zhuqi.policies.models import Policy, PolicyPayment
from zhuqi.reporting.definitions import torch_install
from zhuqi.reporting.models import Return
from zhuqi.reporting.services import campaign_create

YEAR, MONTH = 2026, 9


def at(day: int, hour: int = 10, month: int = MONTH) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(YEAR, month, day, hour))


def day(d: int, month: int = MONTH) -> datetime.date:
    return datetime.date(YEAR, month, d)


@pytest.fixture
def september(zone):
    indicators_ensure()
    office = zone.users["coordinator"]
    department = zone.users["department"].department
    demand = CategoryFactory(name="安全生产", department=department)
    hazard = CategoryFactory(kind=HAZARD_KIND, name="一般隐患", department=department)
    common = {"lead_department": department, "park": zone.park_a, "enterprise": zone.enterprise_a, "reporter": zone.users["enterprise_a"],
              "assigned_on": day(1), "deadline": day(20), "status": Status.CLOSED}  # fmt: skip
    late = None
    for n, (on_time, rating) in enumerate([(True, Rating.SATISFIED), (True, Rating.DISSATISFIED), (True, ""),
                                           (False, "")]):  # fmt: skip
        case = CaseFactory(category=demand, closed_on_time=on_time, rating=rating, created_at=at(2 + n), **common)
        late = case if not on_time else late
    for n, on_time in enumerate([True, True, False]):
        CaseFactory(category=hazard, closed_on_time=on_time, created_at=at(10 + n), **common)
    SupervisionNotice.objects.create(number="督2026-001", case=late, department=department, requirement="限期办结",
                                     reply_due=day(25), issued_by=office, issued_at=at(21))  # fmt: skip
    visit = VisitFactory(enterprise=zone.enterprise_a, visited_on=day(8), recorded_by=zone.users["officer_a"])
    visit.officers.add(zone.users["officer_a"])
    for n, acknowledged in enumerate([at(5, 10), at(6, 12)]):  # one in time, one an hour late
        point = MonitoringPoint.objects.create(enterprise=zone.enterprise_a, code=f"LT-{n}", name=f"{n}号储罐液位",
                                               quantity=Quantity.TANK_LEVEL, unit="%", high_limit=80)  # fmt: skip
        Alarm.objects.create(point=point, enterprise=zone.enterprise_a, level=AlarmLevel.HIGH, triggered_at=at(5 + n),
                             acknowledge_by=at(5 + n, 11), acknowledged_at=acknowledged)  # fmt: skip
    campaign = campaign_create(
        version=torch_install(), period="2025", title="2025 年火炬统计年报", opens_on=day(1), due_on=day(30),
        closes_on=datetime.date(2026, 10, 15), by=office, enterprise_ids=[zone.enterprise_a.pk, zone.enterprise_b.pk],
    )  # fmt: skip
    Return.objects.filter(campaign=campaign, enterprise=zone.enterprise_a).update(submitted_at=at(28))
    policy = Policy.objects.create(
        title="规上工业企业奖励",
        issuer="经济发展局",
        department=department,
        category=PolicyCategory.FUNDS,
        summary="奖励",
        valid_from=datetime.date(2026, 1, 1),
    )
    for firm, started, paid in ((zone.enterprise_a, day(1), day(11)), (zone.enterprise_b, day(5), day(25))):
        PolicyPayment.objects.create(policy=policy, enterprise=firm, amount=Decimal("10000"), paid_on=paid,
                                     started_on=started)  # fmt: skip
    return {"department": f"department:{department.pk}", "park_a": f"park:{zone.park_a.pk}",
            "park_b": f"park:{zone.park_b.pk}", "demand": demand, "common": common}  # fmt: skip
