"""Demo inspections: the checks the newspaper pages report — the 2024 post-holiday campaign of 应急管理局 (3 teams,
9 people, 48 person-times out, 49 enterprise inspections; 24 hazards, all rectified), its visits to 巨高嘉业 and
宁科商贸, the 2021-02-12 checks at the three 神马 plants — the urban-management Spring Festival incidents, and
generated history; risk points and the chain of responsible officials for the hazardous-chemical firms; grid
outlines for the map."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from zhuqi.cases.demo import _Workdays
from zhuqi.cases.figures import rollup_rebuild
from zhuqi.cases.models import Case, CaseEvent, Category, Result
from zhuqi.cases.workflow import Status
from zhuqi.enterprises.demo.loader import _demo_hash, _person, _phone
from zhuqi.enterprises.models import Enterprise, TimelineEntry
from zhuqi.org.models import Department, Grid, Role, User

from .models import (
    TIMELINE_KIND,
    Answer,
    Campaign,
    CampaignTarget,
    CampaignTeam,
    Checklist,
    ChecklistItem,
    ChecklistVersion,
    Hazard,
    HazardGrade,
    Inspection,
    InspectionType,
    Outcome,
    ResponsibleOfficial,
    RiskLevel,
    RiskPoint,
    Severity,
    Tier,
)
from .services import PROPOSED

# (name, department, working days to rectify)
HAZARD_CATEGORIES = [
    ("安全生产隐患", "应急管理局", 10),
    ("危化品安全隐患", "应急管理局", 10),
    ("消防安全隐患", "消防救援大队", 10),
    ("燃气安全隐患", "城市管理和综合执法局", 5),
    ("环保隐患", "城乡建设和生态环境局", 15),
]

G, S, M = Severity.GENERAL, Severity.SERIOUS, Severity.MAJOR
# (name, type, department, hazard category, items: (section, text, legal basis, severity))
CHECKLISTS = [
    (
        "节后复工复产安全检查表",
        InspectionType.RESUMPTION,
        "应急管理局",
        "安全生产隐患",
        [
            (
                "复工准备",
                "落实节后复工“六个一”：开展一次安全培训、一次隐患排查、一次设备检修等",
                "《中华人民共和国安全生产法》第二十八条",
                G,
            ),
            (
                "动火作业",
                "动火作业办理作业票，现场有监护人和灭火器材",
                "GB 30871-2022《危险化学品企业特殊作业安全规范》",
                S,
            ),
            (
                "用电安全",
                "配电箱完好，无私拉乱接电线，漏电保护有效",
                "GB 50194-2014《建设工程施工现场供用电安全规范》",
                G,
            ),
            ("消防通道", "消防通道、安全出口畅通，无堆物占用", "《中华人民共和国消防法》第二十八条", S),
            ("消防器材", "灭火器、消火栓完好有效，在检验期内", "《中华人民共和国消防法》第十六条", G),
            (
                "仓储管理",
                "仓储物品分类堆放，与灯具、电气设备保持安全距离",
                "GB 15603-2022《危险化学品仓库储存通则》",
                G,
            ),
            ("应急管理", "应急预案已修订并组织复工前演练", "《生产安全事故应急条例》第五条", G),
            ("特种设备", "特种设备在检验有效期内，作业人员持证上岗", "《中华人民共和国特种设备安全法》第十四条", S),
        ],
    ),
    (
        "危险化学品企业安全检查表",
        InspectionType.HAZARDOUS_CHEMICALS,
        "应急管理局",
        "危化品安全隐患",
        [
            (
                "重大危险源",
                "重大危险源已登记建档，监测监控系统正常运行",
                "《危险化学品重大危险源监督管理暂行规定》第十三条",
                M,
            ),
            ("储罐区", "储罐区防火堤完好，液位、温度、压力报警联锁投用", "GB 50351-2014《储罐区防火堤设计规范》", M),
            (
                "特殊作业",
                "动火、受限空间等特殊作业票证齐全，作业有监护",
                "GB 30871-2022《危险化学品企业特殊作业安全规范》",
                S,
            ),
            ("装卸作业", "装卸作业有专人监护，静电接地装置完好", "《危险化学品安全管理条例》第二十条", S),
            (
                "人员资质",
                "主要负责人、安全管理人员考核合格，特种作业人员持证",
                "《中华人民共和国安全生产法》第二十七条",
                G,
            ),
            ("应急处置", "应急物资配备齐全，应急预案定期演练", "《生产安全事故应急条例》第八条", G),
            ("值班值守", "节假日领导带班、24小时值班制度落实", "《危险化学品企业安全风险隐患排查治理导则》", G),
        ],
    ),
    (
        "燃气安全检查表",
        InspectionType.GAS,
        "城市管理和综合执法局",
        "燃气安全隐患",
        [
            ("燃气设施", "燃气软管无老化龟裂，长度不超过2米", "《城镇燃气管理条例》第二十八条", S),
            ("报警装置", "餐饮场所安装可燃气体报警器并与切断阀联动", "GB 55009-2021《燃气工程项目规范》", S),
            ("气瓶管理", "液化石油气钢瓶在检验期内，不超量存放", "《城镇燃气管理条例》第二十八条", G),
            ("通风", "用气场所通风良好，无人员住宿", "GB 55009-2021《燃气工程项目规范》", G),
        ],
    ),
]
# the 2023 revision of the hazardous-chemicals list adds the responsibility chain (包保责任制)
CHEMICALS_V2_ITEM = (
    "包保责任",
    "重大危险源包保责任人明确并按期履职检查，记录完整",
    "《危险化学品重大危险源监督管理暂行规定》第十四条",
    S,
)

HAZARD_TEXTS = {
    "节后复工复产安全检查表": "{item}不到位",
    "危险化学品企业安全检查表": "{item}存在问题",
    "燃气安全检查表": "{item}不符合要求",
}
RECTIFY_NOTES = ["已按要求整改完毕，附整改后照片", "已更换并组织员工复训", "已清理完毕并明确专人负责"]
MEASURES = ["立即整改，落实专人负责，整改后拍照留存", "更换老化部件并建立巡检台账", "清理占用物品，划线定置管理"]

RISK_POINTS = [
    ("液氯储罐区", "储运车间", RiskLevel.MAJOR, "中毒窒息、泄漏", "液位压力报警联锁、应急吸收装置、24小时视频监控"),
    ("氢气压缩机房", "合成车间", RiskLevel.HIGH, "火灾、爆炸", "可燃气体检测报警、防爆电气、静电接地"),
    ("装卸作业区", "储运车间", RiskLevel.MODERATE, "车辆伤害、泄漏", "装卸专人监护、鹤管静电接地"),
    ("办公区", "综合楼", RiskLevel.LOW, "火灾", "消防器材配置、定期巡查"),
]

SPRING_FESTIVAL_2024 = (datetime.date(2024, 1, 26), datetime.date(2024, 2, 24))
# 城市管理和综合执法局's Spring Festival figures, as grid incidents of that period
SPRING_FESTIVAL_INCIDENTS = [
    ("占道经营", 21),
    ("乱拉挂", 23),
    ("乱堆放", 26),
    ("违规燃放烟花爆竹", 28),
    ("燃气隐患", 15),
]


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def checklists_load(*, by=None) -> dict[str, Checklist]:
    departments = {d.name: d for d in Department.objects.all()}
    categories = {}
    for i, (name, dept, days) in enumerate(HAZARD_CATEGORIES):
        categories[name] = Category.objects.get_or_create(
            kind="hazard", name=name,
            defaults={"department": departments[dept], "deadline_workdays": days, "priority": "urgent", "sort_order": i},
        )[0]  # fmt: skip
    checklists = {}
    for name, kind, dept, category, items in CHECKLISTS:
        checklist, created = Checklist.objects.get_or_create(
            name=name,
            defaults={
                "inspection_type": kind,
                "department": departments[dept],
                "hazard_category": categories[category],
            },
        )
        if created:
            _version(checklist, 1, items, "", _at(datetime.date(2020, 12, 1), 9), by)
        checklists[name] = checklist
    return checklists


def _version(checklist, number, items, note, at, by):
    version = ChecklistVersion.objects.create(
        checklist=checklist, number=number, note=note, published_at=at, published_by=by
    )
    ChecklistItem.objects.bulk_create(
        ChecklistItem(version=version, position=n, section=s, text=t, legal_basis=b, severity=v)
        for n, (s, t, b, v) in enumerate(items, start=1)
    )
    return version


class _Builder:
    """Inspections and their hazards written directly with their real dates (the services stamp today's)."""

    def __init__(self, rng, today, workdays):
        self.rng, self.today, self.workdays = rng, today, workdays
        self.contacts = {u.enterprise_id: u for u in User.objects.filter(role=Role.ENTERPRISE_CONTACT)}

    def inspect(self, *, enterprise, version, inspectors, day, campaign=None, hazards=0, rectify=True,
                recheck=True, representative="", hazard_items=None):  # fmt: skip
        lead = inspectors[0]
        inspection = Inspection.objects.create(
            enterprise=enterprise, checklist_version=version, campaign=campaign, department=lead.department,
            park=enterprise.park, status=Inspection.Status.SUBMITTED, inspected_on=day, lead_inspector=lead,
            representative=representative or f"{_person(self.rng)}（安全负责人）",
            summary="现场检查，已对发现的问题提出整改要求" if hazards else "现场检查未发现问题，提醒持续做好安全生产工作",
            created_at=_at(day, 9), submitted_at=_at(day, 11, self.rng.randint(0, 59)),
        )  # fmt: skip
        inspection.inspectors.set(inspectors)
        items = list(version.items.all())
        failed = hazard_items if hazard_items is not None else self.rng.sample(items, min(hazards, len(items)))
        Answer.objects.bulk_create(
            Answer(
                inspection=inspection,
                item=item,
                outcome=Outcome.HAZARD
                if item in failed
                else (Outcome.NOT_APPLICABLE if self.rng.random() < 0.08 else Outcome.PASSED),
            )  # fmt: skip
            for item in items
        )
        for item in failed:
            self.hazard(inspection, item, lead, inspectors, day, rectify=rectify, recheck=recheck)
        TimelineEntry.objects.create(
            enterprise=enterprise, kind=TIMELINE_KIND, actor=lead, occurred_at=_at(day, 11),
            summary=f"{version.checklist.name}：检查 {len(items)} 项，发现隐患 {len(failed)} 条",
            details={"inspection": inspection.pk},
        )  # fmt: skip
        return inspection

    def hazard(self, inspection, item, lead, inspectors, day, *, rectify, recheck):
        rng, workdays = self.rng, self.workdays
        category = inspection.checklist_version.checklist.hazard_category
        grade, colour = PROPOSED[Severity(item.severity)]
        enterprise = inspection.enterprise
        raised = _at(day, 10, rng.randint(0, 59))
        deadline = workdays.add(day, category.deadline_workdays if grade == HazardGrade.GENERAL else 30)
        case = Case.objects.create(
            kind="hazard", category=category, enterprise=enterprise, park_id=enterprise.park_id,
            description=HAZARD_TEXTS[inspection.checklist_version.checklist.name].format(item=item.text.split("，")[0]),
            source="inspection", reporter=lead, priority=category.priority, status=Status.IN_PROGRESS,
            lead_department=lead.department or category.department, assigned_on=day, deadline=deadline,
            warn_on=workdays.add(day, -(-workdays.between(day, deadline) * 8 // 10)), created_at=raised,
        )  # fmt: skip
        case.number = f"ZQ{day:%Y}{case.pk:06d}"
        hazard = Hazard(case=case, inspection=inspection, item=item, grade=grade, colour=colour, place=item.section)
        events = [
            ("raise", lead, "reporter", "", Status.PENDING, raised, case.description),
            ("order_rectification", lead, "reporter", Status.PENDING, Status.IN_PROGRESS, raised, ""),
        ]
        rectified_on = None
        if rectify and day + datetime.timedelta(days=2) <= self.today:
            late = rng.random() < 0.08
            rectified_on = min(
                workdays.add(day, rng.randint(1, workdays.between(day, deadline)) + (5 if late else 0)), self.today
            )
            rectifier = self.contacts.get(enterprise.pk) or lead
            hazard.measures, hazard.responsible = rng.choice(MEASURES), _person(rng)
            hazard.funds = round(rng.uniform(0.1, 8), 2) if rng.random() < 0.6 else None
            hazard.time_limit, hazard.rectified_by, hazard.rectified_on = deadline, rectifier, rectified_on
            if grade == HazardGrade.MAJOR:
                hazard.funds, hazard.plan = hazard.funds or 5, "制定专项应急处置方案，整改期间加强巡检并落实监护"
            note = rng.choice(RECTIFY_NOTES)
            part = "enterprise" if rectifier != lead else "lead_department"
            events.append(
                (
                    "rectify",
                    rectifier,
                    part,
                    Status.IN_PROGRESS,
                    Status.AWAITING_VERIFICATION,
                    _at(rectified_on, 15),
                    note,
                )
            )
            case.status, case.reported_on, case.result, case.result_text = (
                Status.AWAITING_VERIFICATION,
                rectified_on,
                Result.SOLVED,
                note,
            )
            checked_on = workdays.add(rectified_on, rng.randint(1, 3))
            if recheck and checked_on <= self.today:
                checker = next((p for p in inspectors if p != rectifier and p != lead), None) or next(
                    p for p in inspectors if p != rectifier
                )
                hazard.rechecked_by, hazard.rechecked_on = checker, checked_on
                events.append(
                    (
                        "recheck",
                        checker,
                        "rechecker",
                        Status.AWAITING_VERIFICATION,
                        Status.CLOSED,
                        _at(checked_on, 10),
                        "复查确认已整改到位",
                    )
                )
                case.status, case.closed_at = Status.CLOSED, _at(checked_on, 10)
                case.closed_on_time = rectified_on <= deadline
                case.handling_workdays = workdays.between(day, rectified_on)
        hazard.save()
        case.save()
        CaseEvent.objects.bulk_create(
            CaseEvent(
                case=case, action=a, actor=actor, actor_part=part, from_status=f, to_status=t, at=at, comment=comment
            )  # fmt: skip
            for a, actor, part, f, t, at, comment in events
        )
        return case


def _inspectors(department, count, rng) -> list[User]:
    have = list(User.objects.filter(role=Role.DEPARTMENT_HANDLER, department=department).order_by("pk"))
    for n in range(len(have), count):
        have.append(
            User.objects.create(
                username=f"insp{department.pk}_{n}",
                full_name=_person(rng),
                role=Role.DEPARTMENT_HANDLER,
                department=department,
                phone=_phone(rng),
                password=_demo_hash(),
            )  # fmt: skip
        )
    return have[:count]


def _campaign_2024(builder: _Builder, checklists, rng):
    """节后复工复产暗访指导, 5 to 19 February 2024: 3 teams of 3; 16 team-days out (48 person-times); 49 enterprise
    inspections; 24 hazards."""
    department = Department.objects.get(name="应急管理局")
    people = _inspectors(department, 9, rng)
    checklist = checklists["节后复工复产安全检查表"]
    version = checklist.versions.get(number=1)
    start, end = datetime.date(2024, 2, 5), datetime.date(2024, 2, 19)
    named = list(
        Enterprise.objects.filter(name__in=["河南巨高嘉业电力设备有限公司", "平顶山宁科商贸有限公司"]).order_by("name")
    )
    others = list(Enterprise.objects.exclude(pk__in=[e.pk for e in named]).filter(scale="above").order_by("pk")[:43])
    targets = (
        others[:15] + named + others[15:]
    )  # 45 enterprises, 15 per team; the second team's share starts with the two
    campaign = Campaign.objects.create(
        name="2024年节后复工复产安全生产暗访指导", department=department, checklist=checklist, starts_on=start,
        ends_on=end, targets_described="规模以上工业企业及重点商贸企业", created_by=people[0],
        created_at=_at(datetime.date(2024, 2, 2), 10),
    )  # fmt: skip
    teams = []
    for n, name in enumerate(["第一暗访指导组", "第二暗访指导组", "第三暗访指导组"]):
        members = people[n * 3 : n * 3 + 3]
        team = CampaignTeam.objects.create(campaign=campaign, name=name, leader=members[0])
        team.members.set(members)
        teams.append((team, members, targets[n * 15 : n * 15 + 15]))
    CampaignTarget.objects.bulk_create(
        CampaignTarget(campaign=campaign, enterprise=e, team=team) for team, _m, share in teams for e in share
    )
    # the seven working days from 5 February to 19 February (the holiday between; 18 February a working Sunday); the
    # first team goes out on six of them, the others on five (16 team-days of three: 48 person-times); the first
    # team revisits four firms (49 inspections); the second team ends with the two named firms on 19 February
    days = [d for d in builder.workdays.days if start <= d <= end]
    outings = {0: days[0:6], 1: days[2:7], 2: days[1:6]}
    queues = [list(share) + list(share[2:6]) if n == 0 else list(share[2:]) + list(share[:2]) if n == 1 else list(share)
              for n, (_t, _m, share) in enumerate(teams)]  # fmt: skip
    visits = []
    for day in days:
        for n, (team, members, _share) in enumerate(teams):
            if day in outings[n]:
                size = 4 if (n == 0 and day == days[0]) else 3
                visits += [(team, members, day, queues[n].pop(0)) for _k in range(size) if queues[n]]
    findings = {"河南巨高嘉业电力设备有限公司": 2, "平顶山宁科商贸有限公司": 6}  # 动火作业, 仓储物品堆放
    chosen = {i for i, v in enumerate(visits) if v[3].name in findings}
    chosen |= set(rng.sample([i for i in range(len(visits)) if i not in chosen], 24 - len(chosen)))
    for i, (_team, members, day, enterprise) in enumerate(visits):
        failed = []
        if i in chosen:
            position = findings.get(enterprise.name) or rng.randint(1, version.items.count())
            failed = [version.items.get(position=position)]
        builder.inspect(enterprise=enterprise, version=version, inspectors=members, day=day, campaign=campaign,
                        hazard_items=failed)  # fmt: skip
    return campaign


def risk_points_load(rng):
    """风险点 and 包保责任人 for every hazardous-chemical enterprise."""
    zone_leader = f"{_person(rng)}（高新区管委会副主任）"
    supervisor = User.objects.filter(username="yingji").first()
    for enterprise in Enterprise.objects.filter(tags__name="危化企业").select_related("park").distinct():
        RiskPoint.objects.bulk_create(
            RiskPoint(
                enterprise=enterprise,
                name=name,
                place=place,
                level=level,
                accident_types=accidents,
                controls=controls,
                responsible=_person(rng),
            )  # fmt: skip
            for name, place, level, accidents, controls in RISK_POINTS
        )
        park_officer = User.objects.filter(role=Role.PARK_OFFICER, park_id=enterprise.park_id).order_by("pk").first()
        chain = [
            (Tier.ZONE_LEADER, zone_leader.split("（")[0], "高新区管委会副主任"),
            (Tier.DEPARTMENT, supervisor.full_name if supervisor else _person(rng), "应急管理局"),
            (
                Tier.PARK,
                park_officer.full_name if park_officer else _person(rng),
                enterprise.park.name if enterprise.park else "",
            ),
            (Tier.PRINCIPAL, _person(rng), "总经理"),
            (Tier.TECHNICAL, _person(rng), "总工程师"),
            (Tier.OPERATIONAL, _person(rng), "储运车间主任"),
        ]
        ResponsibleOfficial.objects.bulk_create(
            ResponsibleOfficial(enterprise=enterprise, tier=tier, name=name, position=position, phone=_phone(rng))
            for tier, name, position in chain
        )


def grid_outlines_load(rng):
    """Each grid a quadrilateral of a jittered lattice east of 平顶山 (neighbours share their corners), and each
    grid incident without a position placed inside its grid."""
    grids = list(Grid.objects.order_by("code"))
    columns = 4
    origin_lon, origin_lat, step = 113.230, 33.760, 0.012
    corner = {}

    def point(i, j):
        if (i, j) not in corner:
            edge = i in (0, columns) or j == 0
            jitter = 0 if edge else step * 0.18
            corner[(i, j)] = [
                round(origin_lon + i * step + rng.uniform(-jitter, jitter), 6),
                round(origin_lat + j * step + rng.uniform(-jitter, jitter), 6),
            ]
        return corner[(i, j)]

    for n, grid in enumerate(grids):
        i, j = n % columns, n // columns
        ring = [point(i, j), point(i + 1, j), point(i + 1, j + 1), point(i, j + 1), point(i, j)]
        grid.outline = {"type": "Polygon", "coordinates": [ring]}
        centre = (origin_lon + (i + 0.5) * step, origin_lat + (j + 0.5) * step)
        incidents = list(Case.objects.filter(grid=grid, latitude__isnull=True))
        for case in incidents:
            case.longitude = round(centre[0] + rng.uniform(-0.3, 0.3) * step, 6)
            case.latitude = round(centre[1] + rng.uniform(-0.3, 0.3) * step, 6)
        Case.objects.bulk_update(incidents, ["latitude", "longitude"])
    Grid.objects.bulk_update(grids, ["outline"])


def _spring_festival_incidents(rng, workdays):
    """城管局's reported Spring Festival 2024 figures, as grid incidents, each handled and closed."""
    grids = list(Grid.objects.exclude(member=None).select_related("member", "community"))
    start, end = SPRING_FESTIVAL_2024
    span = (end - start).days
    # the bureau led the Spring Festival action: where a category's case goes to another department (fireworks to
    # the police, gas to the emergency bureau), the bureau assists, and reports the figure with its own
    city = Department.objects.filter(name="城市管理和综合执法局").first()
    for name, count in SPRING_FESTIVAL_INCIDENTS:
        category = Category.objects.get(kind="grid_incident", name=name)
        handler = (
            User.objects.filter(role=Role.DEPARTMENT_HANDLER, department=category.department).order_by("pk").first()
        )
        for _n in range(count):
            grid = rng.choice(grids)
            day = start + datetime.timedelta(days=rng.randint(0, span))
            done = workdays.add(day, rng.randint(0, category.deadline_workdays))
            raised = _at(day, rng.randint(8, 20), rng.randint(0, 59))
            # routed on arrival, accepted within the hour, handled the same day at the earliest
            accepted = raised + datetime.timedelta(hours=1)
            reported = max(_at(done, 16), accepted + datetime.timedelta(hours=1))
            verified = reported + datetime.timedelta(hours=1)
            case = Case.objects.create(
                kind="grid_incident", category=category, grid=grid, description=f"春节期间巡查发现{name}",
                location=grid.community.name, source="patrol", reporter=grid.member, priority=category.priority,
                status=Status.CLOSED, lead_department=category.department, assigned_on=day,
                deadline=workdays.add(day, category.deadline_workdays), warn_on=workdays.add(day, 1),
                reported_on=done, result=Result.SOLVED, result_text="已现场处置并劝导整改",
                closed_at=verified, closed_on_time=True, handling_workdays=workdays.between(day, done),
                created_at=raised,
            )  # fmt: skip
            case.number = f"ZQ{day:%Y}{case.pk:06d}"
            case.save(update_fields=["number"])
            if city and category.department_id != city.pk:
                case.assisting_departments.add(city)
            CaseEvent.objects.bulk_create([
                CaseEvent(case=case, action="raise", actor=grid.member, actor_part="reporter", to_status=Status.PENDING, at=raised),
                CaseEvent(case=case, action="route", actor=grid.member, actor_part="reporter", from_status=Status.PENDING, to_status=Status.ASSIGNED, at=raised + datetime.timedelta(minutes=1)),
                CaseEvent(case=case, action="accept", actor=handler, actor_part="lead_department", from_status=Status.ASSIGNED, to_status=Status.IN_PROGRESS, at=accepted),
                CaseEvent(case=case, action="report_result", actor=handler, actor_part="lead_department", from_status=Status.IN_PROGRESS, to_status=Status.AWAITING_VERIFICATION, at=reported, comment="已现场处置并劝导整改"),
                CaseEvent(case=case, action="verify", actor=grid.member, actor_part="verifier", from_status=Status.AWAITING_VERIFICATION, to_status=Status.CLOSED, at=verified),
            ])  # fmt: skip


@transaction.atomic
def load_demo_inspections(*, seed: int = 2024, today: datetime.date | None = None, history: int = 80) -> int:
    rng = random.Random(seed + 4)
    today = today or timezone.localdate()
    workdays = _Workdays(datetime.date(2020, 12, 1), today + datetime.timedelta(days=400))
    builder = _Builder(rng, today, workdays)
    yingji = User.objects.get(username="yingji")
    anjian = User.objects.filter(username="anjian").first() or yingji
    checklists = checklists_load(by=yingji)
    chemicals = checklists["危险化学品企业安全检查表"]
    v1 = chemicals.versions.get(number=1)
    v2_items = [(i.section, i.text, i.legal_basis, i.severity) for i in v1.items.all()] + [CHEMICALS_V2_ITEM]
    v2 = _version(chemicals, 2, v2_items, "增加重大危险源包保责任检查项", _at(datetime.date(2023, 3, 1), 9), yingji)

    made = 0
    # 2021-02-12: Spring Festival checks at the three 神马 plants (the list as it was then, v1)
    for name in ["河南神马氯碱发展有限责任公司", "河南神马尼龙化工有限责任公司", "平顶山神马工程塑料有限责任公司"]:
        enterprise = Enterprise.objects.get(name=name)
        builder.inspect(enterprise=enterprise, version=v1, inspectors=[yingji, anjian], day=datetime.date(2021, 2, 12),
                        hazards=1 if "氯碱" in name else 0)  # fmt: skip
        made += 1
    campaign = _campaign_2024(builder, checklists, rng)
    made += campaign.inspections.count()

    # generated history: 应急管理局 and 城管局 inspections over the last two years, outside the campaign
    chemical_firms = list(Enterprise.objects.filter(tags__name="危化企业").distinct().order_by("pk"))
    others = list(Enterprise.objects.order_by("pk")[:120])
    gas_dept = Department.objects.get(name="城市管理和综合执法局")
    gas_people = _inspectors(gas_dept, 2, rng)
    resumption = checklists["节后复工复产安全检查表"].versions.get(number=1)
    gas = checklists["燃气安全检查表"].versions.get(number=1)
    for _n in range(history):
        day = today - datetime.timedelta(days=rng.randint(1, 700))
        if datetime.date(2024, 2, 1) <= day <= datetime.date(2024, 3, 10):
            continue
        roll = rng.random()
        if roll < 0.45:
            enterprise, version, people = rng.choice(chemical_firms or others), v2, [yingji, anjian]
        elif roll < 0.8:
            enterprise, version, people = (
                rng.choice(others),
                resumption,
                rng.choice([[yingji, anjian], [anjian, yingji]]),
            )
        else:
            enterprise, version, people = rng.choice(others), gas, gas_people
        recent = (today - day).days < 30
        builder.inspect(
            enterprise=enterprise, version=version, inspectors=people, day=day,
            hazards=rng.choice([0, 0, 1, 1, 2]), rectify=not recent or rng.random() < 0.5, recheck=not recent,
        )  # fmt: skip
        made += 1
    # the demo enterprise login has a hazard to rectify, and 张检查 one to re-check
    senyuan = Enterprise.objects.get(name="河南森源电气股份有限公司")
    builder.inspect(enterprise=senyuan, version=resumption, inspectors=[yingji, anjian], day=today - datetime.timedelta(days=3),
                    hazard_items=[resumption.items.get(position=4)], rectify=False)  # fmt: skip
    made += 1
    risk_points_load(rng)
    _spring_festival_incidents(rng, workdays)
    grid_outlines_load(rng)
    rollup_rebuild()
    return made
