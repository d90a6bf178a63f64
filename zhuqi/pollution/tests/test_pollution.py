import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from zhuqi.cases.models import Case
from zhuqi.core import registry
from zhuqi.core.errors import DomainError
from zhuqi.notifications.models import Notification, OutboxMessage
from zhuqi.pollution import lists, measures, selectors, services
from zhuqi.pollution.models import (
    Action,
    AlertEvent,
    AlertTask,
    CheckIn,
    Compliance,
    Grade,
    Level,
    PollutionCase,
    Sector,
    SpotCheck,
    SpotResult,
)  # fmt: skip

pytestmark = pytest.mark.django_db


def issue(pz, level=Level.ORANGE):
    now = timezone.now()
    return services.alert_issue(by=pz.users["bureau"], level=level, document="平环应急〔2026〕1号",
                                starts_at=now - datetime.timedelta(hours=1), ends_at=now + datetime.timedelta(days=2))  # fmt: skip


@pytest.mark.parametrize(("grade", "level", "action", "cut"), [
    (Grade.A, Level.RED, Action.SELF, 0),
    (Grade.LEADING, Level.ORANGE, Action.SELF, 0),
    (Grade.B, Level.YELLOW, Action.TRANSPORT, 0),
    (Grade.B, Level.ORANGE, Action.CUT, 20),
    (Grade.B, Level.RED, Action.STOP, 100),
    (Grade.C, Level.YELLOW, Action.STOP_LINES, 50),
    (Grade.C, Level.ORANGE, Action.STOP, 100),
    (Grade.D, Level.YELLOW, Action.STOP, 100),
])  # fmt: skip
def test_measure_follows_grade_industry_and_level(grade, level, action, cut):
    measures.measures_install()
    m = measures.measure_resolve(enterprise_id=1, sector=Sector.CEMENT, grade=grade, level=level)
    assert (m.action, m.cut_percent) == (action, cut)
    if grade == Grade.D:
        assert m.road_transport_stopped


def test_a_firms_own_measure_overrides_the_guide(pz):
    lists.override_set(enterprise=pz.enterprise_a, level=Level.ORANGE, action=Action.CUT, cut_percent=35,
                          lines_stop_percent=0, transport_ban=True, road_transport_stopped=False,
                          text="停1号窑，限产35%", reason="清单按工序细化", by=pz.users["bureau"])  # fmt: skip
    mine = measures.measure_resolve(
        enterprise_id=pz.enterprise_a.pk, sector=Sector.CEMENT, grade=Grade.B, level=Level.ORANGE
    )
    other = measures.measure_resolve(
        enterprise_id=pz.enterprise_b.pk, sector=Sector.CEMENT, grade=Grade.B, level=Level.ORANGE
    )
    yellow = measures.measure_resolve(
        enterprise_id=pz.enterprise_a.pk, sector=Sector.CEMENT, grade=Grade.B, level=Level.YELLOW
    )
    assert (mine.cut_percent, mine.text) == (35, "停1号窑，限产35%")
    assert other.cut_percent == 20 and yellow.action == Action.TRANSPORT


def test_measures_say_which_industry_tables_are_still_to_confirm():
    cement_b = measures.measure_resolve(enterprise_id=1, sector=Sector.CEMENT, grade=Grade.B, level=Level.ORANGE)
    nylon_c = measures.measure_resolve(enterprise_id=1, sector=Sector.NYLON, grade=Grade.C, level=Level.YELLOW)
    coating_a = measures.measure_resolve(enterprise_id=1, sector=Sector.COATING, grade=Grade.A, level=Level.RED)
    assert not cement_b.to_confirm and "水泥熟料" in cement_b.source
    assert nylon_c.to_confirm and "待" in nylon_c.source
    assert not coating_a.to_confirm and coating_a.action == Action.SELF


@pytest.mark.parametrize(("daily_aqi", "on", "level"), [
    ([210, 120], datetime.date(2025, 1, 10), Level.YELLOW),  # 2024: one day above 200
    ([210, 120], datetime.date(2023, 1, 10), None),  # before: two days were needed
    ([160, 170, 180], datetime.date(2025, 1, 10), Level.ORANGE),  # 2024: 72 h above 150
    ([220, 310, 240], datetime.date(2025, 1, 10), Level.RED),
    ([220, 310, 240], datetime.date(2023, 1, 10), Level.ORANGE),
])  # fmt: skip
def test_alert_level_follows_the_thresholds_in_force_on_the_day(daily_aqi, on, level):
    assert measures.level_for_forecast(daily_aqi=daily_aqi, on=on) == level


