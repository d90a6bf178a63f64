"""The firm's daily report: checked with Chinese messages, its own firm only, once a day (a second save corrects
it), late after the cut-off, its problem a case in the same step; the period's firms frozen when it opens."""

import datetime

import pytest

from zhuqi.cases.models import Case, Source
from zhuqi.cases.tests.factories import CategoryFactory
from zhuqi.core.errors import DomainError
from zhuqi.core.models import AuditRecord
from zhuqi.dispatch import services
from zhuqi.dispatch.models import DailyReport, DispatchTarget, PeriodStatus
from zhuqi.dispatch.services import report_check
from zhuqi.enterprises.models import TimelineEntry
from zhuqi.enterprises.selectors import enterprise_timeline
from zhuqi.enterprises.tests.factories import EnterpriseFactory
from zhuqi.org.tests.factories import ParkFactory

from .conftest import FIRST_DAY, at, values

pytestmark = pytest.mark.django_db


def submit(zone, who="enterprise_a", firm=None, when=None, **given):
    return services.report_submit(by=zone.users[who], period=zone.period, enterprise=firm or zone.enterprise_a,
                                  values=values(**given), now=when or at(FIRST_DAY, 8, 30))  # fmt: skip


@pytest.mark.parametrize(
    ("given", "field", "message"),
    [
        ({"status": ""}, "operating_status", "请选择开工状态：正常、部分或停工"),
        ({"on": ""}, "staff_on_duty", "请填写在岗人数"),
        ({"on": "3.5"}, "staff_on_duty", "在岗人数须为整数（人）"),
        ({"planned": "0"}, "staff_planned", "计划人数须在 1 到 100000 之间"),
        ({"on": 120, "planned": 100}, "staff_on_duty", "在岗人数不能多于计划人数"),
        ({"output": None, "rate": None}, "output_value", "请填写当日产值或产能利用率"),
        ({"output": "abc"}, "output_value", "当日产值须为数字"),
        ({"output": None, "rate": "250"}, "capacity_utilisation", "产能利用率须在 0 到 200 之间"),
        ({"normal": ""}, "normal_output", "请填写正常日产值（万元），它是产能恢复率的基数"),
        ({"normal": "0"}, "normal_output", "正常日产值须大于 0"),
        ({"status": "stopped", "output": "3"}, "output_value", "停工企业当日产值应为 0"),
        ({"status": "normal", "on": 0}, "staff_on_duty", "已开工企业在岗人数应大于 0"),
        ({"status": "partial", "output": "0"}, "output_value", "已开工企业当日应有产值；如无产值，请报停工"),
        ({"problems": "难" * 1001}, "problems", "困难和问题不能超过 1000 字"),
    ],
)
def test_each_wrong_value_is_refused_with_a_chinese_message_beside_its_field(dispatch, given, field, message):
    _clean, found = report_check(**values(**given))
    assert found[field] == message
    with pytest.raises(DomainError) as refused:
        submit(dispatch, **given)
    assert refused.value.message in found.values()
    assert not DailyReport.objects.exists()


def test_the_output_or_the_utilisation_gives_the_other_from_the_normal_output(dispatch):
    report = submit(dispatch, output=None, rate="75", normal="12")
    assert (report.output_value, report.capacity_utilisation, report.output_given) == (9, 75, False)
    report = submit(dispatch, firm=dispatch.enterprise_b, who="enterprise_b", output="4.5", normal="6")
    assert (report.output_value, report.capacity_utilisation, report.output_given) == (4.5, 75, True)


def test_a_firm_reports_only_for_itself(dispatch):
    with pytest.raises(DomainError) as refused:
        submit(dispatch, who="enterprise_a", firm=dispatch.enterprise_b)
    assert refused.value.message == "无权为该企业报送"
    with pytest.raises(DomainError):  # nor a park officer for another park's firm, nor a grid member
        submit(dispatch, who="officer_a", firm=dispatch.enterprise_b)
    with pytest.raises(DomainError):
        submit(dispatch, who="grid_a")
    assert submit(dispatch, who="officer_b", firm=dispatch.enterprise_b).reported_by == dispatch.users["officer_b"]


def test_a_firm_outside_the_period_or_a_day_outside_it_is_refused(dispatch):
    other = EnterpriseFactory(park=dispatch.park_a)
    with pytest.raises(DomainError) as refused:
        submit(dispatch, who="coordinator", firm=other)
    assert refused.value.message == "该企业不在本次调度范围内"
    with pytest.raises(DomainError) as refused:
        submit(dispatch, when=at(FIRST_DAY + datetime.timedelta(days=3), 8))
    assert refused.value.message == "报送日期为 2026-02-23 至 2026-02-25"


def test_a_second_report_the_same_day_corrects_the_first_and_both_are_audited(dispatch):
    first = submit(dispatch, on=80)
    second = submit(dispatch, on=95, when=at(FIRST_DAY, 10, 5))
    assert first.pk == second.pk and DailyReport.objects.get().staff_on_duty == 95
    assert second.is_late  # corrected after the cut-off
    audited = AuditRecord.objects.filter(object_type__icontains="dailyreport").order_by("pk")
    assert [a.event for a in audited] == ["create", "update"]
    assert audited.last().changes["staff_on_duty"] == ["80", "95"]
    assert TimelineEntry.objects.filter(kind="dispatch_report").count() == 1


def test_a_report_after_the_cut_off_is_marked_late(dispatch):
    assert not submit(dispatch, when=at(FIRST_DAY, 8, 59)).is_late
    assert submit(dispatch, firm=dispatch.enterprise_b, who="enterprise_b", when=at(FIRST_DAY, 9, 1)).is_late


