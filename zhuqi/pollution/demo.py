"""The demo zone's 45 key environmental firms (重点排污单位, as the zone's seeds count them) on the reduction list,
with the 神马 chemical firms among them, grades spread as a chemical-industry zone's are (few A, most B and C),
their lines and normal emissions, and two past alerts — an orange one in January 2024 and a red one in
December 2023 — with check-ins, spot checks, one non-compliance case and the reports. Firms, figures and people
are generated and marked as demo data (the enterprises' is_demo); the measures are the guide's defaults."""

import datetime
import random
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from zhuqi.enterprises.models import Enterprise
from zhuqi.org.models import Department, Role, User

from . import measures, rules, services
from .lists import REGISTRY_GRADE
from .models import (
    BUREAU,
    AlertTask,
    EmissionSource,
    Grade,
    GradeRecord,
    Level,
    PollutionFirm,
    Sector,
    SourceKind,
    SpotCheck,
    SpotResult,
)  # fmt: skip

FIRMS = 45
SHENMA = ["河南神马尼龙化工有限责任公司", "河南神马氯碱发展有限责任公司", "平顶山神马工程塑料有限责任公司",
          "平顶山市神鹰化工科技有限公司"]  # fmt: skip
SECTOR_OF = {"河南神马尼龙化工有限责任公司": Sector.NYLON, "河南神马氯碱发展有限责任公司": Sector.CHLOR_ALKALI,
             "平顶山神马工程塑料有限责任公司": Sector.PLASTICS, "平顶山市神鹰化工科技有限公司": Sector.CHEMICAL}  # fmt: skip
GRADES = [Grade.A] * 3 + [Grade.LEADING] * 1 + [Grade.B] * 12 + [Grade.B_MINUS] * 6 + [Grade.C] * 17 + [Grade.D] * 6
SECTORS = [Sector.NYLON, Sector.CHEMICAL, Sector.PLASTICS, Sector.COATING, Sector.FOUNDRY, Sector.CARBON,
           Sector.CHEMICAL, Sector.COATING]  # fmt: skip
DOCUMENT = "平环攻坚办〔2023〕12号"
PAST = [  # level, issuing document, first day, days
    (Level.RED, "平顶山市重污染天气应急指挥部〔2023〕红色预警第1号", datetime.date(2023, 12, 20), 3),
    (Level.ORANGE, "平顶山市重污染天气应急指挥部〔2024〕橙色预警第2号", datetime.date(2024, 1, 16), 2),
]


def _at(day, hour):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _bureau_user() -> User | None:
    department = Department.objects.filter(name=BUREAU).first()
    if department is None:
        return None
    user = User.objects.filter(username="huanbao").first()
    if user is None:
        from zhuqi.enterprises.demo.loader import DEMO_PASSWORD

        user = User.objects.create(username="huanbao", full_name="陈环保", role=Role.DEPARTMENT_HANDLER,
                                   department=department, password=make_password(DEMO_PASSWORD))  # fmt: skip
    return user


def _firms(rng) -> list[Enterprise]:
    chosen = list(Enterprise.objects.filter(name__in=SHENMA).order_by("pk"))
    for qs in (Enterprise.objects.filter(tags__name="环保重点"), Enterprise.objects.filter(tags__name="涉气企业"),
               Enterprise.objects.filter(tags__name="危化企业"), Enterprise.objects.filter(industry="C")):  # fmt: skip
        for e in qs.distinct().order_by("pk"):
            if len(chosen) >= FIRMS:
                return chosen
            if e not in chosen:
                chosen.append(e)
    return chosen


