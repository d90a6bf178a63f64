"""The monthly assessment of every department and park over a zone with 1,000,000 cases (the case benchmark's) and a
year of the other modules' records — hazards, 督办单, visits, alarms, returns and policy payments — through the
selectors the pages use: every unit's lines and total for last month and the month before (the ranking with its
movement). Its floor is the same aggregates in raw SQL (the statements alone, nothing scored); its peer what an
office's developer writes first: one ORM count per unit and figure, unit by unit.

BENCH_ASSESS_RECORDS (20,000) sizes each of the other modules' tables."""

import datetime
import os
import random

from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from bench.common import median, timed
from zhuqi.assessments import selectors
from zhuqi.assessments.install import indicators_ensure
from zhuqi.assessments.scoring import month_span, previous_month
from zhuqi.cases.models import Case, SupervisionNotice
from zhuqi.core.bulk import cycle_collection_paused, insert_rows
from zhuqi.enterprises.models import Enterprise, Visit
from zhuqi.monitoring.models import Alarm, MonitoringPoint
from zhuqi.org.models import Department, Park, Role, User
from zhuqi.policies.models import Policy, PolicyPayment
from zhuqi.reporting.models import Campaign, Return

REPEAT = 5
RECORDS = int(os.environ.get("BENCH_ASSESS_RECORDS", "20000"))


def _day(rng, start: datetime.date, days: int) -> datetime.date:
    return start + datetime.timedelta(days=rng.randrange(days))


