import datetime

from zhuqi.cases import selectors
from zhuqi.cases.demo import load_demo_cases
from zhuqi.cases.models import Case
from zhuqi.cases.workflow import TRANSITIONS, Actor, Status
from zhuqi.enterprises.demo.loader import load_demo_zone
from zhuqi.inspections.demo import load_demo_inspections
from zhuqi.org.models import User

TODAY = datetime.date(2026, 11, 23)


def test_the_demo_cases_hold_the_reported_loops_and_three_believable_years(db):
    load_demo_zone(seed=2024, today=TODAY)
    total = load_demo_cases(seed=2024, today=TODAY, total=600)
    assert total == Case.objects.count() == 604 + 120
    incidents = Case.objects.filter(kind="grid_incident")
    assert incidents.count() == 120 and not incidents.filter(status=Status.PENDING).exists()
    assert all(c.lead_department_id == c.category.department_id for c in incidents.select_related("category"))
    assert set(incidents.values_list("events__action", flat=True)) >= {"raise", "route"}
    roof = Case.objects.get(enterprise__name="河南君易安商贸有限公司", source="symposium")
    assert (
        "漏水" in roof.description
        and roof.status == Status.RATED
        and roof.closed_at.date() == datetime.date(2021, 2, 4)
    )
    crossing = Case.objects.get(enterprise__name="庆华特钢公司", category__name="交通安全", source="visit")
    assert "斑马线" in crossing.result_text and crossing.lead_department.name == "交警支队"
    assert Case.objects.filter(enterprise__name="河南昊鑫电气设备有限公司", result_text__contains="56 万元").exists()
    assert Case.objects.filter(enterprise__name="河南富美尔环保科技有限公司", status=Status.RATED).exists()
    figures = selectors.case_figures(user=User.objects.get(username="zone"), today=TODAY)["total"]
    assert figures["late"] > 0 and figures["reworked"] > 0 and figures["dissatisfied"] > 0
    assert 60 < figures["on_time_rate"] < 100 and 60 < figures["satisfaction_rate"] < 100
    oldest = Case.objects.order_by("created_at").values_list("created_at", flat=True)[2]
    assert (TODAY - oldest.date()).days > 2 * 365
    # every case's history starts with its raising and ends in its present status
    for case in Case.objects.prefetch_related("events")[:200]:
        events = list(case.events.all())
        assert events[0].action == "raise" and events[-1].to_status == case.status, case.number
    assert selectors.waiting_for(user=User.objects.get(username="yingji"), today=TODAY).exists()


def test_every_demo_history_runs_forward_in_time_and_follows_the_transition_table(db):
    load_demo_zone(seed=2024, today=TODAY)
    load_demo_cases(seed=2024, today=TODAY, total=300)
    load_demo_inspections(seed=2024, today=TODAY, history=10)  # hazards, and the Spring Festival grid incidents
    cases = Case.objects.select_related("reporter").prefetch_related("events__actor")
    assert cases.filter(kind="grid_incident", description__startswith="春节").exists()
    assert cases.filter(kind="hazard").exists()
    for case in cases:
        events = list(case.events.all())
        assert events[0].action == "raise", case.number
        times = [e.at for e in events]
        assert times == sorted(times), (case.number, case.kind, [e.action for e in events], times)
        status, result_reporter = Status.PENDING, None
        for event in events[1:]:
            transition = TRANSITIONS[event.action]
            assert case.kind in transition.kinds and event.from_status == status, (case.number, event.action)
            assert status in transition.sources, (case.number, event.action, status)
            assert event.to_status == (transition.target or status), (case.number, event.action)
            assert event.actor_part in transition.actors, (case.number, event.action, event.actor_part)
            if Actor.RESULT_REPORTER in transition.barred:
                assert event.actor_id != result_reporter, (case.number, event.action)
            if Actor.OFFICIAL_REPORTER in transition.barred and event.actor_id == case.reporter_id:
                assert event.actor.role == "enterprise_contact", (case.number, event.action)
            if event.action == "report_result":
                result_reporter = event.actor_id
            status = event.to_status
        assert status == case.status, case.number
