"""The demo zone's Spring Festival 2024 dispatch (registered in apps.py): the zone's above-scale firms reporting
each morning after the holiday, the resumption rate rising to 100% as the zone's newspaper reported it on
19 February 2024 ("70 余家规模以上工业企业陆续复工复产，企业复工率达 100%，企业综合产能已接近正常水平").
The reports themselves are generated and marked as demo data (the period's is_demo)."""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from zhuqi.org.models import Role, User

from .figures import report_figures_record
from .models import DailyReport, DispatchPeriod, OperatingStatus, PeriodKind, PeriodStatus
from .services import period_create, period_open

NAME = "2024年春节后复工复产每日调度"
FIRST_DAY, LAST_DAY = datetime.date(2024, 2, 15), datetime.date(2024, 2, 23)  # 初六 to the week after
# share of the firms working by each day: the continuous producers first, everyone back by the 19th (reported)
RESUMED_BY = [0.26, 0.37, 0.58, 0.92, 1.0, 1.0, 1.0, 1.0, 1.0]
PROBLEMS = [
    "节后返岗工人不足，急需招聘普工约 30 名",
    "原材料运输车辆进园受限，到货延迟",
    "复产前设备检修需要供电部门配合停送电",
    "新订单增加，流动资金紧张，希望对接银行贷款",
]


def _at(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def load_demo_dispatch(*, seed: int = 2024) -> int:
    rng = random.Random(seed + 16)
    coordinator = User.objects.filter(role=Role.ZONE_COORDINATOR, is_active=True).order_by("pk").first()
    if coordinator is None:
        return 0
    period = period_create(by=coordinator, name=NAME, kind=PeriodKind.RESUMPTION, starts_on=FIRST_DAY,
                           ends_on=LAST_DAY, cutoff=datetime.time(9, 0), scale="above")  # fmt: skip
    period = period_open(by=coordinator, period=period)
    DispatchPeriod.objects.filter(pk=period.pk).update(
        status=PeriodStatus.CLOSED, is_demo=True, opened_at=_at(FIRST_DAY - datetime.timedelta(days=2), 17, 0),
        closed_at=_at(LAST_DAY, 18, 0),
    )  # fmt: skip
    targets = list(period.targets.select_related("enterprise__service_officer").order_by("pk"))
    accounts = dict(User.objects.filter(role=Role.ENTERPRISE_CONTACT, enterprise__isnull=False, is_active=True)
                    .values_list("enterprise_id", "pk"))  # fmt: skip
    order = targets[:]
    rng.shuffle(order)
    first_working = {}
    for rank, target in enumerate(order):
        share = (rank + 1) / len(order)
        first_working[target.pk] = next(i for i, resumed in enumerate(RESUMED_BY) if resumed >= share)
    reports = []
    for target in targets:
        staff = target.usual_staff or rng.randint(300, 1500)
        normal = Decimal(staff * rng.uniform(0.03, 0.08)).quantize(Decimal("0.01"))
        reporter = accounts.get(target.enterprise_id) or target.enterprise.service_officer_id or coordinator.pk
        for index, day in enumerate(period.days()):
            since = index - first_working[target.pk]
            if since < 0:
                status, on_duty, rate = OperatingStatus.STOPPED, rng.randint(2, 8), Decimal(0)
            elif since == 0:
                status = OperatingStatus.PARTIAL
                on_duty, rate = int(staff * rng.uniform(0.55, 0.8)), Decimal(rng.randint(45, 70))
            else:
                status = OperatingStatus.NORMAL if since > 1 or rng.random() < 0.5 else OperatingStatus.PARTIAL
                back = min(0.99, 0.86 + 0.03 * since + rng.uniform(-0.03, 0.02))
                on_duty, rate = int(staff * back), Decimal(min(100, 78 + 4 * since + rng.randint(-4, 4)))
            late = rng.random() < 0.04
            reports.append(DailyReport(
                target=target, enterprise_id=target.enterprise_id, day=day, operating_status=status,
                staff_on_duty=min(on_duty, staff), staff_planned=staff, normal_output=normal, capacity_utilisation=rate,
                output_value=(normal * rate / 100).quantize(Decimal("0.01")), output_given=False,
                problems=rng.choice(PROBLEMS) if since in (0, 1) and rng.random() < 0.08 else "",
                reported_by_id=reporter, is_late=late,
                reported_at=_at(day, 9 if late else 8, rng.randint(20, 55) if late else rng.randint(0, 55)),
            ))  # fmt: skip
    DailyReport.objects.bulk_create(reports, batch_size=500)
    # each report's figures as the firm's indicator values of its day, as report_submit records them
    for report in DailyReport.objects.filter(target__period=period).select_related("enterprise", "target"):
        report_figures_record(report=report, by=None)
    return len(reports)
