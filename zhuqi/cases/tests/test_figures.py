"""The figures against a small hand-computed fixture, and each figure opening exactly the cases behind it."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from zhuqi.cases import selectors
from zhuqi.cases.tests.factories import CaseFactory, CategoryFactory
from zhuqi.cases.workflow import Status
from zhuqi.org.models import Department

TODAY = datetime.date(2026, 11, 23)


def at(day: str):
    return timezone.make_aware(datetime.datetime.fromisoformat(day + " 10:00"))


@pytest.fixture
def ledger(zone):
    hr = Department.objects.create(name="人力资源管理局")
    econ = Department.objects.create(name="经济发展局")
    category = CategoryFactory(name="用工", department=hr)
    base = {
        "enterprise": zone.enterprise_a,
        "park": zone.park_a,
        "reporter": zone.users["officer_a"],
        "category": category,
    }
    assigned = {"assigned_on": datetime.date(2026, 3, 2), "deadline": datetime.date(2026, 3, 13)}
    closed = {**assigned, "closed_at": at("2026-03-20")}
    cases = {
        1: CaseFactory(**base, **closed, lead_department=hr, status=Status.RATED, result="solved", closed_on_time=True,
                       rating="satisfied", handling_workdays=4, created_at=at("2026-03-01")),
        2: CaseFactory(**base, **closed, lead_department=hr, status=Status.RATED, result="partly_solved",
                       closed_on_time=False, rating="dissatisfied", rework_count=1, handling_workdays=8,
                       created_at=at("2026-03-01")),
        3: CaseFactory(**base, **closed, lead_department=hr, status=Status.CLOSED, result="solved", closed_on_time=True,
                       handling_workdays=3, created_at=at("2026-04-01")),
        4: CaseFactory(**base, lead_department=hr, status=Status.IN_PROGRESS, assigned_on=datetime.date(2026, 11, 2),
                       deadline=datetime.date(2026, 11, 16), created_at=at("2026-11-01")),
        5: CaseFactory(**base, status=Status.WITHDRAWN, created_at=at("2026-05-01")),
        6: CaseFactory(**base, **closed, lead_department=econ, status=Status.RATED, result="solved",
                       closed_on_time=True, rating="fairly_satisfied", handling_workdays=5, created_at=at("2026-06-01")),
        7: CaseFactory(**base, lead_department=econ, status=Status.IN_PROGRESS, assigned_on=datetime.date(2026, 11, 20),
                       deadline=datetime.date(2026, 12, 4), created_at=at("2026-11-20")),
        8: CaseFactory(**base, status=Status.PENDING, created_at=at("2026-11-22")),
        9: CaseFactory(**base, **closed, lead_department=hr, status=Status.RATED, result="solved", closed_on_time=True,
                       rating="satisfied", handling_workdays=2, created_at=at("2025-12-30")),
    }  # fmt: skip
    return {"hr": hr, "econ": econ, "cases": cases}


YEAR = selectors.CaseFilters(date_from=datetime.date(2026, 1, 1), date_to=TODAY)


def test_each_department_gets_the_hand_computed_figures(zone, ledger):
    figures = selectors.case_figures(user=zone.users["coordinator"], filters=YEAR, today=TODAY)
    rows = {r["name"]: r for r in figures["rows"]}
    hr, econ = rows["人力资源管理局"], rows["经济发展局"]
    assert (hr["received"], hr["finished"], hr["on_time"], hr["solved"], hr["rated"], hr["satisfied"]) == (
        4,
        3,
        2,
        2,
        2,
        1,
    )
    assert (hr["reworked"], hr["overdue"]) == (1, 2)
    assert (hr["finish_rate"], hr["on_time_rate"], hr["solve_rate"]) == (75.0, 66.7, 66.7)
    assert (hr["satisfaction_rate"], hr["rework_rate"], hr["avg_workdays"]) == (50.0, 33.3, 5.0)
    assert (econ["received"], econ["finish_rate"], econ["on_time_rate"], econ["satisfaction_rate"]) == (
        2,
        50.0,
        100.0,
        100.0,
    )
    assert (econ["overdue"], econ["rework_rate"]) == (0, 0.0)
    assert rows[None]["received"] == 1  # the pending case, not assigned yet
    total = figures["total"]
    assert (total["received"], total["finished"], total["overdue"], total["avg_workdays"]) == (7, 4, 2, 5.0)
    assert (total["finish_rate"], total["on_time_rate"], total["satisfaction_rate"]) == (57.1, 75.0, 66.7)


def test_the_ranking_puts_the_best_on_time_rate_first(zone, ledger):
    figures = selectors.case_figures(user=zone.users["coordinator"], filters=YEAR, today=TODAY)
    assert [r["name"] for r in figures["rows"]] == ["经济发展局", "人力资源管理局", None]


def test_grouping_by_park_and_category_counts_the_same_cases(zone, ledger):
    for group_by in ("park", "category"):
        figures = selectors.case_figures(user=zone.users["coordinator"], filters=YEAR, group_by=group_by, today=TODAY)
        assert [(r["name"], r["received"]) for r in figures["rows"]] == [
            (zone.park_a.name if group_by == "park" else "用工", 7)
        ]


@pytest.mark.parametrize(
    ("figure", "expected"),
    [
        ("received", {1, 2, 3, 4}),
        ("on_time", {1, 3}),
        ("solved", {1, 3}),
        ("overdue", {2, 4}),
        ("reworked", {2}),
        ("satisfied", {1}),
    ],
)
def test_every_figure_opens_exactly_the_cases_behind_it(zone, ledger, client, figure, expected):
    client.force_login(zone.users["coordinator"])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "localdate", lambda: TODAY)
        page = client.get(
            reverse("case-figures"), {"date_from": "2026-01-01", "date_to": "2026-11-23"}
        ).content.decode()
        links = re.findall(r'href="/cases/\?([^"]*figure=' + figure + r'[^"]*)"', page)
        hr_link = next(link for link in links if f"department={ledger['hr'].pk}" in link)
        listed = client.get("/cases/?" + hr_link.replace("&amp;", "&")).content.decode()
    shown = {n for n, case in ledger["cases"].items() if case.number in listed}
    assert shown == expected


def test_the_ranking_lists_units_only_and_tells_the_unassigned_cases_beside_it(zone, ledger, client):
    client.force_login(zone.users["coordinator"])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "localdate", lambda: TODAY)
        response = client.get(reverse("case-figures"), {"date_from": "2026-01-01", "date_to": "2026-11-23"})
    page = response.content.decode()
    ranking = page[page.index('id="ranking"') : page.index("</table>", page.index('id="ranking"'))]
    assert "尚未交办" not in ranking and ranking.count("<tr><td>") == 2
    assert "尚未交办" in page[page.index('id="unplaced"') :].split("</div>")[0]
    assert "尚未交办" not in response.context["chart"]["names"]
