"""The demo zone's project library (registered in apps.py): the 重点招商项目 9 个 and the 8 targets and institutes
visited (招商: 重点拜访目标企业及院所 8 个) that the seeds report, and believable projects at every stage of
谋划 → 达产, some behind their planned milestones. Names of generated projects, amounts and dates are demo data."""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from zhuqi.core.workdays import add_workdays, workdays_between
from zhuqi.enterprises.models import Enterprise
from zhuqi.org.models import Department, Role, User

from .models import ORDER, Lead, LeadEvent, LeadStatus, Milestone, Project, ProjectEvent, ProjectYear, Stage

# (name, owner firm named in the seeds or investor, industry, 万元, stage, key project, days late at the next step)
PROJECTS = [
    ("尼龙新材料产业园二期", "河南神马尼龙化工有限责任公司", "尼龙新材料", 320000, Stage.BUILDING, True, 3),
    ("神鹰化工特种尼龙中间体项目", "平顶山市神鹰化工科技有限公司", "化工新材料", 86000, Stage.STARTED, True, 25),
    ("森源电气智能开关柜扩能项目", "河南森源电气股份有限公司", "电气装备", 45000, Stage.OPERATING, True, -20),
    ("巨高智能电气产业园三期", "河南巨高嘉业电力设备有限公司", "电气装备", 38000, Stage.SIGNED, True, 12),
    ("平煤隆基高效光伏组件项目", "河南平煤隆基光伏材料有限公司", "新能源", 150000, Stage.FULL, True, None),
    ("圣玛珂环网柜智能制造基地", "河南圣玛珂电气制造有限公司", "电气装备", 22000, Stage.BUILDING, True, -10),
    ("尼龙66切片配套项目（招商）", "某尼龙产业投资公司（洽谈中）", "尼龙新材料", 60000, Stage.NEGOTIATING, True, 40),
    ("储能电池系统集成项目（招商）", "某新能源科技公司（洽谈中）", "新能源", 50000, Stage.NEGOTIATING, True, -15),
    ("高压电气检测认证中心", "平高集团电力检修工程有限公司", "检验检测", 12000, Stage.PLANNING, True, -30),
    ("中开防腐表面处理技改项目", "中开防腐有限公司", "金属表面处理", 8000, Stage.OPERATING, False, None),
    ("凤翔环保除尘设备扩产项目", "平顶山凤翔环保科技有限公司", "环保设备", 6500, Stage.STARTED, False, -5),
    ("富美尔环保研发中试基地", "河南富美尔环保科技有限公司", "环保设备", 5000, Stage.FULL, False, None),
    ("火炬园科技孵化器扩区", "创新创业服务园区管理公司", "科技服务", 15000, Stage.PLANNING, False, 8),
]  # fmt: skip
LEADS = [
    ("某尼龙产业投资公司", False, "尼龙新材料", LeadStatus.PROJECT), ("某新能源科技公司", False, "新能源", LeadStatus.PROJECT),
    ("郑州大学材料学院", True, "新材料", LeadStatus.TALKING), ("河南省电力科学研究院", True, "电气装备", LeadStatus.VISITED),
    ("某电气装备龙头企业", False, "电气装备", LeadStatus.TALKING), ("某工程塑料改性企业", False, "尼龙新材料", LeadStatus.VISITED),
    ("某智能制造研究院", True, "智能制造", LeadStatus.VISITED), ("某环保装备企业", False, "环保设备", LeadStatus.DROPPED),
]  # fmt: skip
SPAN = {Stage.NEGOTIATING: 60, Stage.SIGNED: 90, Stage.STARTED: 120, Stage.BUILDING: 60, Stage.OPERATING: 300,
        Stage.FULL: 240}  # fmt: skip
EVIDENCE = {Stage.NEGOTIATING: "洽谈纪要", Stage.SIGNED: "投资协议已签订", Stage.STARTED: "施工许可证已取得，开工仪式",
            Stage.BUILDING: "主体结构施工过半（现场照片）", Stage.OPERATING: "竣工验收，试生产", Stage.FULL: "达产产值确认"}  # fmt: skip


