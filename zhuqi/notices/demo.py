"""The demo zone's notices and training, as the local paper reported them (registered in apps.py):

- 应急管理局 over the Spring Festival 2024 (report of 19 February 2024): 工作提示 5 个, 转发大风降温和低温雨雪冰冻天气
  预警信息 8 条, 推送复工复产和极端天气安全防范信息 35 条, 线上线下宣教服务 32 次.
- 19 March 2024: 皇台产业园区's training on the 满负荷生产资金奖补 policy for 16 above-scale firms (平高集团电力检修
  工程有限公司, 平顶山森源电气有限公司 among them).
- 20 March 2024: 创新创业服务园区's 2024 project-application training for 46 tech firms, the 2024 《助企手册》
  (7 大类 25 项惠企内容) handed out.
Reads, confirmations and sign-ins are generated; every person is made up."""

import datetime
import json
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F, Q
from django.utils import timezone

from zhuqi.core.roles import Role
from zhuqi.core.workdays import add_workdays
from zhuqi.enterprises.models import Enterprise, Scale, Tag
from zhuqi.notifications.models import OutboxMessage
from zhuqi.org.models import Department, Park, User

from . import services, training
from .models import (
    Attendance,
    Audience,
    Invitation,
    Notice,
    NoticeKind,
    Receipt,
    Requirement,
    TrainingSession,
    WarningLevel,
)

WORK_TIPS = [
    ("关于做好春节期间安全防范工作的提示", "安委办〔2024〕1号", "2024-01-26", True),
    ("节后复工复产安全防范工作提示", "安委办〔2024〕2号", "2024-02-05", True),
    ("春节期间基层安全工作要点", "安委办〔2024〕3号", "2024-02-07", False),
    ("危险化学品企业节后开工“七个必须”提示", "应急〔2024〕4号", "2024-02-16", True),
    ("工贸企业有限空间作业安全提示", "应急〔2024〕5号", "2024-02-18", False),
]
WARNINGS = [
    ("平顶山市气象台发布寒潮蓝色预警信号", "寒潮", WarningLevel.BLUE, "2024-01-20"),
    ("平顶山市气象台发布大风蓝色预警信号", "大风", WarningLevel.BLUE, "2024-01-31"),
    ("平顶山市气象台发布暴雪黄色预警信号", "暴雪", WarningLevel.YELLOW, "2024-02-01"),
    ("平顶山市气象台发布道路结冰黄色预警信号", "道路结冰", WarningLevel.YELLOW, "2024-02-02"),
    ("平顶山市气象台发布暴雪橙色预警信号", "暴雪", WarningLevel.ORANGE, "2024-02-03"),
    ("平顶山市气象台发布低温雨雪冰冻黄色预警信号", "低温雨雪冰冻", WarningLevel.YELLOW, "2024-02-04"),
    ("平顶山市气象台发布寒潮黄色预警信号", "寒潮", WarningLevel.YELLOW, "2024-02-19"),
    ("平顶山市气象台发布大风降温蓝色预警信号", "大风降温", WarningLevel.BLUE, "2024-02-20"),
]
PUSH_TOPICS = ["复工复产安全检查要点", "极端天气安全防范提醒", "冬季防火防爆须知", "燃气使用安全常识", "有限空间作业“七不准”",
               "烟花爆竹安全管理提醒", "节后设备开车前检查清单", "雨雪冰冻天气厂区防滑措施", "危化品装卸作业规范"]  # fmt: skip
MEASURES = "请各企业严格落实24小时值班和领导带班制度，加强对厂房、仓库、临时设施的检查加固，做好防冻防滑和停工停产准备，" \
           "遇险情及时上报区应急管理局。"  # fmt: skip
PEOPLE = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"]
GIVEN = ["伟", "芳", "娜", "敏", "静", "磊", "强", "军", "洋", "勇", "艳", "杰"]
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _at(day: str, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(hour, 30)))