def test_a_closed_period_takes_no_report(dispatch):
    services.period_close(by=dispatch.users["coordinator"], period=dispatch.period)
    with pytest.raises(DomainError) as refused:
        submit(dispatch)
    assert refused.value.message == "该调度期未在调度中，不能报送"


def test_a_reported_problem_becomes_a_case_in_the_same_step(dispatch):
    category = CategoryFactory(name="用工")
    report = services.report_submit(by=dispatch.users["enterprise_a"], period=dispatch.period,
                                    enterprise=dispatch.enterprise_a, case_category=category,
                                    values=values(problems="返岗工人不足，急需招聘普工 30 名"), now=at(FIRST_DAY, 8))  # fmt: skip
    case = Case.objects.get()
    assert report.case == case
    assert (case.enterprise, case.source, case.category) == (dispatch.enterprise_a, Source.ENTERPRISE, category)
    assert case.description == "【节后复工调度 02-23】返岗工人不足，急需招聘普工 30 名"
    with pytest.raises(DomainError) as refused:  # once per report
        services.report_problem_raise(by=dispatch.users["officer_a"], report=report, category=category)
    assert refused.value.message == "该报送的问题已登记为诉求"


def test_staff_raise_a_reported_problem_as_a_case_with_one_click(dispatch):
    report = submit(dispatch, problems="原材料到货延迟")
    case = services.report_problem_raise(by=dispatch.users["officer_a"], report=report, category=CategoryFactory())
    report.refresh_from_db()
    assert report.case == case and case.reporter == dispatch.users["officer_a"]


def test_when_the_case_cannot_be_raised_nothing_of_the_report_is_kept(dispatch):
    retired = CategoryFactory(name="已停用", is_active=False)
    with pytest.raises(DomainError) as refused:
        services.report_submit(by=dispatch.users["enterprise_a"], period=dispatch.period,
                               enterprise=dispatch.enterprise_a, case_category=retired,
                               values=values(problems="缺工"), now=at(FIRST_DAY, 8))  # fmt: skip
    assert refused.value.message == "该类别已停用"
    assert not DailyReport.objects.exists() and not Case.objects.exists()
    assert not TimelineEntry.objects.filter(kind="dispatch_report").exists()


def test_the_firms_are_resolved_by_every_criterion_given_and_frozen_when_the_period_opens(zone):
    coordinator = zone.users["coordinator"]
    zone.enterprise_a.scale = "above"
    zone.enterprise_a.save()
    EnterpriseFactory(park=zone.park_b, scale="above")
    named = EnterpriseFactory(park=ParkFactory(), scale="below")
    period = services.period_create(by=coordinator, name="重污染天气应急调度", kind="pollution",
                                    starts_on=FIRST_DAY, ends_on=FIRST_DAY, scale="above", parks=[zone.park_a],
                                    enterprises=[named])  # fmt: skip
    assert period.status == PeriodStatus.DRAFT and not period.targets.exists()
    period = services.period_open(by=coordinator, period=period)
    frozen = set(DispatchTarget.objects.filter(period=period).values_list("enterprise_id", "park_id"))
    assert frozen == {(zone.enterprise_a.pk, zone.park_a.pk), (named.pk, named.park_id)}
    zone.enterprise_a.park = zone.park_b  # the registry changes later; the period's firms and parks do not
    zone.enterprise_a.save()
    EnterpriseFactory(park=zone.park_a, scale="above")
    assert set(DispatchTarget.objects.filter(period=period).values_list("enterprise_id", "park_id")) == frozen
    with pytest.raises(DomainError) as refused:
        services.period_open(by=coordinator, period=period)
    assert refused.value.message == "该调度期已开启"


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"name": " "}, "请填写调度名称"),
        ({"ends_on": FIRST_DAY - datetime.timedelta(days=1)}, "最后报送日不能早于首个报送日"),
        ({"ends_on": FIRST_DAY + datetime.timedelta(days=200)}, "一个调度期最长 120 天"),
        ({"kind": "holiday"}, "请选择调度类型"),
        ({"scale": ""}, "请选定报送企业：按标签、园区、规模或点名"),
    ],
)
def test_a_period_is_checked_before_it_is_saved(zone, given, message):
    fields = {"name": "疫情防控调度", "kind": "epidemic", "starts_on": FIRST_DAY, "ends_on": FIRST_DAY,
              "scale": "above"} | given  # fmt: skip
    with pytest.raises(DomainError) as refused:
        services.period_create(by=zone.users["coordinator"], **fields)
    assert refused.value.message == message


def test_only_the_zone_office_opens_a_period(zone):
    with pytest.raises(DomainError) as refused:
        services.period_create(by=zone.users["officer_a"], name="x", kind="other", starts_on=FIRST_DAY,
                               ends_on=FIRST_DAY, scale="above")  # fmt: skip
    assert refused.value.message == "调度期只能由管委会开启和结束"


def test_the_report_is_on_the_firms_file_for_those_who_see_the_firm(dispatch):
    submit(dispatch)
    entry = enterprise_timeline(user=dispatch.users["officer_a"], enterprise=dispatch.enterprise_a).get(
        kind="dispatch_report"
    )
    assert entry.summary == "节后复工调度 2月23日：正常，在岗 90/100 人，产能利用率 80.0%"
    assert entry.get_kind_display() == "每日调度报送"
    assert (
        not enterprise_timeline(user=dispatch.users["grid_a"], enterprise=dispatch.enterprise_a)
        .filter(kind="dispatch_report")
        .exists()
    )