def test_livelihood_firm_produces_to_demand():
    measures.measures_install()
    m = measures.measure_resolve(enterprise_id=1, sector=Sector.CEMENT, grade=Grade.C, level=Level.RED, livelihood=True)
    assert m.action == Action.LIVELIHOOD and m.cut_percent == 0


def test_baseline_is_the_lowest_of_approval_permit_and_last_year():
    assert measures.baseline(approval=100, permit=90, last_year=80) == 80
    assert measures.baseline(approval=100, permit=90, last_year=None) == 90
    assert measures.baseline(approval=70, permit=90, last_year=80) == 70
    assert measures.allowed_output(Decimal(80), 20) == Decimal("64.00")


def test_activation_writes_each_task_and_message_once_even_if_clicked_twice(pz):
    alert = issue(pz)
    services.alert_act(alert=alert, action="activate", by=pz.users["bureau"])
    services.alert_act(alert=alert, action="activate", by=pz.users["bureau"])  # a second click, a retry
    tasks = AlertTask.objects.filter(alert=alert)
    assert tasks.count() == 2
    task_a = tasks.get(enterprise=pz.enterprise_a)
    assert task_a.cut_percent == 20 and task_a.baseline == 80 and task_a.allowed_output == Decimal("64.00")
    assert CheckIn.objects.filter(task__alert=alert).count() == 2
    sms = list(OutboxMessage.objects.filter(channel="sms"))
    assert len(sms) == 2 and all(len(m.body) <= 70 for m in sms)
    assert any("限产20%" in m.body and "时起" in m.body for m in sms)
    assert Notification.objects.filter(recipient=pz.users["enterprise_a"]).count() == 1
    assert SpotCheck.objects.filter(task__alert=alert, assignee=pz.users["grid_a"]).count() == 1
    assert list(AlertEvent.objects.filter(alert=alert).values_list("action", flat=True)) == ["issue", "activate"]


def test_lifting_closes_the_tasks_and_writes_the_firms_file(pz):
    alert = issue(pz)
    services.alert_act(alert=alert, action="activate", by=pz.users["bureau"])
    services.alert_act(alert=alert, action="lift", by=pz.users["bureau"])
    assert not AlertTask.objects.filter(alert=alert, closed_at__isnull=True).exists()
    task = AlertTask.objects.get(alert=alert, enterprise=pz.enterprise_a)
    with pytest.raises(DomainError):
        services.checkin_submit(task=task, by=pz.users["enterprise_a"], values={"output": "10", "lines_stopped": 0})
    from zhuqi.enterprises.models import TimelineEntry

    assert TimelineEntry.objects.filter(enterprise=pz.enterprise_a, kind="pollution_alert").count() == 1


def test_level_change_updates_the_measure_and_asks_again(pz):
    alert = issue(pz, Level.YELLOW)
    services.alert_act(alert=alert, action="activate", by=pz.users["bureau"])
    task = AlertTask.objects.get(alert=alert, enterprise=pz.enterprise_a)
    services.task_confirm(task=task, by=pz.users["enterprise_a"])
    services.alert_act(alert=alert, action="change_level", level=Level.RED, by=pz.users["bureau"])
    task.refresh_from_db()
    assert task.action == Action.STOP and task.confirmed_at is None
    assert OutboxMessage.objects.filter(channel="sms").count() == 4


def test_only_the_bureau_and_zone_run_alerts(pz):
    alert = issue(pz)
    for name in ("officer_a", "grid_a", "enterprise_a"):
        with pytest.raises(DomainError):
            services.alert_act(alert=alert, action="activate", by=pz.users[name])


def test_compliance_from_checkins(pz):
    alert = issue(pz)
    services.alert_act(alert=alert, action="activate", by=pz.users["bureau"])
    task = AlertTask.objects.get(alert=alert, enterprise=pz.enterprise_a)
    assert task.compliance == Compliance.PENDING
    services.checkin_submit(task=task, by=pz.users["enterprise_a"], values={"output": "60", "lines_stopped": "0"})
    task.refresh_from_db()
    assert task.compliance == Compliance.DONE and task.confirmed_at is not None
    services.checkin_submit(task=task, by=pz.users["enterprise_a"], values={"output": "75", "lines_stopped": "0"})
    task.refresh_from_db()
    assert task.compliance == Compliance.NOT_DONE
    assert "超过限产后允许的" in task.findings.first().detail