def _aware(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def fill(records: int) -> None:
    """A year of the other modules' records, once (kept while their count matches)."""
    if Visit.objects.count() == records:
        return
    rng = random.Random(17)
    today = timezone.localdate()
    start = today - datetime.timedelta(days=365)
    with connection.cursor() as cursor:
        # DELETE, not TRUNCATE … CASCADE: that would take the cases along (they may refer to a visit's problems)
        for table in ("cases_supervisionnotice", "reporting_return", "reporting_campaign", "policies_policypayment",
                      "monitoring_alarm", "monitoring_monitoringpoint", "enterprises_visit_officers",
                      "enterprises_visit"):  # fmt: skip
            cursor.execute(f"DELETE FROM {table}")
    firms = list(Enterprise.objects.exclude(park=None).values_list("pk", "park_id")[:20000])
    parks = list(Park.objects.values_list("pk", flat=True))
    departments = list(Department.objects.values_list("pk", flat=True))
    officers = {}
    for park in parks:
        officers[park] = User.objects.get_or_create(username=f"bench-officer-{park}",
                                                    defaults={"role": Role.PARK_OFFICER, "park_id": park})[0].pk  # fmt: skip
    for department in departments:
        User.objects.get_or_create(username=f"bench-handler-{department}",
                                   defaults={"role": Role.DEPARTMENT_HANDLER, "department_id": department})  # fmt: skip
    recorder = User.objects.get(username="bench")
    with transaction.atomic(), cycle_collection_paused():
        visit_rows = []
        for _n in range(records):
            firm, park = firms[rng.randrange(len(firms))]
            visit_rows.append((firm, _day(rng, start, 365), "了解生产经营情况", recorder.pk, timezone.now()))
        insert_rows(Visit, ["enterprise_id", "visited_on", "topics", "recorded_by_id", "recorded_at"], visit_rows)
        park_of = dict(firms)
        through = Visit.officers.through
        insert_rows(
            through,
            ["visit_id", "user_id"],
            ((pk, officers[park_of[firm]]) for pk, firm in Visit.objects.values_list("pk", "enterprise_id")),
        )
        points = [MonitoringPoint(enterprise_id=firms[i % len(firms)][0], code=f"P{i}", name=f"监测点{i}",
                                  quantity="tank_level", unit="%") for i in range(1000)]  # fmt: skip
        MonitoringPoint.objects.bulk_create(points, batch_size=1000)
        point_firm = list(MonitoringPoint.objects.values_list("pk", "enterprise_id"))
        alarm_rows = []
        for _n in range(records):
            point, firm = point_firm[rng.randrange(len(point_firm))]
            raised = _aware(_day(rng, start, 365), rng.randint(0, 23))
            due = raised + datetime.timedelta(minutes=10)
            acknowledged = raised + datetime.timedelta(minutes=rng.choice([3, 8, 25]))
            alarm_rows.append((point, firm, "high", "cleared", raised, due, acknowledged))
        insert_rows(Alarm, ["point_id", "enterprise_id", "level", "status", "triggered_at", "acknowledge_by",
                            "acknowledged_at"], alarm_rows)  # fmt: skip
        policy = Policy.objects.create(title="基准政策", issuer="经济发展局", department_id=departments[0],
                                       category="funds", summary="基准", valid_from=start)  # fmt: skip
        payment_rows = []
        for _n in range(records // 4):
            firm, _park = firms[rng.randrange(len(firms))]
            paid = _day(rng, start, 365)
            payment_rows.append((policy.pk, firm, 10000, paid, paid - datetime.timedelta(days=rng.randint(3, 60))))
        insert_rows(PolicyPayment, ["policy_id", "enterprise_id", "amount", "paid_on", "started_on"], payment_rows)
        from zhuqi.reporting.definitions import torch_install

        version = torch_install()
        campaign_ids = []
        for month in range(12):
            due = (start.replace(day=1) + datetime.timedelta(days=32 * month)).replace(day=25)
            campaign_ids.append(Campaign.objects.create(version=version, period=str(due.year), title=f"基准 {month}",
                                                        opens_on=due, due_on=due, closes_on=due,
                                                        created_by=recorder).pk)  # fmt: skip
        seen = set()
        return_rows = []
        for _n in range(records):
            campaign = campaign_ids[rng.randrange(12)]
            firm, _park = firms[rng.randrange(len(firms))]
            if (campaign, firm) in seen:
                continue
            seen.add((campaign, firm))
            return_rows.append(
                (campaign, firm, "submitted", _aware(start + datetime.timedelta(days=rng.randrange(365))))
            )
        insert_rows(Return, ["campaign_id", "enterprise_id", "state", "submitted_at"], return_rows,
                    constants={"values": {}, "explanations": {}, "reopened": False, "version": 1,
                               "updated_at": timezone.now()})  # fmt: skip
        cases = list(Case.objects.filter(status__in=["closed", "rated"]).values_list("pk", "lead_department_id",
                                                                                   "created_at")[: records // 10])  # fmt: skip
        SupervisionNotice.objects.bulk_create([
            SupervisionNotice(number=f"督{pk}", case_id=pk, department_id=dept, requirement="限期办结",
                              reply_due=created.date(), issued_by=recorder, issued_at=created)
            for pk, dept, created in cases if dept
        ], batch_size=2000)  # fmt: skip
    with connection.cursor() as cursor:
        for table in ("enterprises_visit", "enterprises_visit_officers", "monitoring_alarm", "policies_policypayment",
                      "reporting_return", "cases_supervisionnotice"):  # fmt: skip
            cursor.execute(f"VACUUM ANALYZE {table}")
    print(f"assessment_month: {records:,} visits, alarms, returns; {len(payment_rows):,} payments written")


def ours(year: int, month: int) -> list:
    return selectors.ranking(year=year, month=month)


RAW = [
    # the cases (demands and hazards) raised in the month, by lead department and park
    """SELECT lead_department_id, park_id, kind, count(created_at) FILTER (WHERE is_finished),
       count(created_at) FILTER (WHERE is_finished AND closed_on_time),
       count(created_at) FILTER (WHERE rating <> ''),
       count(created_at) FILTER (WHERE rating IN ('satisfied', 'fairly_satisfied')),
       count(created_at) FILTER (WHERE (is_running AND deadline < %(today)s) OR (is_finished AND NOT closed_on_time))
       FROM cases_case WHERE created_at >= %(start)s AND created_at < %(end)s AND kind IN ('demand', 'hazard')
       AND deleted_at IS NULL GROUP BY 1, 2, 3""",
    """SELECT n.department_id, c.park_id, count(*) FROM cases_supervisionnotice n JOIN cases_case c ON c.id = n.case_id
       WHERE n.issued_at >= %(start)s AND n.issued_at < %(end)s GROUP BY 1, 2""",
    """SELECT e.park_id, count(*), count(DISTINCT v.enterprise_id) FROM enterprises_visit v
       JOIN enterprises_enterprise e ON e.id = v.enterprise_id
       WHERE v.visited_on >= %(start)s AND v.visited_on < %(end)s AND e.park_id IS NOT NULL GROUP BY 1""",
    """SELECT u.department_id, count(DISTINCT v.id), count(DISTINCT v.enterprise_id) FROM enterprises_visit v
       JOIN enterprises_visit_officers o ON o.visit_id = v.id JOIN org_user u ON u.id = o.user_id
       WHERE v.visited_on >= %(start)s AND v.visited_on < %(end)s AND u.department_id IS NOT NULL GROUP BY 1""",
    """SELECT park_id, count(*) FILTER (WHERE service_officer_id IS NOT NULL),
       count(*) FILTER (WHERE established_on >= %(start)s AND established_on < %(end)s)
       FROM enterprises_enterprise WHERE park_id IS NOT NULL AND deleted_at IS NULL GROUP BY 1""",
    """SELECT e.park_id, count(*), count(*) FILTER (WHERE a.acknowledged_at <= a.acknowledge_by)
       FROM monitoring_alarm a JOIN enterprises_enterprise e ON e.id = a.enterprise_id
       WHERE a.triggered_at >= %(start)s AND a.triggered_at < %(end)s AND e.park_id IS NOT NULL GROUP BY 1""",
    """SELECT e.park_id, count(*), count(*) FILTER (WHERE (r.submitted_at AT TIME ZONE 'Asia/Shanghai')::date <= c.due_on)
       FROM reporting_return r JOIN reporting_campaign c ON c.id = r.campaign_id
       JOIN enterprises_enterprise e ON e.id = r.enterprise_id
       WHERE c.due_on >= %(start)s AND c.due_on < %(end)s AND e.park_id IS NOT NULL GROUP BY 1""",
    """SELECT p.department_id, count(*), sum(y.paid_on - y.started_on) FROM policies_policypayment y
       JOIN policies_policy p ON p.id = y.policy_id
       WHERE y.paid_on >= %(start)s AND y.paid_on < %(end)s AND p.department_id IS NOT NULL GROUP BY 1""",
]


def floor(year: int, month: int) -> None:
    for y, m in ((year, month), previous_month(year, month)):
        start, end = month_span(y, m)
        params = {"start": _aware(start, 0), "end": _aware(end + datetime.timedelta(days=1), 0),
                  "today": min(timezone.localdate(), end + datetime.timedelta(days=1))}  # fmt: skip
        dates = {"start": start, "end": end + datetime.timedelta(days=1), "today": params["today"]}
        with connection.cursor() as cursor:
            for n, sql in enumerate(RAW):
                cursor.execute(sql, params if n in (0, 1, 5) else dates)
                cursor.fetchall()


def peer(year: int, month: int) -> None:
    """One ORM count per unit and figure, as one writes it unit by unit."""
    for y, m in ((year, month), previous_month(year, month)):
        start, end = month_span(y, m)
        span = {"created_at__gte": _aware(start, 0), "created_at__lt": _aware(end + datetime.timedelta(days=1), 0)}
        units = [
            ("lead_department_id", "policy__department_id", pk)
            for pk in Department.objects.values_list("pk", flat=True)
        ]
        units += [("park_id", None, pk) for pk in Park.objects.values_list("pk", flat=True)]
        for field, _policy, pk in units:
            for kind in ("demand", "hazard"):
                cases = Case.objects.filter(kind=kind, **span, **{field: pk})
                cases.filter(is_finished=True).count()
                cases.filter(is_finished=True, closed_on_time=True).count()
                cases.exclude(rating="").count()
                cases.filter(rating__in=["satisfied", "fairly_satisfied"]).count()
                cases.filter(Q(is_finished=True, closed_on_time=False) | Q(is_running=True, deadline__lt=end)).count()
            if field == "park_id":
                Visit.objects.filter(visited_on__range=(start, end), enterprise__park_id=pk).count()
                Visit.objects.filter(visited_on__range=(start, end), enterprise__park_id=pk).values(
                    "enterprise"
                ).distinct().count()
                Enterprise.objects.filter(park_id=pk, service_officer__isnull=False).count()
                alarms = Alarm.objects.filter(
                    triggered_at__gte=span["created_at__gte"],
                    triggered_at__lt=span["created_at__lt"],
                    enterprise__park_id=pk,
                )
                alarms.count()
                alarms.filter(acknowledged_at__lte=F("acknowledge_by")).count()
                returns = Return.objects.filter(campaign__due_on__range=(start, end), enterprise__park_id=pk)
                returns.count()
                returns.filter(submitted_at__date__lte=F("campaign__due_on")).count()
            else:
                SupervisionNotice.objects.filter(
                    department_id=pk, issued_at__gte=span["created_at__gte"], issued_at__lt=span["created_at__lt"]
                ).count()
                PolicyPayment.objects.filter(policy__department_id=pk, paid_on__range=(start, end)).aggregate(
                    n=Count("pk")
                )


def run(*, total_records: int = RECORDS) -> str:
    fill(total_records)
    indicators_ensure()
    today = timezone.localdate()
    year, month = previous_month(today.year, today.month)
    rows = ours(year, month)
    assert len(rows) == Department.objects.count() + Park.objects.count(), len(rows)
    floor(year, month)
    peer(year, month)
    mine = median([timed(ours, year, month) for _ in range(REPEAT)])
    base = median([timed(floor, year, month) for _ in range(REPEAT)])
    other = median([timed(peer, year, month) for _ in range(3)])
    cases = Case.objects.count()
    print(
        f"assessment_month: {len(rows)} units over {cases:,} cases, two months (the ranking and its movement): "
        f"zhuqi {mine / 1000:.2f} s, raw SQL aggregates {base / 1000:.2f} s, per-unit ORM counts {other / 1000:.2f} s"
    )
    return f"BENCH assessment_month {mine / 1000:.2f} s floor={base / 1000:.2f} peer={other / 1000:.2f}"
