"""1,000,000 cases over 100,000 enterprises: the figures page's queries and the filtered case list, each through
the selectors the pages use, beside the raw SQL of the same queries (floor) and beside what a Django developer would
use instead (peer), each called in this process like ours.

The figures page reads whole months from the monthly rollup and the current month from the cases; its floor is
those same statements in raw SQL, its peer the one GROUP BY over every case of the period that one writes without a
rollup. The case list's peer is Django admin's changelist of the table with the same filters — its ChangeList built
from a request and its count and first page read, as the admin's view does before rendering — at the setting the
admin documents for big tables (show_full_result_count off: one count, not two)."""

import datetime
import random
import time

from django.contrib import admin as django_admin
from django.db import connection, transaction
from django.test import RequestFactory
from django.utils import timezone

from bench.common import median, timed
from zhuqi.cases import selectors
from zhuqi.cases.demo import categories_load
from zhuqi.cases.figures import rollup_rebuild
from zhuqi.cases.models import Case, CaseMonthFigures
from zhuqi.cases.selectors import CaseFilters
from zhuqi.core.bulk import cycle_collection_paused, insert_rows
from zhuqi.enterprises.models import Enterprise
from zhuqi.org.models import Department, User

TOTAL = 1_000_000
REPEAT = 9
FIELDS = [
    "number", "kind", "category_id", "enterprise_id", "park_id", "description", "source", "reporter_id",
    "priority", "status", "lead_department_id", "assigned_on", "deadline", "warn_on", "paused_workdays",
    "result", "result_text", "closed_at", "closed_on_time", "handling_workdays", "rating", "rating_comment",
    "rework_count", "reopened", "version", "created_at", "location",
]  # fmt: skip


