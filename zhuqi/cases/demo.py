"""Demo cases: the four closed loops the newspaper pages report, plus about 3,000 generated cases over three
years — most closed and rated, some late, some reworked, some unsatisfied, and a live queue for today."""

import bisect
import datetime
import random

from django.db import transaction
from django.utils import timezone

from zhuqi.core.workdays import Calendar
from zhuqi.enterprises.models import Enterprise
from zhuqi.org.models import Department, Role, User

from .figures import rollup_rebuild
from .models import Case, CaseEvent, Category, Priority
from .workflow import Status

# (name, owning department, working days, priority)
CATEGORIES = [
    ("用工", "人力资源管理局", 10, Priority.NORMAL),
    ("物流", "经济发展局", 10, Priority.NORMAL),
    ("融资", "经济发展局", 15, Priority.NORMAL),
    ("用地厂房", "城乡建设和生态环境局", 20, Priority.NORMAL),
    ("政策咨询", "经济发展局", 5, Priority.NORMAL),
    ("基础设施", "城市管理和综合执法局", 15, Priority.NORMAL),
    ("交通安全", "交警支队", 10, Priority.URGENT),
    ("安全生产", "应急管理局", 5, Priority.URGENT),
    ("环保", "城乡建设和生态环境局", 10, Priority.NORMAL),
    ("科技", "科技创新局", 10, Priority.NORMAL),
    ("税务", "高新区税务局", 5, Priority.NORMAL),
    ("其他", "经济发展局", 10, Priority.NORMAL),
]

# grid incident types (网格事件), each routed straight to its department
GRID_CATEGORIES = [
    ("占道经营", "城市管理和综合执法局", 3),
    ("流动摊贩", "城市管理和综合执法局", 3),
    ("乱堆放", "城市管理和综合执法局", 5),
    ("乱拉挂", "城市管理和综合执法局", 5),
    ("小广告", "城市管理和综合执法局", 5),
    ("乱停放", "交警支队", 3),
    ("燃气隐患", "应急管理局", 1),
    ("违规燃放烟花爆竹", "高新公安分局", 1),
]
GRID_PROBLEMS = {
    "占道经营": "菜市场东门商户占道摆放货物",
    "流动摊贩": "学校门口流动摊贩聚集",
    "乱堆放": "村口空地堆放建筑垃圾",
    "乱拉挂": "沿街商铺私拉电线晾晒",
    "小广告": "小区单元门张贴小广告",
    "乱停放": "货车长期停放在消防通道",
    "燃气隐患": "餐馆燃气软管老化，有异味",
    "违规燃放烟花爆竹": "禁放区域有人燃放烟花爆竹",
}

PROBLEMS = {
    "用工": ["招工难，急需电工和焊工", "缺少熟练操作工，希望对接职业院校", "员工社保转移手续办理慢"],
    "物流": ["物流运输成本高，希望对接铁路专用线", "货车通行证办理周期长"],
    "融资": ["流动资金紧张，希望对接银行贷款", "开发新产品缺少研发资金", "希望了解政府性融资担保"],
    "用地厂房": ["现有厂房不能满足扩产需要", "希望租用标准化厂房", "厂房漏水，无人负责维修"],
    "政策咨询": ["希望了解研发费用加计扣除政策", "咨询专精特新企业申报条件", "稳岗补贴如何申领"],
    "基础设施": ["厂区门前道路破损", "雨季厂区周边排水不畅", "园区路灯损坏"],
    "交通安全": ["上下班人员车辆横穿道路存在隐患", "厂区出入口缺少减速设施"],
    "安全生产": ["希望安排安全生产培训", "危化品仓库改造需要技术指导"],
    "环保": ["环评手续办理咨询", "排污许可证延续办理"],
    "科技": ["希望申报高新技术企业", "寻找高校合作开展技术攻关"],
    "税务": ["出口退税进度咨询", "留抵退税办理"],
    "其他": ["用电增容审批慢", "企业周边环境整治"],
}

