"""Every kind of SMS says which firm, what, and by when, in one message (70 characters), however long the firm's
registered name."""

import datetime

import pytest
from django.utils import timezone

from zhuqi.cases import services
from zhuqi.cases.models import ReminderKind, SupervisionNotice
from zhuqi.cases.tests.factories import CaseFactory, CategoryFactory
from zhuqi.cases.texts import _ASKED, case_action_sms, reminder_sms, reply_due_sms
from zhuqi.cases.workflow import Action, Status
from zhuqi.core.sms_text import SMS_LIMIT, firm_short, sms_fit
from zhuqi.enterprises.tests.factories import EnterpriseFactory
from zhuqi.monitoring.models import Alarm, AlarmLevel, MonitoringPoint, Quantity
from zhuqi.monitoring.services import alarm_sms
from zhuqi.notifications.models import Channel, OutboxMessage
from zhuqi.org.models import Department

LONG_NAMES = [
    "河南森源电气股份有限公司",
    "平顶山市新华区高新技术产业开发区中原智能装备制造与新材料研究院有限责任公司（平顶山分公司）",
    "中国平煤神马能源化工集团有限责任公司",
    "平顶山市国际大型特种阀门精密铸造与绿色智能制造产业园运营管理服务有限公司",
]


def test_a_firm_is_called_as_people_call_it():
    assert firm_short("河南森源电气股份有限公司") == "森源电气"
    assert firm_short("平顶山市天安煤业有限责任公司（一矿）") == "天安煤业"
    assert firm_short("有限公司") == "有限公司"  # nothing left to call it by: kept as it is


@pytest.mark.parametrize("name", LONG_NAMES)
def test_the_fixed_parts_survive_and_the_text_fits_one_message(name):
    text = sms_fit(
        "{firm}「{what}」{number}已交办，请于{due}前办结", shrink={"firm": firm_short(name), "what": "安全生产" * 8},
        number="ZQ2026000123", due="12月5日",
    )  # fmt: skip
    assert len(text) <= SMS_LIMIT
    assert text.startswith("【助企】") and "ZQ2026000123" in text and "12月5日前办结" in text


@pytest.fixture
def long_case(zone):
    enterprise = EnterpriseFactory(name=LONG_NAMES[1], park=zone.park_a)
    category = CategoryFactory(
        name="用地规划与不动产登记手续协调", department=Department.objects.get(name="应急管理局")
    )
    return CaseFactory(
        enterprise=enterprise, park=zone.park_a, category=category, status=Status.IN_PROGRESS,
        reporter=zone.users["officer_a"],
        lead_department=category.department, deadline=datetime.date(2026, 12, 15), description="说明" * 50,
        assigned_on=datetime.date(2026, 12, 1),
    )  # fmt: skip


def _says_firm_what_and_when(text, case, when="12月15日"):
    assert len(text) <= SMS_LIMIT, text
    assert text.startswith("【助企】") and case.number in text
    assert "中原智能" in text  # the firm, as people call it
    assert "用地" in text  # what it is about
    if when:
        assert when in text


@pytest.mark.parametrize("action", [*_ASKED, Action.SUPERVISE])
def test_every_case_notice_says_firm_what_and_when(long_case, zone, action):
    if action == Action.SUPERVISE:
        SupervisionNotice.objects.create(
            number="督办〔2026〕1号", case=long_case, department=long_case.lead_department, requirement="请回复",
            reply_due=datetime.date(2026, 12, 9), issued_by=zone.users["coordinator"],
        )  # fmt: skip
    text = case_action_sms(long_case, action)
    when = {Action.SUPERVISE: "12月9日"}.get(action, "12月15日" if "{due}" in _ASKED.get(action, "") else None)
    _says_firm_what_and_when(text, long_case, when)


@pytest.mark.parametrize("kind", [ReminderKind.OVERDUE, ReminderKind.DUE_TODAY, ReminderKind.WARNING])
def test_every_reminder_says_firm_what_and_when(long_case, kind):
    _says_firm_what_and_when(reminder_sms(long_case, kind), long_case)


def test_the_supervision_reply_reminder_says_firm_what_and_when(long_case, zone):
    notice = SupervisionNotice.objects.create(
        number="督办〔2026〕2号", case=long_case, department=long_case.lead_department, requirement="请回复",
        reply_due=datetime.date(2026, 12, 9), issued_by=zone.users["coordinator"],
    )  # fmt: skip
    _says_firm_what_and_when(reply_due_sms(notice), long_case, "12月9日")


def test_a_case_without_a_firm_names_what_it_is_about(zone):
    category = CategoryFactory(name="占道经营", department=Department.objects.get(name="应急管理局"))
    case = CaseFactory(
        enterprise=None, category=category, deadline=datetime.date(2026, 12, 15), status=Status.IN_PROGRESS,
        reporter=zone.users["grid_a"], lead_department=category.department, assigned_on=datetime.date(2026, 12, 1),
    )  # fmt: skip
    text = case_action_sms(case, Action.ASSIGN)
    assert len(text) <= SMS_LIMIT and "占道经营" in text and "12月15日" in text and "「」" not in text


@pytest.mark.parametrize("level", list(AlarmLevel))
def test_every_alarm_says_firm_point_reading_and_when(zone, level):
    enterprise = EnterpriseFactory(name=LONG_NAMES[3], park=zone.park_a)
    point = MonitoringPoint.objects.create(
        enterprise=enterprise, code="LT-303", name="二期罐区三号液氨储罐液位计（东侧）", quantity=Quantity.TANK_LEVEL,
        unit="%", low_limit=10, high_limit=80, high_high_limit=90, dead_band=2, min_duration_seconds=30,
    )  # fmt: skip
    due = timezone.make_aware(datetime.datetime(2026, 12, 1, 14, 35))
    alarm = Alarm(point=point, enterprise=enterprise, level=level, value=None if level == "offline" else 92.5,
                  triggered_at=due, acknowledge_by=due)  # fmt: skip
    text = alarm_sms(alarm, point)
    assert len(text) <= SMS_LIMIT, text
    assert "特种阀门" in text and "液氨" in text and "14:35" in text
    if level != "offline":
        assert "92.5%" in text


@pytest.mark.django_db(transaction=True)
def test_a_supervision_notice_sends_the_informative_text_through_the_outbox(zone):
    category = CategoryFactory(name="安全生产", department=Department.objects.get(name="应急管理局"))
    case_a = CaseFactory(
        enterprise=zone.enterprise_a, park=zone.park_a, reporter=zone.users["enterprise_a"], category=category,
        lead_department=category.department, status=Status.IN_PROGRESS, deadline=datetime.date(2026, 12, 15),
        assigned_on=datetime.date(2026, 12, 1),
    )  # fmt: skip
    zone.users["department"].phone = "13700001111"
    zone.users["department"].save()
    services.case_act(case=case_a, action="supervise", by=zone.users["coordinator"], comment="请反馈", reply_workdays=3)
    [sms] = OutboxMessage.objects.filter(channel=Channel.SMS)
    assert (
        sms.body.startswith("【助企】森源电气「安全生产」") and case_a.number in sms.body and "前书面回复" in sms.body
    )
    assert len(sms.body) <= SMS_LIMIT