def _rows(total, today, enterprises, categories, reporter_id, seed=11):
    rng = random.Random(seed)
    start = today - datetime.timedelta(days=3 * 365)
    tz = timezone.get_current_timezone()
    for n in range(1, total + 1):
        enterprise_id, park_id = enterprises[rng.randrange(len(enterprises))]
        category_id, department_id, days = categories[rng.randrange(len(categories))]
        raised = start + datetime.timedelta(days=int(rng.random() ** 0.8 * 3 * 365))
        created = datetime.datetime(raised.year, raised.month, raised.day, rng.randint(8, 17), tzinfo=tz)
        assigned = raised + datetime.timedelta(days=1)
        deadline = assigned + datetime.timedelta(days=days * 7 // 5)
        warn = assigned + datetime.timedelta(days=days * 7 // 5 * 4 // 5)
        age = (today - raised).days
        roll = rng.random()
        if age < 3 and roll < 0.5:
            row = ("pending", None, None, None, None, "", None, None, None, "")
        elif age < 40 and roll < 0.5:
            row = ("in_progress", department_id, assigned, deadline, warn, "", None, None, None, "")
        else:
            on_time = rng.random() < 0.85
            closed = created + datetime.timedelta(days=days if on_time else days * 2)
            result = rng.choices(["solved", "partly_solved", "not_solvable"], weights=[82, 12, 6])[0]
            rating = rng.choices(["", "satisfied", "fairly_satisfied", "dissatisfied"], weights=[20, 60, 14, 6])[0]
            handled = rng.randint(1, days) if on_time else rng.randint(days + 1, days * 2)
            row = ("rated" if rating else "closed", department_id, assigned, deadline, warn, result, closed, on_time,
                   handled, rating)  # fmt: skip
        status, dept, a, d, w, result, closed, on_time, handled, rating = row
        yield (
            f"ZQ{raised:%Y}{n:07d}", "demand", category_id, enterprise_id, park_id, "招工难，急需电工和焊工", "enterprise",
            reporter_id, "normal", status, dept, a, d, w, 0, result, "", closed, on_time, handled, rating, "",
            1 if rng.random() < 0.07 else 0, False, 1, created, "",
        )  # fmt: skip


def fill(total: int) -> None:
    if Case.objects.count() == total:
        if not CaseMonthFigures.objects.exists():
            rollup_rebuild()
        return
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE cases_case RESTART IDENTITY CASCADE")
    if not Department.objects.exists():
        for name in ["经济发展局", "科技创新局", "应急管理局", "城乡建设和生态环境局", "城市管理和综合执法局",
                     "人力资源管理局", "交警支队", "高新区税务局"]:  # fmt: skip
            Department.objects.create(name=name)
    categories = [(c.pk, c.department_id, c.deadline_workdays) for c in _categories()]
    enterprises = list(Enterprise.objects.values_list("pk", "park_id"))
    reporter = User.objects.get(username="bench")
    today = timezone.localdate()
    started = time.perf_counter()
    with transaction.atomic(), cycle_collection_paused():
        insert_rows(Case, FIELDS, _rows(total, today, enterprises, categories, reporter.pk))
    written = time.perf_counter() - started
    rows = rollup_rebuild()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE cases_case")
        cursor.execute("VACUUM ANALYZE cases_casemonthfigures")
    print(f"case_queries: {total:,} cases written in {written:.0f} s, monthly rollup rebuilt ({rows:,} rows)")


def _categories():
    from zhuqi.cases.demo import CATEGORIES, GRID_CATEGORIES

    present = {d.name for d in Department.objects.all()}
    wanted = {dept for _n, dept, _d, _p in CATEGORIES} | {dept for _n, dept, _d in GRID_CATEGORIES}
    for name in wanted - present:
        Department.objects.create(name=name)
    return list(categories_load().values())


FIGURES_SQL = """
SELECT c.lead_department_id,
  count(c.created_at) FILTER (WHERE c.is_counted),
  count(c.created_at) FILTER (WHERE c.is_finished),
  count(c.created_at) FILTER (WHERE c.is_finished AND c.closed_on_time),
  count(c.created_at) FILTER (WHERE c.is_finished AND NOT c.closed_on_time),
  count(c.created_at) FILTER (WHERE c.is_finished AND c.result = 'solved'),
  count(c.created_at) FILTER (WHERE NOT c.rating = ''),
  count(c.created_at) FILTER (WHERE c.rating IN ('satisfied', 'fairly_satisfied')),
  count(c.created_at) FILTER (WHERE c.rating = 'dissatisfied'),
  count(c.created_at) FILTER (WHERE c.is_finished AND c.rework_count > 0),
  count(c.created_at) FILTER (WHERE (c.is_running AND c.deadline < %s) OR (c.is_finished AND NOT c.closed_on_time)),
  sum(c.handling_workdays) FILTER (WHERE c.is_finished),
  count(c.handling_workdays) FILTER (WHERE c.is_finished)
FROM cases_case c
WHERE c.created_at >= %s AND c.created_at < %s
GROUP BY 1
"""

LIST_SQL_WHERE = {
    "department": ("c.lead_department_id = %s", "lead_department__id__exact"),
    "status": ("c.status = %s", "status__exact"),
    "park": ("c.park_id = %s", "park__id__exact"),
}


def figures_ours(user, date_from, date_to):
    return selectors.case_figures(user=user, filters=CaseFilters(date_from=date_from, date_to=date_to))


ROLLUP_SQL = """
SELECT department_key, sum(received), sum(finished), sum(on_time), sum(late), sum(solved), sum(rated), sum(satisfied),
  sum(dissatisfied), sum(reworked), sum(workdays_sum), sum(workdays_n)
FROM cases_casemonthfigures WHERE month >= %s AND month <= %s GROUP BY 1
"""
RUNNING_LATE_SQL = """
SELECT lead_department_id, count(created_at) FROM cases_case
WHERE created_at >= %s AND created_at < %s AND status IN ('assigned', 'in_progress', 'awaiting_verification')
  AND deadline < %s GROUP BY 1
"""


def figures_scan(date_from, date_to, today):
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(date_from, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    with connection.cursor() as cursor:
        cursor.execute(FIGURES_SQL, [today, start, end])
        return cursor.fetchall()


def figures_raw(date_from, date_to, today):
    """The same work as the page in raw SQL: whole months from the rollup, the month so far from the cases, the
    running cases past their deadline, the names."""
    tz = timezone.get_current_timezone()

    def at(day):
        return datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)

    this_month = date_to.replace(day=1)
    last_whole = (this_month - datetime.timedelta(days=1)).replace(day=1)
    with connection.cursor() as cursor:
        cursor.execute(ROLLUP_SQL, [date_from, last_whole])
        rows = cursor.fetchall()
        cursor.execute(FIGURES_SQL, [today, at(this_month), at(date_to + datetime.timedelta(days=1))])
        rows += cursor.fetchall()
        cursor.execute(RUNNING_LATE_SQL, [at(date_from), at(this_month), today])
        rows += cursor.fetchall()
        cursor.execute("SELECT id, name FROM org_department WHERE id = ANY(%s)", [[r[0] for r in rows if r[0]]])
        names = dict(cursor.fetchall())
    return {names.get(r[0]) for r in rows}


def list_ours(user, filters: CaseFilters):
    from django.core.paginator import Paginator

    page = Paginator(selectors.case_list(user=user, filters=filters), 30).get_page(1)
    cases = selectors.with_time_left(page.object_list)
    return page.paginator.count, [(c.number, c.enterprise.name, c.category.name, c.flag) for c in cases]


def list_raw(where: list[str], params: list, today):
    clause = " AND ".join(where) or "TRUE"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM cases_case c WHERE {clause}", params)  # noqa: S608
        count = cursor.fetchone()[0]
        cursor.execute(
            "SELECT c.number, e.name, g.name, d.name, c.deadline, CASE WHEN c.deadline < %s THEN 'red' ELSE '' END "  # noqa: S608
            "FROM cases_case c LEFT JOIN enterprises_enterprise e ON e.id = c.enterprise_id "
            "JOIN cases_category g ON g.id = c.category_id LEFT JOIN org_department d ON d.id = c.lead_department_id "
            f"WHERE {clause} ORDER BY c.created_at DESC, c.id DESC LIMIT 30",
            [today, *params],
        )
        return count, cursor.fetchall()


class CaseChangeList(django_admin.ModelAdmin):
    """The admin list a Django developer gets for the table: the columns and filters an office would want."""

    list_display = ["number", "enterprise", "category", "status", "lead_department", "deadline", "created_at"]
    list_filter = ["status", "category", "lead_department", "park"]
    list_select_related = ["enterprise", "category", "lead_department"]
    show_full_result_count = False  # the admin's documented setting for large tables
    date_hierarchy = "created_at"


def list_peer(model_admin, user, params):
    request = RequestFactory().get("/admin/cases/case/", params)
    request.user = user
    changelist = model_admin.get_changelist_instance(request)
    rows = [(c.number, c.enterprise.name, c.category.name, c.status) for c in changelist.result_list]
    return changelist.result_count, rows


def run(*, total: int = TOTAL) -> list[str]:
    fill(total)
    user = User.objects.get(username="bench")
    today = timezone.localdate()
    year_start = today.replace(month=1, day=1)

    # the figures page: this year to date, by department
    assert {r["name"] for r in figures_ours(user, year_start, today)["rows"]} == figures_raw(year_start, today, today)
    figures_ours(user, year_start, today)
    figures_raw(year_start, today, today)
    figures_scan(year_start, today, today)
    ours = median([timed(figures_ours, user, year_start, today) for _ in range(REPEAT)])
    floor = median([timed(figures_raw, year_start, today, today) for _ in range(REPEAT)])
    peer = median([timed(figures_scan, year_start, today, today) for _ in range(REPEAT)])
    print(
        f"case_figures: zhuqi {ours:.1f} ms, raw SQL {floor:.1f} ms, "
        f"one GROUP BY over every case of the period (no rollup) {peer:.1f} ms"
    )
    lines = [f"BENCH case_figures {ours:.1f} ms floor={floor:.1f} peer={peer:.1f}"]

    # the case list: the filters an office uses most, first page with its count
    department = Department.objects.get(name="经济发展局")
    park_id = Enterprise.objects.exclude(park=None).values_list("park_id", flat=True).first()
    changelist = CaseChangeList(Case, django_admin.site)
    scenarios = [
        ({}, []),
        ({"department": department.pk}, ["department"]),
        ({"department": department.pk, "status": "in_progress"}, ["department", "status"]),
        ({"park": park_id, "status": "rated"}, ["park", "status"]),
    ]
    ours, floor, peer = [], [], []
    for given, keys in scenarios:
        filters = CaseFilters(**given)
        where = [LIST_SQL_WHERE[k][0] for k in keys]
        params = [given[k] for k in keys]
        admin_params = {LIST_SQL_WHERE[k][1]: given[k] for k in keys}
        count = list_raw(where, params, today)[0]
        assert list_ours(user, filters)[0] == count == list_peer(changelist, user, admin_params)[0], given
        ours.append(median([timed(list_ours, user, filters) for _ in range(REPEAT)]))
        floor.append(median([timed(list_raw, where, params, today) for _ in range(REPEAT)]))
        peer.append(median([timed(list_peer, changelist, user, admin_params) for _ in range(REPEAT)]))
        print(
            f"case_list {given}: zhuqi {ours[-1]:.1f} ms, raw SQL {floor[-1]:.1f} ms, admin changelist {peer[-1]:.1f} ms"
        )
    value, base, other = (sum(v) / len(v) for v in (ours, floor, peer))
    lines.append(f"BENCH case_list {value:.1f} ms floor={base:.1f} peer={other:.1f}")
    return lines