RESULTS = {
    "solved": "已协调解决，企业确认",
    "partly_solved": "已解决主要部分，其余纳入下一阶段计划",
    "not_solvable": "超出现行政策范围，已向企业解释并提供替代方案",
}


class _Workdays:
    """add_workdays for thousands of dates from one calendar load."""

    def __init__(self, start: datetime.date, end: datetime.date):
        calendar = Calendar.load(start, end)
        days = (end - start).days + 1
        self.days = [d for d in (start + datetime.timedelta(n) for n in range(days)) if calendar.is_workday(d)]

    def add(self, day: datetime.date, n: int) -> datetime.date:
        i = bisect.bisect_right(self.days, day)
        return self.days[min(i + n - 1, len(self.days) - 1)] if n else day

    def between(self, a: datetime.date, b: datetime.date) -> int:
        return bisect.bisect_right(self.days, b) - bisect.bisect_right(self.days, a)


def _at(day: datetime.date, hour: int, rng) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, rng.randint(0, 59))))


def categories_load() -> dict[str, Category]:
    departments = {d.name: d for d in Department.objects.all()}
    for i, (name, dept, days) in enumerate(GRID_CATEGORIES):
        Category.objects.get_or_create(
            kind="grid_incident",
            name=name,
            defaults={
                "department": departments[dept],
                "deadline_workdays": days,
                "routes_directly": True,
                "sort_order": i,
            },
        )
    return {
        name: Category.objects.get_or_create(
            kind="demand",
            name=name,
            defaults={
                "department": departments[dept],
                "deadline_workdays": days,
                "priority": priority,
                "sort_order": i,
            },
        )[0]
        for i, (name, dept, days, priority) in enumerate(CATEGORIES)
    }


@transaction.atomic
def load_demo_cases(*, seed: int = 2024, today: datetime.date | None = None, total: int = 3000) -> int:
    rng = random.Random(seed)
    today = today or timezone.localdate()
    categories = categories_load()
    enterprises = list(Enterprise.objects.select_related("park").order_by("pk"))
    by_name = {e.name: e for e in enterprises}
    handlers = {}
    for u in User.objects.filter(role=Role.DEPARTMENT_HANDLER).order_by("username"):
        handlers.setdefault(u.department_id, u)
    park_officers = {}
    for u in User.objects.filter(role=Role.PARK_OFFICER).order_by("username"):
        park_officers.setdefault(u.park_id, u)
    for u in User.objects.filter(username__in=["yingji", "huoju"]):  # the demo logins get the work to show
        if u.department_id:
            handlers[u.department_id] = u
        if u.park_id:
            park_officers[u.park_id] = u
    coordinator = User.objects.filter(role=Role.ZONE_COORDINATOR).order_by("pk").first()
    contacts = {u.enterprise_id: u for u in User.objects.filter(role=Role.ENTERPRISE_CONTACT)}
    workdays = _Workdays(today - datetime.timedelta(days=3 * 366 + 60), today + datetime.timedelta(days=200))
    start = today - datetime.timedelta(days=3 * 365)

    cases, scripts = [], []
    for real in _reported(by_name, categories):
        cases.append(real[0])
        scripts.append(real[1])
    for _n in range(total):
        enterprise = rng.choice(enterprises)
        category = categories[rng.choice(list(categories))]
        raised_on = start + datetime.timedelta(days=int((rng.random() ** 0.8) * (today - start).days))
        officer = park_officers.get(enterprise.park_id) or coordinator
        reporter = contacts.get(enterprise.pk) if rng.random() < 0.5 else None
        source = "enterprise" if reporter else rng.choice(["visit", "visit", "call", "symposium", "survey"])
        reporter = reporter or officer
        case = Case(
            kind="demand",
            category=category,
            enterprise=enterprise,
            park_id=enterprise.park_id,
            description=rng.choice(PROBLEMS[category.name]),
            source=source,
            reporter=reporter,
            priority=category.priority,
            created_at=_at(raised_on, rng.randint(8, 17), rng),
        )
        cases.append(case)
        script = _script(case, raised_on, today, rng, workdays, officer, handlers, contacts, coordinator)
        scripts.append(_in_order(case, script))
    grid_cases, grid_scripts = _grid_incidents(rng, today, workdays, handlers, coordinator)
    cases += grid_cases
    scripts += grid_scripts
    Case.objects.bulk_create(cases, batch_size=500)
    for case in cases:
        case.number = f"ZQ{timezone.localtime(case.created_at):%Y}{case.pk:06d}"
    Case.objects.bulk_update(cases, ["number"], batch_size=500)
    events = []
    for case, script in zip(cases, scripts, strict=True):
        status = Status.PENDING
        for at, action, actor, part, to_status, comment, details in script:
            events.append(
                CaseEvent(
                    case=case,
                    action=action,
                    actor=actor,
                    actor_part=part,
                    at=at,
                    from_status="" if action == "raise" else status,
                    to_status=to_status,
                    comment=comment,
                    details=details,
                )
            )
            status = to_status
    CaseEvent.objects.bulk_create(events, batch_size=1000)
    rollup_rebuild()
    return len(cases)