def test_compliance_from_readings_flags_a_mismatch(pz, monkeypatch):
    alert = issue(pz)
    services.alert_act(alert=alert, action="activate", by=pz.users["bureau"])
    task = AlertTask.objects.get(alert=alert, enterprise=pz.enterprise_a)
    services.checkin_submit(task=task, by=pz.users["enterprise_a"], values={"output": "60", "lines_stopped": "0"})
    fake = dict(registry._selectors)
    fake["monitoring.latest_by_firm"] = lambda **kw: {pz.enterprise_a.pk: 990.0}  # the plant runs at full load
    monkeypatch.setattr(registry, "_selectors", fake)
    result = services.readings_compare(alert=alert)
    task.refresh_from_db()
    assert result == {"compared": 1, "mismatches": 1}
    assert task.compliance == Compliance.PARTIAL
    assert services.mismatches_to_cases(alert=alert, by=pz.users["bureau"]) == 1
    assert services.mismatches_to_cases(alert=alert, by=pz.users["bureau"]) == 0


def test_a_stopped_firms_cems_outlet_still_emitting_is_a_mismatch(pz, monkeypatch):
    alert = issue(pz)  # orange: 君易安 (C) stops, 森源 (B) cuts 20%
    services.alert_act(alert=alert, action="activate", by=pz.users["bureau"])
    readings = {("electric_load", pz.enterprise_a.pk): 500.0, ("cems_so2", pz.enterprise_b.pk): 38.0,
                ("cems_nox", pz.enterprise_b.pk): 2.0, ("cems_so2", pz.enterprise_a.pk): 90.0}  # fmt: skip

    def latest_by_firm(*, enterprise_ids, quantity, **kw):
        return {pk: v for (q, pk), v in readings.items() if q == quantity and pk in enterprise_ids}

    monkeypatch.setattr(registry, "_selectors", {**registry._selectors, "monitoring.latest_by_firm": latest_by_firm})
    assert services.readings_compare(alert=alert) == {"compared": 2, "mismatches": 1}
    stopped = AlertTask.objects.get(alert=alert, enterprise=pz.enterprise_b)
    finding = stopped.findings.get()
    assert not finding.ok and "38 mg/m³" in finding.detail and stopped.compliance == Compliance.NOT_DONE
    assert AlertTask.objects.get(alert=alert, enterprise=pz.enterprise_a).findings.get().ok  # a cut: outlets not judged


def test_spot_check_finding_non_compliance_becomes_a_case_for_the_bureau(pz):
    alert = issue(pz)
    services.alert_act(alert=alert, action="activate", by=pz.users["bureau"])
    spot = SpotCheck.objects.get(task__alert=alert, assignee=pz.users["grid_a"])
    services.spot_check_record(spot=spot, by=pz.users["grid_a"], result=SpotResult.NON_COMPLIANT,
                               note="两条生产线均在运行")  # fmt: skip
    link = PollutionCase.objects.get(task=spot.task)
    case = Case.objects.get(pk=link.case_id)
    assert case.category.name == "环保" and case.category.department.name == "城乡建设和生态环境局"
    spot.task.refresh_from_db()
    assert spot.task.compliance == Compliance.NOT_DONE
    counts = selectors.alert_figures(user=pz.users["bureau"], alert=alert)["counts"]
    assert (counts["firms"], counts["checked"], counts["cases"], counts["not_done"]) == (2, 1, 1, 1)


def test_scope_a_firm_sees_only_its_own_tasks(pz, client):
    alert = issue(pz)
    services.alert_act(alert=alert, action="activate", by=pz.users["bureau"])
    mine = AlertTask.objects.get(alert=alert, enterprise=pz.enterprise_a)
    other = AlertTask.objects.get(alert=alert, enterprise=pz.enterprise_b)
    assert list(selectors.tasks_visible_to(pz.users["enterprise_a"])) == [mine]
    client.force_login(pz.users["enterprise_a"])
    assert client.get(reverse("pollution-task", args=[mine.pk])).status_code == 200
    assert client.get(reverse("pollution-task", args=[other.pk])).status_code == 404
    assert client.get(reverse("pollution-firm", args=[pz.enterprise_b.pk])).status_code == 404
    assert client.get(reverse("pollution-alert", args=[alert.pk])).status_code == 403


def test_pages_render_for_the_bureau(pz, client):
    alert = issue(pz)
    services.alert_act(alert=alert, action="activate", by=pz.users["bureau"])
    client.force_login(pz.users["bureau"])
    for url in (reverse("pollution-index"), reverse("pollution-alert", args=[alert.pk]), reverse("pollution-firms"),
                reverse("pollution-firm", args=[pz.enterprise_a.pk]), reverse("pollution-record")):  # fmt: skip
        assert client.get(url).status_code == 200, url
    response = client.get(reverse("pollution-alert-report", args=[alert.pk]))
    assert response.status_code == 200 and response.content[:2] == b"PK"


