"""Loads the demo zone deterministically: the same seed gives the same zone on every machine."""

import datetime
import random
from functools import lru_cache

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from zhuqi.core.pinyin import initials
from zhuqi.enterprises.credit_code import ALPHABET, make_credit_code
from zhuqi.enterprises.models import (
    Contact,
    Enterprise,
    OfficerAssignment,
    Qualification,
    Tag,
    TimelineEntry,
    TimelineKind,
    Visit,
    VisitFrequency,
    VisitProblem,
    VisitRule,
)
from zhuqi.org.models import Community, Department, Grid, Park, Role, Town, User

from . import zone

DEMO_PASSWORD = "Zhuqi@2026demo"  # noqa: S105  (printed for the demo; production accounts never get it)  # nosec B105
DIVISION = "410471"  # 平顶山高新技术产业开发区

# (username, full name, role, unit). A name is the person's own: the pages show each person's unit beside it, by
# the unit's one name, so a prefix in the name would only say it a second, differently spelt, time.
DEMO_LOGINS = [
    ("zone", "周统筹", Role.ZONE_COORDINATOR, None),
    ("yingji", "李经办", Role.DEPARTMENT_HANDLER, "应急管理局"),
    ("anjian", "张检查", Role.DEPARTMENT_HANDLER, "应急管理局"),  # a second inspector, for 复查
    ("huoju", "王帮办", Role.PARK_OFFICER, "创新创业服务园区"),
    ("wangge", "赵网格", Role.GRID_MEMBER, None),
    ("senyuan", "刘联络", Role.ENTERPRISE_CONTACT, "河南森源电气股份有限公司"),
    ("audit", "孙管理", Role.AUDITOR, None),
    ("sysadmin", "钱管理", Role.SYSTEM_ADMIN, None),
    ("anquan", "吴管理", Role.SECURITY_ADMIN, None),
]


@lru_cache(maxsize=1)
def _demo_hash() -> str:
    return make_password(DEMO_PASSWORD)


def _person(rng: random.Random) -> str:
    return rng.choice(zone.SURNAMES) + "".join(rng.choice(zone.GIVEN) for _ in range(rng.choice((1, 2))))


def _phone(rng: random.Random) -> str:
    return rng.choice(["138", "139", "150", "151", "186", "187", "135", "137"]) + f"{rng.randrange(10**8):08d}"


def _code(rng: random.Random, used: set[str]) -> str:
    while True:
        org8 = "MA" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(6))
        code = make_credit_code(authority="9", kind="1", division=DIVISION, organisation8=org8)
        if code not in used and all(ch in ALPHABET for ch in code):
            used.add(code)
            return code


def _user(username, full_name, role, **unit) -> User:
    user = User(username=username, full_name=full_name, role=role, password=_demo_hash(), **unit)
    user.is_staff = role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN)
    user.save()
    return user