@transaction.atomic
def load_demo_pollution(*, seed: int = 2024) -> int:
    rng = random.Random(seed + 19)
    measures.measures_install()
    rules.rules_install()
    bureau = _bureau_user()
    if bureau is None:
        return 0
    grades = list(GRADES)
    rng.shuffle(grades)
    firms = _firms(rng)
    for i, e in enumerate(firms):
        grade = Grade.B if e.name == "河南神马尼龙化工有限责任公司" else grades[i % len(grades)]
        sector = SECTOR_OF.get(e.name) or (Sector.OTHER if grade == Grade.LEADING else rng.choice(SECTORS))
        capacity = Decimal(rng.choice([80, 120, 200, 300, 500, 800, 1200]))
        lines = rng.randint(1, 4)
        firm = PollutionFirm.objects.create(
            enterprise=e, sector=sector, grade=grade, graded_on=datetime.date(2023, 9, 30), grade_document=DOCUMENT,
            livelihood=i % 15 == 7, approval_capacity=capacity, permit_capacity=capacity * Decimal("0.95"),
            last_year_daily=(capacity * Decimal(rng.uniform(0.7, 0.98))).quantize(Decimal("0.01")),
            normal_load_kw=Decimal(rng.randint(400, 6000)), heavy_trucks=rng.randint(2, 40),
            old_trucks=rng.randint(0, 5))  # fmt: skip
        previous = rng.choice([Grade.C, Grade.B_MINUS, grade])
        GradeRecord.objects.create(enterprise=e, grade=previous, graded_on=datetime.date(2022, 10, 15),
                                   document="平环攻坚办〔2022〕9号", recorded_by=bureau, note="演示数据")  # fmt: skip
        GradeRecord.objects.create(enterprise=e, grade=grade, graded_on=datetime.date(2023, 9, 30), document=DOCUMENT,
                                   recorded_by=bureau, note="演示数据")  # fmt: skip
        Enterprise.objects.filter(pk=e.pk).update(environmental_grade=REGISTRY_GRADE[grade])  # as grade_set keeps it
        for n in range(lines):
            share = Decimal(1) / lines
            EmissionSource.objects.create(
                firm=firm, kind=SourceKind.LINE, name=f"{n + 1}号生产线", daily_capacity=(capacity * share).quantize(Decimal("0.01")),
                so2=Decimal(rng.randint(5, 120)), nox=Decimal(rng.randint(10, 200)), pm=Decimal(rng.randint(2, 60)),
                vocs=Decimal(rng.randint(0, 150) if sector in (Sector.COATING, Sector.CHEMICAL, Sector.PLASTICS) else rng.randint(0, 20)))  # fmt: skip
        EmissionSource.objects.create(firm=firm, kind=SourceKind.BOILER, name="燃气锅炉", so2=Decimal(rng.randint(1, 10)),
                                      nox=Decimal(rng.randint(5, 40)), pm=Decimal(rng.randint(1, 5)))  # fmt: skip
    shenma = next((e for e in firms if e.name == "河南神马尼龙化工有限责任公司"), None)
    if shenma is not None and not User.objects.filter(username="shenma").exists():
        from zhuqi.enterprises.demo.loader import DEMO_PASSWORD

        User.objects.create(username="shenma", full_name="马联络", role=Role.ENTERPRISE_CONTACT, enterprise=shenma,
                            password=make_password(DEMO_PASSWORD))  # fmt: skip
    zone = User.objects.filter(role=Role.ZONE_COORDINATOR, is_active=True).order_by("pk").first() or bureau
    case_done = False
    for level, document, first, days in PAST:
        alert = services.alert_issue(by=bureau, level=level, document=document, starts_at=_at(first, 12),
                                     ends_at=_at(first + datetime.timedelta(days=days), 12), now=_at(first, 9))  # fmt: skip
        alert = services.alert_act(alert=alert, action="activate", by=bureau, now=_at(first, 10))
        tasks = list(alert.tasks.select_related("enterprise"))
        late = {t.pk for t in tasks if rng.random() < 0.07}
        AlertTask.objects.filter(alert=alert).exclude(pk__in=late).update(
            confirmed_at=_at(first, 11), confirmed_by=bureau
        )
        AlertTask.objects.filter(pk__in=late).update(confirmed_at=_at(first, 14), confirmed_by=bureau)
        for day_n in range(days):
            day = first + datetime.timedelta(days=day_n)
            services.day_open(alert=alert, day=day)
            for task in tasks:
                if rng.random() < 0.08:
                    continue  # did not report that day
                over = rng.random() < 0.06
                output = task.allowed_output * Decimal(rng.uniform(1.05, 1.3) if over else rng.uniform(0.6, 0.98))
                services.checkin_submit(task=task, by=bureau, day=day, now=_at(day, 17), values={
                    "output": output.quantize(Decimal("0.01")), "lines_stopped": services.lines_required(task),
                    "old_trucks_used": 1 if over and task.transport_ban and rng.random() < 0.5 else 0,
                    "note": "按清单落实（演示数据）"})  # fmt: skip
            for spot in SpotCheck.objects.filter(task__alert=alert, day=day, result=SpotResult.OPEN).select_related(
                "task"
            ):
                bad = spot.task.compliance in ("partial", "not_done") and not case_done
                services.spot_check_record(spot=spot, by=bureau, now=_at(day, 15), result=SpotResult.NON_COMPLIANT if bad else SpotResult.COMPLIANT,
                                           note="现场检查发现2号生产线仍在满负荷运行，未按清单停产（演示数据）" if bad else "生产线停限产到位（演示数据）")  # fmt: skip
                case_done = case_done or bad
        if not case_done and level == Level.ORANGE and tasks:
            services.finding_raise_case(task=tasks[0], by=bureau, evidence="用电负荷与限产不符（演示数据）")
            case_done = True
        services.alert_act(alert=alert, action="lift", by=zone if zone.role == Role.ZONE_COORDINATOR else bureau,
                           note="预警解除", now=_at(first + datetime.timedelta(days=days), 12))  # fmt: skip
    return len(firms)