def test_counted_provider_gives_grade_and_noncompliance(pz):
    alert = issue(pz)
    services.alert_act(alert=alert, action="activate", by=pz.users["bureau"])
    task = AlertTask.objects.get(alert=alert, enterprise=pz.enterprise_a)
    services.checkin_submit(task=task, by=pz.users["enterprise_a"], values={"output": "79", "lines_stopped": "0"})
    year = str(timezone.localdate().year)
    facts = registry.selector("indicators.counted.pollution")(
        enterprise_ids=[pz.enterprise_a.pk, pz.enterprise_b.pk], period=year
    )
    assert facts[pz.enterprise_a.pk] == {"pollution_grade": "B", "pollution_noncompliance_in_period": 1}
    assert facts[pz.enterprise_b.pk]["pollution_noncompliance_in_period"] == 0


def test_figures_count_reduction_against_target(pz):
    alert = issue(pz)
    services.alert_act(alert=alert, action="activate", by=pz.users["bureau"])
    task = AlertTask.objects.get(alert=alert, enterprise=pz.enterprise_a)
    services.checkin_submit(task=task, by=pz.users["enterprise_a"], values={"output": "60", "lines_stopped": "0"})
    figures = selectors.alert_figures(user=pz.users["bureau"], alert=alert)
    assert figures["target"] == 20 and figures["counts"]["firms"] == 2 and figures["counts"]["complying"] == 1
    so2 = figures["zone"]["so2"]
    # A: 20 kg at 20% cut, 25% achieved (60 of 80); B (C grade): 20 kg stopped, not yet reported
    assert so2["normal"] == 40 and so2["required"] == 24 and so2["achieved"] == 5


def test_firms_not_confirmed_in_two_hours_are_reminded_once_and_listed(pz):
    alert = issue(pz)
    three_hours_ago = timezone.now() - datetime.timedelta(hours=3)
    services.alert_act(alert=alert, action="activate", by=pz.users["bureau"], now=three_hours_ago)
    services.task_confirm(task=AlertTask.objects.get(alert=alert, enterprise=pz.enterprise_b),
                          by=pz.users["enterprise_b"])  # fmt: skip
    assert services.unconfirmed_remind() == 1
    assert services.unconfirmed_remind() == 0  # run again: nobody is reminded twice
    reminders = Notification.objects.filter(recipient=pz.users["enterprise_a"], title__contains="确认")
    sms = OutboxMessage.objects.filter(channel="sms", body__contains="尚未确认")
    assert reminders.count() == 1 and [m.body[:12] for m in sms] == [sms[0].body[:12]] and "森源电气" in sms[0].body
    told = Notification.objects.filter(title__contains="两小时").values_list("recipient__username", flat=True)
    assert sorted(told) == ["grid_a", "officer_a"]
    assert [t.enterprise for t in selectors.unconfirmed_for(user=pz.users["officer_a"])] == [pz.enterprise_a]


def test_hourly_figures_count_firms_confirmed_and_complying_by_the_end_of_each_hour(pz):
    from .conftest import at

    nine = at(timezone.localdate(), 9)
    alert = issue(pz)
    services.alert_act(alert=alert, action="activate", by=pz.users["bureau"], now=nine + datetime.timedelta(minutes=10))
    task = AlertTask.objects.get(alert=alert, enterprise=pz.enterprise_a)
    AlertTask.objects.filter(pk=task.pk).update(confirmed_at=nine + datetime.timedelta(minutes=80))
    services.checkin_submit(task=task, by=pz.users["enterprise_a"], values={"output": "60", "lines_stopped": "0"},
                            now=nine + datetime.timedelta(minutes=130))  # fmt: skip
    alert.refresh_from_db()
    hourly = selectors.alert_hourly(user=pz.users["bureau"], alert=alert, now=nine + datetime.timedelta(minutes=210))
    assert hourly["hours"][0].endswith("09时") and len(hourly["hours"]) == 4
    assert (hourly["confirmed"], hourly["complying"], hourly["firms"]) == ([0, 1, 1, 1], [0, 0, 1, 1], 2)
    assert selectors.alert_hourly(user=pz.users["officer_b"], alert=alert, now=nine)["firms"] == 1  # its park's