@transaction.atomic
def load_demo_zone(*, seed: int = 2024, today: datetime.date | None = None, total_enterprises: int = 300) -> dict:
    rng = random.Random(seed)
    today = today or timezone.localdate()
    departments = {name: Department.objects.create(name=name, sort_order=i) for i, name in enumerate(zone.DEPARTMENTS)}
    parks = {
        name: Park.objects.create(name=name, also_known_as=aka, sort_order=i)
        for i, (name, aka) in enumerate(zone.PARKS)
    }
    grids = []
    for town_name, kind, communities in zone.TOWNS:
        town = Town.objects.create(name=town_name, kind=kind)
        for c_index, (c_name, c_kind) in enumerate(communities, start=1):
            community = Community.objects.create(town=town, name=c_name, kind=c_kind)
            for g in range(1, rng.randint(2, 4) + 1):
                grids.append(
                    Grid.objects.create(
                        community=community,
                        code=f"{initials(town_name).upper()}{c_index:02d}{g:02d}",
                        name=f"{c_name}第{g}网格",
                    )
                )
    tags = {name: Tag.objects.create(name=name, sort_order=i) for i, name in enumerate(zone.TAGS)}
    VisitRule.objects.create(tag=tags["危化企业"], frequency=VisitFrequency.MONTHLY)
    VisitRule.objects.create(scale="above", frequency=VisitFrequency.MONTHLY)
    VisitRule.objects.create(tag=None, scale=None, frequency=VisitFrequency.QUARTERLY)

    logins = {}
    for username, full_name, role, unit in DEMO_LOGINS:
        if role == Role.ENTERPRISE_CONTACT:
            continue
        kwargs = {}
        if role == Role.DEPARTMENT_HANDLER:
            kwargs["department"] = departments[unit]
        if role == Role.PARK_OFFICER:
            kwargs["park"] = parks[unit]
        logins[username] = _user(username, full_name, role, phone=_phone(rng), **kwargs)
    officers_by_park = {parks["创新创业服务园区"].pk: [logins["huoju"]]}
    for p_index, park in enumerate(parks.values(), start=1):
        for n in range(1, 4 if park.name != "创新创业服务园区" else 3):
            officer = _user(f"park{p_index}_{n}", _person(rng), Role.PARK_OFFICER, park=park, phone=_phone(rng))
            officers_by_park.setdefault(park.pk, []).append(officer)
    for d_index, department in enumerate(departments.values(), start=1):
        _user(
            f"dept{d_index}",
            _person(rng),
            Role.DEPARTMENT_HANDLER,
            department=department,
            phone=_phone(rng),
        )
    grid_members = [logins["wangge"]] + [
        _user(f"grid{i}", f"{_person(rng)}", Role.GRID_MEMBER, phone=_phone(rng)) for i in range(1, len(grids))
    ]
    for grid, member in zip(grids, grid_members, strict=True):
        grid.member = member
        grid.save(update_fields=["member"])

    used_codes: set[str] = set()
    now = timezone.now()
    rows = []
    for name, park, section, detail, tag_names, quals, scale in zone.ENTERPRISES:
        rows.append((name, parks[park], section, detail, tag_names, quals, scale))
    used_names = {r[0] for r in rows}
    park_list = list(parks.values())
    while len(rows) < total_enterprises:
        trade, section, detail = rng.choice(zone.NAME_TRADES)
        name = (
            rng.choice(zone.NAME_HEADS)
            + rng.choice(zone.NAME_CORES)
            + rng.choice(zone.NAME_CORES)
            + trade
            + rng.choice(zone.NAME_FORMS)
        )
        if name in used_names:
            continue
        used_names.add(name)
        tag_names = []
        if section == "C" and "化工" in trade and rng.random() < 0.5:
            tag_names.append("危化企业")
        if section == "C" and rng.random() < 0.15:
            tag_names.append("环保重点")
        if section == "C" and rng.random() < 0.15:
            tag_names.append("涉气企业")
        quals = []
        if rng.random() < 0.12:
            quals.append("high_tech")
        if rng.random() < 0.15:
            quals.append("tech_sme")
        if rng.random() < 0.03:
            quals.append(rng.choice(["specialised", "gazelle", "little_giant"]))
        rows.append(
            (
                name,
                rng.choice(park_list),
                section,
                detail,
                tag_names,
                quals,
                "above" if rng.random() < 0.25 else "below",
            )
        )

    enterprises = []
    for index, (name, park, section, detail, tag_names, quals, scale) in enumerate(rows):
        generated = index >= len(zone.ENTERPRISES)
        officer = rng.choice(officers_by_park[park.pk])
        enterprise = Enterprise.objects.create(
            name=name,
            credit_code=_code(rng, used_codes),
            name_initials=initials(name),
            park=park,
            grid=rng.choice(grids),
            address=f"平顶山高新区{rng.choice(zone.STREETS)}{rng.randint(1, 300)}号",
            industry=section,
            industry_detail=detail,
            scale=scale,
            headcount=rng.randint(300, 3000) if scale == "above" else rng.randint(8, 280),
            environmental_grade=rng.choice(["A", "B", "B", "C", "C", "D"]) if "环保重点" in tag_names else "",
            service_officer=officer,
            is_demo=True,
            # named enterprises predate the reports (2021–2024); generated visits reach back at most 540 days
            created_at=now
            - datetime.timedelta(days=rng.randint(2200, 3600) if not generated else rng.randint(600, 1800)),
        )
        enterprise.tags.set([tags[t] for t in tag_names])
        Contact.objects.create(
            enterprise=enterprise,
            name=_person(rng),
            title=rng.choice(["总经理", "办公室主任", "安全员", "财务负责人"]),
            phone=_phone(rng),
            is_primary=True,
        )
        if rng.random() < 0.4:
            Contact.objects.create(enterprise=enterprise, name=_person(rng), title="安全员", phone=_phone(rng))
        for kind in quals:
            # a spread of expiry dates, so that some fall within the next 90 days
            until = today + datetime.timedelta(days=rng.randint(-200, 1000))
            Qualification.objects.create(
                enterprise=enterprise,
                kind=kind,
                certificate_no=f"GR{until.year - 3}{rng.randint(41000000, 41009999)}",
                valid_from=until - datetime.timedelta(days=3 * 365),
                valid_until=until,
            )
        OfficerAssignment.objects.create(
            enterprise=enterprise,
            officer=officer,
            assigned_by=logins["zone"],
            assigned_at=enterprise.created_at,
            reason="演示数据：初始分包",
        )
        TimelineEntry.objects.create(
            enterprise=enterprise,
            kind=TimelineKind.REGISTERED,
            actor=logins["zone"],
            occurred_at=enterprise.created_at,
            summary="建立企业档案（演示数据）",
        )
        enterprises.append(enterprise)
    by_name = {e.name: e for e in enterprises}

    logins["senyuan"] = _user(
        "senyuan", "刘联络", Role.ENTERPRISE_CONTACT, enterprise=by_name["河南森源电气股份有限公司"]
    )
    # the demo grid member's grid holds a few enterprises, so that the grid view is not empty
    for enterprise in enterprises[:6]:
        enterprise.grid = grids[0]
        enterprise.save(update_fields=["grid"])

    dept_users = {d.name: User.objects.filter(department=d).first() for d in departments.values()}
    dept_users["应急管理局"] = logins["yingji"]
    for date, department, enterprise_name, topics in zone.REPORTED_VISITS:
        enterprise = by_name[enterprise_name]
        by = dept_users[department] if department else enterprise.service_officer
        _visit(enterprise, by, datetime.date.fromisoformat(date), topics, [], rng)

    problems = [
        "招工难，急需技术工人",
        "厂区道路破损需要维修",
        "希望了解研发费用加计扣除政策",
        "物流运输成本高",
        "用电增容审批慢",
        "流动资金紧张，希望对接银行",
        "厂房漏水",
        "希望申报高新技术企业",
    ]
    topics = [
        "了解生产经营情况，宣传助企政策",
        "安全生产检查指导",
        "复工复产进度调度",
        "研发投入和高企申报辅导",
        "用工需求摸排",
        "政策兑现情况回访",
    ]
    for enterprise in enterprises:
        for _ in range(rng.randint(0, 8)):
            day = today - datetime.timedelta(days=rng.randint(0, 540))
            raised = [rng.choice(problems)] if rng.random() < 0.2 else []
            _visit(enterprise, enterprise.service_officer, day, rng.choice(topics), raised, rng)
    return {
        "logins": [(u, DEMO_PASSWORD, full, role.label) for u, full, role, _unit in DEMO_LOGINS],
        "enterprises": len(enterprises),
    }


def _visit(enterprise, by, day, topics, raised, rng):
    visit = Visit.objects.create(
        enterprise=enterprise,
        visited_on=day,
        topics=topics,
        recorded_by=by,
        people_met=_person(rng),
        findings="",
        recorded_at=timezone.now(),
    )
    visit.officers.set([by])
    for description in raised:
        VisitProblem.objects.create(visit=visit, description=description)
    summary = f"{by} 走访：{topics}"[:280]
    if raised:
        summary += f"（收集问题 {len(raised)} 件）"
    TimelineEntry.objects.create(
        enterprise=enterprise,
        kind=TimelineKind.VISIT,
        actor=by,
        visit=visit,
        summary=summary,
        occurred_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0))),
    )