def _person(rng) -> str:
    return rng.choice(PEOPLE) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _answered(notice, rng, *, read=0.9, confirmed=0.8) -> None:
    """Most firms opened the notice within two days and, when asked, confirmed it (a few after the date)."""
    sent = notice.sent_at
    for receipt in Receipt.objects.filter(notice=notice).order_by("pk"):
        if rng.random() > read:
            continue
        receipt.read_at = sent + datetime.timedelta(hours=rng.randint(1, 48))
        if notice.requirement == Requirement.CONFIRM and rng.random() < confirmed:
            receipt.confirmed_at = receipt.read_at + datetime.timedelta(hours=rng.randint(2, 100))
            receipt.confirmation = rng.choice(["已组织全员学习，落实值班值守。", "已开展节前安全自查，整改问题 2 项。",
                                               "已对重点部位加固检查，储备防滑物资。"])  # fmt: skip
        receipt.save(update_fields=["read_at", "confirmation", "confirmed_at"])


def load_demo_notices(*, seed: int = 2024, today: datetime.date | None = None) -> int:
    rng = random.Random(seed + 21)
    first_outbox = OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    department = Department.objects.filter(name="应急管理局").first()
    sender = User.objects.filter(role=Role.DEPARTMENT_HANDLER, department=department).order_by("pk").first()
    if sender is None:
        return 0
    hazardous = list(Tag.objects.filter(name__in=["危化企业"]).values_list("pk", flat=True))
    made = 0
    # the department's saved audiences, picked again each time it writes
    saved = {
        json.dumps(criteria, sort_keys=True): Audience.objects.create(
            name=name, criteria=criteria, department=department, created_by=sender, created_at=_at("2024-01-20", 8))
        for name, criteria in (("危化企业", {"tags": hazardous}), ("规上工业企业", {"scales": [Scale.ABOVE]}))
    }  # fmt: skip

    def notice(kind, title, day, *, confirm=False, criteria, hour=9, **extra):
        moment = _at(day, hour)
        n = Notice.objects.create(
            kind=kind, title=title, body=extra.pop("body", title + "。请各企业认真贯彻落实。"), created_by=sender,
            issuer_name="区安委会办公室、区应急管理局" if kind == NoticeKind.WORK_TIP else "区应急管理局",
            department=department, requirement=Requirement.CONFIRM if confirm else Requirement.READ,
            due_on=add_workdays(moment.date(), 5) if confirm else None, criteria=criteria,
            audience=saved.get(json.dumps(criteria, sort_keys=True)),
            created_at=moment, confirm_prompt="落实措施、值班安排" if confirm else "", **extra,
        )  # fmt: skip
        services.notice_send(notice=n, by=sender, now=moment)
        n.refresh_from_db()
        _answered(n, rng)
        return n

    above = {"scales": [Scale.ABOVE]}
    for title, number, day, confirm in WORK_TIPS:
        notice(NoticeKind.WORK_TIP, title, day, confirm=confirm, doc_number=number,
               criteria={"tags": hazardous} if "危险化学品" in title else above)  # fmt: skip
        made += 1
    for title, event, level, day in WARNINGS:
        start = _at(day, 7)
        notice(NoticeKind.WARNING, title, day, hour=8, criteria=above, level=level, event=event, area="平顶山市",
               source_name="平顶山市气象台", effective_at=start, expires_at=start + datetime.timedelta(days=2),
               measures=MEASURES, identifier=f"41040041600000_{day.replace('-', '')}{made:02d}",
               body=f"{title}，预计未来 24 至 48 小时我市将出现{event}天气，请注意防范。")  # fmt: skip
        made += 1
    start = datetime.date(2024, 1, 25)
    for i in range(35):
        day = (start + datetime.timedelta(days=i * 25 // 35)).isoformat()
        topic = PUSH_TOPICS[i % len(PUSH_TOPICS)]
        notice(NoticeKind.SAFETY, topic, day, hour=10 + i % 6, criteria={"tags": hazardous} if i % 3 == 0 else above)
        made += 1

    # 线上线下宣教服务 32 次: the department's own sessions, a few firms each, signed in on the day
    firms = list(Enterprise.objects.filter(Q(scale=Scale.ABOVE) | Q(tags__in=hazardous)).distinct().order_by("pk"))
    for i in range(32):
        moment = _at((start + datetime.timedelta(days=i * 25 // 32)).isoformat(), 9 + i % 7)
        session = TrainingSession.objects.create(
            topic=rng.choice(["复工复产安全", "《工贸小微企业安全技术指南》解读", "冬季防火", "有限空间作业", "危化品安全"])
            + "宣教", kind=NoticeKind.SAFETY, starts_at=moment, place="线上" if i % 2 else "企业现场",
            organiser_name="区应急管理局", department=department, created_by=sender,
        )  # fmt: skip
        for firm in rng.sample(firms, min(len(firms), rng.randint(1, 3))):
            for _ in range(rng.randint(1, 3)):
                try:
                    training.sign_in(session=session, firm=firm.name, person_name=_person(rng), now=moment)
                except Exception:  # noqa: BLE001, S112  (a made-up name drawn twice for one firm: skip it)  # nosec B112
                    continue
        made += 1
    made += _march_sessions(rng)
    # what the loader wrote to the outbox tells of 2024: it is history, not news to send now
    OutboxMessage.objects.filter(pk__gt=first_outbox, status="pending").update(status="sent", sent_at=F("created_at"))
    return made


def _march_sessions(rng) -> int:
    made = 0
    plans = [
        ("皇台产业园区", "满负荷生产资金奖补政策专题培训会", "2024-03-19", 16, 18, Q(scale=Scale.ABOVE),
         "满负荷生产资金奖补政策解读.pdf", "园区工作人员讲解满负荷生产资金奖补政策的相关条款、申报流程，一对一精准指导。"),
        ("创新创业服务园区", "2024年度项目申报政策培训会", "2024-03-20", 46, 50, Q(tags__name__in=["高新技术企业"])
         | Q(qualifications__kind__in=["high_tech", "tech_sme"]), "助企手册（2024版）.pdf",
         "介绍2023年度企业科技创新能力情况、现行政策及重点项目申报要点，安排2024年度项目申报工作，发放2024版《助企手册》"
         "（7大类25项惠企内容），解读《创新创业服务园区管理暂行办法》《创新创业服务园区企业绩效综合评价意见》。"),
    ]  # fmt: skip
    for park_name, topic, day, came, invited, preferred, material, description in plans:
        park = Park.objects.filter(name=park_name).first()
        officer = User.objects.filter(role=Role.PARK_OFFICER, park=park).order_by("pk").first()
        if park is None or officer is None:
            continue
        in_park = Enterprise.objects.filter(park=park)
        chosen = list(in_park.filter(preferred).distinct().order_by("pk"))
        chosen += list(in_park.exclude(pk__in=[e.pk for e in chosen]).order_by("-headcount", "pk"))
        chosen = chosen[:invited]
        moment = _at(day, 9)
        session = TrainingSession.objects.create(
            topic=topic, description=description, kind=NoticeKind.POLICY, starts_at=moment, place=f"{park_name}会议室",
            organiser_name=park_name, park=park, created_by=officer, created_at=moment - datetime.timedelta(days=5),
        )  # fmt: skip
        Invitation.objects.bulk_create([Invitation(session=session, enterprise=e, invited_at=session.created_at)
                                        for e in chosen])  # fmt: skip
        training.materials_add(session=session, by=officer,
                               files=[SimpleUploadedFile(material, PDF, content_type="application/pdf")])  # fmt: skip
        for firm in chosen[:came]:
            attendance = training.sign_in(session=session, firm=firm.name, person_name=_person(rng),
                                          now=moment + datetime.timedelta(minutes=rng.randint(-20, 10)))  # fmt: skip
            Attendance.objects.filter(pk=attendance.pk).update(satisfaction=rng.choice([3, 3, 3, 2]))
        made += 1
    return made