def _workdays_off(today: datetime.date, late: int) -> datetime.date:
    """The day `late` working days before today (after it when negative)."""
    if late <= 0:
        return add_workdays(today, -late)
    day = today
    while workdays_between(day, today) < late:
        day -= datetime.timedelta(days=1)
    return day


def load_demo_projects(*, seed: int = 2024) -> int:
    if Project.objects.exists():
        return Project.objects.count()
    rng = random.Random(seed + 19)
    today = timezone.localdate()
    department = Department.objects.filter(name="经济发展局").first() or Department.objects.order_by("pk").first()
    officer = (User.objects.filter(role=Role.DEPARTMENT_HANDLER, department=department).first()
               or User.objects.filter(role=Role.ZONE_COORDINATOR).order_by("pk").first())  # fmt: skip
    firms = {e.name: e for e in Enterprise.objects.filter(name__in=[p[1] for p in PROJECTS]).select_related("park")}
    made = {}
    for name, who, industry, amount, stage, key, late in PROJECTS:
        owner = firms.get(who)
        at = ORDER.index(stage)
        # reached stages dated backwards from a recent day; the next one planned around today (late days behind)
        next_planned = _workdays_off(today, late) if late is not None else None
        reached, day = [], today - datetime.timedelta(days=rng.randint(20, 90))
        for s in reversed(ORDER[1 : at + 1]):
            reached.append((s, day))
            day -= datetime.timedelta(days=SPAN[s] + rng.randint(-15, 15))
        project = Project.objects.create(
            name=name, owner=owner, investor="" if owner else who, industry=industry,
            park=owner.park if owner else None, total_investment=Decimal(amount),
            land_mu=Decimal(rng.randint(20, 400)), energy_tce=Decimal(rng.randint(500, 20000)), department=department,
            officer=officer, stage=stage, is_key=key,
            created_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(9))),
        )  # fmt: skip
        for s, on in reached:
            planned = on - datetime.timedelta(days=rng.choice([-10, 0, 0, 5, 15]))
            Milestone.objects.create(project=project, stage=s, planned_on=planned, actual_on=on, evidence=EVIDENCE[s])
            ProjectEvent.objects.create(project=project, action="advance", to_stage=s, evidence=EVIDENCE[s],
                                        actor=officer, at=timezone.make_aware(datetime.datetime.combine(on, datetime.time(10))))  # fmt: skip
        if next_planned is not None and at + 1 < len(ORDER):
            planned = next_planned
            for s in ORDER[at + 1 :]:
                Milestone.objects.create(project=project, stage=s, planned_on=planned)
                planned += datetime.timedelta(days=SPAN[s])
        spent = Decimal(0)
        for year in range(today.year - 2, today.year + 2):
            share = Decimal(amount) / 4
            actual = share * Decimal(rng.uniform(0.6, 1.05)) if year <= today.year and at >= 3 else Decimal(0)
            spent += actual
            ProjectYear.objects.create(project=project, year=year, planned=share.quantize(Decimal("1")),
                                       actual=actual.quantize(Decimal("1")))  # fmt: skip
        made[who] = project
    for name, institute, industry, status in LEADS:
        lead = Lead.objects.create(name=name, is_institute=institute, industry=industry, status=status,
                            visited_on=today - datetime.timedelta(days=rng.randint(10, 200))
                            if status != LeadStatus.CONTACTED else None,
                            project=next((p for who, p in made.items() if who.startswith(name)), None),
                            note="重点拜访目标（招商）")  # fmt: skip
        LeadEvent.objects.create(lead=lead, to_status=status, note=lead.note, actor=officer,
                                 at=timezone.make_aware(datetime.datetime.combine(lead.visited_on or today,
                                                                                  datetime.time(15))))  # fmt: skip
    return Project.objects.count()