def _grid_incidents(rng, today, workdays, handlers, coordinator, total=120):
    """Incidents the grid members reported on patrol over the last 90 days, routed on arrival (their patrols are
    the grids' demo)."""
    from zhuqi.org.models import Grid

    grids = list(Grid.objects.exclude(member=None).select_related("member", "community"))
    categories = list(Category.objects.filter(kind="grid_incident").select_related("department"))
    cases, scripts = [], []
    for _n in range(total):
        grid, category = rng.choice(grids), rng.choice(categories)
        raised_on = today - datetime.timedelta(days=rng.randint(0, 90))
        case = Case(
            kind="grid_incident", category=category, grid=grid, description=GRID_PROBLEMS[category.name],
            location=f"{grid.community.name}", source="patrol", reporter=grid.member, priority=category.priority,
            created_at=_at(raised_on, rng.randint(8, 17), rng),
        )  # fmt: skip
        script = _script(case, raised_on, today, rng, workdays, grid.member, handlers, {}, coordinator)
        # routed on arrival: the assignment is the category's, taken as the report comes in
        script = [
            (case.created_at, "route", grid.member, "reporter", *rest[3:]) if rest[0] == "assign" else (at, *rest)
            for at, *rest in script
        ]
        if case.status == Status.PENDING:
            case.status, case.lead_department, case.assigned_on = Status.ASSIGNED, category.department, raised_on
            case.deadline = workdays.add(raised_on, category.deadline_workdays)
            case.warn_on = workdays.add(raised_on, -(-category.deadline_workdays * 8 // 10))
            script.append((case.created_at, "route", grid.member, "reporter", Status.ASSIGNED, "", {}))
        cases.append(case)
        scripts.append(_in_order(case, script))
    return cases, scripts


def _in_order(case, script: list) -> list:
    """Events of one day keep their order (an assignment at 9:00 cannot precede a 16:00 report of that day)."""
    ordered, previous = [], None
    for at, *rest in script:
        if previous is not None and at <= previous:
            at = previous + datetime.timedelta(minutes=7)
        if rest[0] == "verify":
            case.closed_at = at
        ordered.append((at, *rest))
        previous = at
    return ordered


def _script(case, raised_on, today, rng, workdays, officer, handlers, contacts, coordinator) -> list:
    """Fills in the case's fields for a believable life so far and returns its history."""
    category = case.category
    events = [(case.created_at, "raise", case.reporter, "reporter", Status.PENDING, case.description, {})]
    age = workdays.between(raised_on, today)
    assign_on = workdays.add(raised_on, rng.choice([0, 1, 1, 2]))
    if age < 1 or (age < 4 and rng.random() < 0.5) or assign_on > today:
        return events
    department = category.department
    handler = handlers.get(department.pk) or coordinator
    case.status, case.lead_department, case.assigned_on = Status.ASSIGNED, department, assign_on
    case.deadline = workdays.add(assign_on, category.deadline_workdays)
    case.warn_on = workdays.add(assign_on, -(-category.deadline_workdays * 8 // 10))
    events.append((_at(assign_on, 9, rng), "assign", officer, "coordinator", Status.ASSIGNED, "", {
        "department": department.name, "deadline": case.deadline.isoformat(), "workdays": category.deadline_workdays
    }))  # fmt: skip
    accept_on = workdays.add(assign_on, rng.choice([0, 1, 1, 2]))
    if accept_on > today:
        return events
    case.status = Status.IN_PROGRESS
    events.append((_at(accept_on, 10, rng), "accept", handler, "lead_department", Status.IN_PROGRESS, "", {}))
    if age < 60 and rng.random() < 0.1:  # stuck: still open long after its deadline (超期未办结)
        return events
    slow = rng.random() < 0.15
    span = max(1, round(category.deadline_workdays * (rng.uniform(1.05, 1.6) if slow else rng.uniform(0.3, 0.95))))
    report_on = workdays.add(assign_on, span)
    if report_on > today:
        return events
    reworked = rng.random() < 0.08
    if reworked:
        events.append((_at(report_on, 15, rng), "report_result", handler, "lead_department",
                       Status.AWAITING_VERIFICATION, "已处理，请核查", {"result": "solved"}))  # fmt: skip
        back_on = workdays.add(report_on, 1)
        events.append((_at(back_on, 11, rng), "reject_result", officer, "verifier", Status.IN_PROGRESS,
                       "现场核查问题仍存在，请继续办理", {"rework": 1}))  # fmt: skip
        case.rework_count = 1
        report_on = workdays.add(back_on, rng.randint(1, 3))
        if report_on > today:
            case.status = Status.IN_PROGRESS
            return events
    result = rng.choices(["solved", "partly_solved", "not_solvable"], weights=[82, 12, 6])[0]
    case.status, case.result, case.result_text, case.reported_on = (
        Status.AWAITING_VERIFICATION, result, RESULTS[result], report_on
    )  # fmt: skip
    events.append((_at(report_on, 16, rng), "report_result", handler, "lead_department",
                   Status.AWAITING_VERIFICATION, RESULTS[result], {"result": result}))  # fmt: skip
    verify_on = workdays.add(report_on, rng.choice([0, 1, 1, 2]))
    if verify_on > today:
        return events
    case.status, case.closed_at = Status.CLOSED, _at(verify_on, 11, rng)
    case.closed_on_time = report_on <= case.deadline
    case.handling_workdays = workdays.between(assign_on, report_on)
    events.append((case.closed_at, "verify", officer, "verifier", Status.CLOSED, "", {"on_time": case.closed_on_time}))
    if rng.random() < 0.2 or workdays.add(verify_on, 2) > today:
        return events
    dissatisfied = 0.25 if (slow or case.result == "not_solvable") else 0.04
    rating = rng.choices(
        ["satisfied", "fairly_satisfied", "dissatisfied"], weights=[1 - dissatisfied - 0.15, 0.15, dissatisfied]
    )[0]
    # the enterprise rates; one without an account (and whoever reported a grid incident) by phone to the zone office
    rater, part, by_phone = _rater(case, contacts, coordinator)
    case.status, case.rating = Status.RATED, rating
    case.rating_comment = {
        "satisfied": "办理及时，非常满意",
        "fairly_satisfied": "基本解决",
        "dissatisfied": "问题没有根本解决",
    }[rating]
    events.append((_at(workdays.add(verify_on, 2), 14, rng), "rate", rater, part, Status.RATED,
                   case.rating_comment, {"rating": rating} | by_phone))  # fmt: skip
    return events


def _rater(case, contacts, coordinator) -> tuple:
    contact = contacts.get(case.enterprise_id)
    if contact is not None:
        return contact, "enterprise", {}
    return coordinator, "rating_by_phone", {"by_phone": True}


def _reported(by_name, categories) -> list:
    """The closed loops the seeds report, with the dates and the people they name."""
    out = []
    parks = {}
    for u in User.objects.filter(role=Role.PARK_OFFICER).select_related("park").order_by("username"):
        parks.setdefault(u.park.name, u)
    contacts = {u.enterprise_id: u for u in User.objects.filter(role=Role.ENTERPRISE_CONTACT)}
    coordinator = User.objects.filter(role=Role.ZONE_COORDINATOR).order_by("pk").first()
    depts = {
        u.department.name: u
        for u in User.objects.filter(role=Role.DEPARTMENT_HANDLER).select_related("department").order_by("-username")
    }
    stories = [
        ("河南君易安商贸有限公司", "用地厂房", "symposium", "房屋漏水，无人负责维修（园区座谈会 2021-01-28 反映）",
         "城乡建设和生态环境局", "2021-01-28", "2021-02-04", "协调市场管理中心和物业公司，已完成屋面防水维修，企业确认不再漏水", "satisfied"),
        ("庆华特钢公司", "交通安全", "visit",
         "厂区位于黄河路两侧，上下班人员车辆横穿道路存在交通安全隐患（万人助万企走访反映）",
         "交警支队", "2022-03-21", "2022-04-06", "会同城市管理和综合执法局在黄河路厂区路段施划斑马线和震荡线，设置警示标志", "satisfied"),
        ("河南富美尔环保科技有限公司", "用地厂房", "enterprise", "园区厂房不能满足生产及研发需要",
         "城乡建设和生态环境局", "2022-05-09", "2022-06-10", "科技服务专员与招商人员共同选址，已落实合适厂房；同步辅导高新技术企业认定并获通过", "satisfied"),
        ("河南昊鑫电气设备有限公司", "融资", "visit", "开发新产品缺少研发资金",
         "经济发展局", "2022-07-04", "2022-07-22", "对接合作银行，企业获批研发贷款 56 万元", "satisfied"),
    ]  # fmt: skip
    for name, category_name, source, text, dept, raised, done, result_text, rating in stories:
        enterprise = by_name.get(name)
        if enterprise is None:
            continue
        officer = parks.get(enterprise.park.name if enterprise.park else "")
        handler = depts.get(dept) or officer
        category = categories[category_name]
        raised_on, done_on = datetime.date.fromisoformat(raised), datetime.date.fromisoformat(done)
        assigned_on = raised_on + datetime.timedelta(days=1)
        rng = random.Random(name)
        case = Case(
            kind="demand", category=category, enterprise=enterprise, park_id=enterprise.park_id, description=text,
            source=source, reporter=officer, priority=category.priority, created_at=_at(raised_on, 10, rng),
            status=Status.RATED, lead_department=handler.department if handler.department_id else category.department,
            assigned_on=assigned_on, deadline=done_on + datetime.timedelta(days=7), warn_on=done_on,
            result="solved", result_text=result_text, reported_on=done_on, closed_at=_at(done_on, 16, rng),
            closed_on_time=True, handling_workdays=max((done_on - assigned_on).days * 5 // 7, 1), rating=rating,
            rating_comment="问题解决了，感谢园区和部门",
        )  # fmt: skip
        rater, part, by_phone = _rater(case, contacts, coordinator)
        script = [
            (case.created_at, "raise", officer, "reporter", Status.PENDING, text, {}),
            (_at(assigned_on, 9, rng), "assign", officer, "coordinator", Status.ASSIGNED, "", {"department": case.lead_department.name}),
            (_at(assigned_on, 11, rng), "accept", handler, "lead_department", Status.IN_PROGRESS, "", {}),
            (_at(done_on, 15, rng), "report_result", handler, "lead_department", Status.AWAITING_VERIFICATION, result_text, {"result": "solved"}),
            (case.closed_at, "verify", officer, "verifier", Status.CLOSED, "现场核实，问题已解决", {"on_time": True}),
            (_at(done_on + datetime.timedelta(days=2), 10, rng), "rate", rater, part, Status.RATED, case.rating_comment, {"rating": rating} | by_phone),
        ]  # fmt: skip
        out.append((case, script))
    return out


# The seeds' reported figures, as records in dated windows before the generated history (which starts three years
# before today): 创新创业服务园区's cadres visited 19 park firms and collected 27 problems, all solved (000);
# 临港物流产业园区's satisfaction survey answered 150-odd demands, all closed (003); 科技创新局 visited firms 75 times
# and solved 36 of their technology problems (004).
SEED_WINDOWS = {
    "innovation_visits": (datetime.date(2024, 1, 8), datetime.date(2024, 2, 8)),
    "logistics_survey": (datetime.date(2022, 4, 1), datetime.date(2022, 6, 30)),
    "science_visits": (datetime.date(2023, 3, 1), datetime.date(2023, 10, 31)),
}


def _closed_case(*, rng, workdays, enterprise, category, source, description, reporter, officer, handler, raised_on,
                 visit_problem=None) -> None:  # fmt: skip
    """A demand handled by the book and closed solved: raised, assigned, accepted, reported, verified."""
    assign_on = workdays.add(raised_on, 1)
    report_on = workdays.add(assign_on, max(1, category.deadline_workdays // 2))
    verify_on = workdays.add(report_on, 1)
    case = Case.objects.create(
        kind="demand", category=category, enterprise=enterprise, park_id=enterprise.park_id, description=description,
        source=source, visit_problem=visit_problem, reporter=reporter, priority=category.priority,
        status=Status.CLOSED, lead_department=category.department, assigned_on=assign_on,
        deadline=workdays.add(assign_on, category.deadline_workdays), warn_on=workdays.add(assign_on, 1),
        reported_on=report_on, result="solved", result_text=RESULTS["solved"], closed_at=_at(verify_on, 11, rng),
        closed_on_time=True, handling_workdays=workdays.between(assign_on, report_on), created_at=_at(raised_on, 9, rng),
    )  # fmt: skip
    case.number = f"ZQ{raised_on:%Y}{case.pk:06d}"
    case.save(update_fields=["number"])
    CaseEvent.objects.bulk_create([
        CaseEvent(case=case, action="raise", actor=reporter, actor_part="reporter", to_status=Status.PENDING, at=case.created_at, comment=description),
        CaseEvent(case=case, action="assign", actor=officer, actor_part="coordinator", from_status=Status.PENDING, to_status=Status.ASSIGNED, at=_at(assign_on, 9, rng), details={"department": category.department.name}),
        CaseEvent(case=case, action="accept", actor=handler, actor_part="lead_department", from_status=Status.ASSIGNED, to_status=Status.IN_PROGRESS, at=_at(assign_on, 10, rng)),
        CaseEvent(case=case, action="report_result", actor=handler, actor_part="lead_department", from_status=Status.IN_PROGRESS, to_status=Status.AWAITING_VERIFICATION, at=_at(report_on, 16, rng), comment=RESULTS["solved"], details={"result": "solved"}),
        CaseEvent(case=case, action="verify", actor=officer, actor_part="verifier", from_status=Status.AWAITING_VERIFICATION, to_status=Status.CLOSED, at=case.closed_at, details={"on_time": True}),
    ])  # fmt: skip


def _seed_visits(
    *, rng, workdays, window, coordinator, officers, enterprises, visits, problems, category, handler, topics
):
    """`visits` visits by `officers` to `enterprises` in turn (so some are visited twice), the first `problems` of
    them with one problem each (two each for the first ones when there are more problems than visits)."""
    from zhuqi.enterprises.models import Visit, VisitProblem

    start, end = window
    days = [d for d in workdays.days if start <= d <= end]
    extra = max(problems - visits, 0)
    for n in range(visits):
        enterprise, by = enterprises[n % len(enterprises)], officers[n % len(officers)]
        day = days[n * len(days) // visits]
        visit = Visit.objects.create(enterprise=enterprise, visited_on=day, topics=topics, recorded_by=by,
                                     recorded_at=_at(day, 17, rng))  # fmt: skip
        visit.officers.set([by])
        count = (1 if n < problems else 0) + (1 if n < extra else 0)
        for _k in range(count):
            description = rng.choice(PROBLEMS[category.name])
            problem = VisitProblem.objects.create(visit=visit, description=description)
            _closed_case(rng=rng, workdays=workdays, enterprise=enterprise, category=category, source="visit",
                         description=description, reporter=by, officer=coordinator, handler=handler, raised_on=day,
                         visit_problem=problem)  # fmt: skip


@transaction.atomic
def load_demo_seed_figures(*, seed: int = 2024, today: datetime.date | None = None) -> int:
    from zhuqi.org.models import Park

    rng = random.Random(seed + 20)
    categories = categories_load()
    workdays = _Workdays(datetime.date(2022, 1, 1), datetime.date(2024, 12, 31))
    coordinator = User.objects.filter(role=Role.ZONE_COORDINATOR).order_by("pk").first()
    handlers = {}
    for u in User.objects.filter(role=Role.DEPARTMENT_HANDLER).order_by("username"):
        handlers.setdefault(u.department_id, u)
    parks = {p.name: p for p in Park.objects.all()}
    before = Case.objects.count()
    innovation = parks.get("创新创业服务园区")
    if innovation:
        officers = list(User.objects.filter(role=Role.PARK_OFFICER, park=innovation).order_by("pk"))
        firms = list(Enterprise.objects.filter(park=innovation).order_by("pk")[:19])
        category = categories["科技"] if "科技" in categories else next(iter(categories.values()))
        if officers and len(firms) == 19:
            _seed_visits(rng=rng, workdays=workdays, coordinator=coordinator, window=SEED_WINDOWS["innovation_visits"], officers=officers,
                         enterprises=firms, visits=19, problems=27, category=category,
                         handler=handlers.get(category.department_id) or coordinator,
                         topics="党员干部走访园区企业：了解生产经营、用工和融资需求，收集企业问题")  # fmt: skip
    science = Department.objects.filter(name="科技创新局").first()
    if science:
        officers = list(User.objects.filter(role=Role.DEPARTMENT_HANDLER, department=science).order_by("pk"))
        firms = list(Enterprise.objects.order_by("pk")[:60])
        category = next((c for c in categories.values() if c.department_id == science.pk), None)
        if officers and category and len(firms) == 60:
            _seed_visits(rng=rng, workdays=workdays, coordinator=coordinator, window=SEED_WINDOWS["science_visits"], officers=officers,
                         enterprises=firms, visits=75, problems=36, category=category,
                         handler=handlers.get(science.pk) or coordinator,
                         topics="科技服务走访：研发投入、高企申报和科技痛点难点问题")  # fmt: skip
    logistics = parks.get("临港物流产业园区")
    if logistics:
        firms = list(Enterprise.objects.filter(park=logistics).order_by("pk"))
        officer = User.objects.filter(role=Role.PARK_OFFICER, park=logistics).order_by("pk").first() or coordinator
        start, end = SEED_WINDOWS["logistics_survey"]
        days = [d for d in workdays.days if start <= d <= end]
        names = sorted(categories)
        for n in range(153 if firms else 0):
            category = categories[names[n % len(names)]]
            _closed_case(rng=rng, workdays=workdays, enterprise=firms[n % len(firms)], category=category,
                         source="survey", description=f"满意度调查反映：{rng.choice(PROBLEMS[category.name])}",
                         reporter=officer, officer=officer, handler=handlers.get(category.department_id) or coordinator,
                         raised_on=days[n * len(days) // 153])  # fmt: skip
    rollup_rebuild()
    return Case.objects.count() - before
