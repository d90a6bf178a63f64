import datetime

import pytest
from django.core.management import call_command
from django.db.models import Count

from zhuqi.core import scopes
from zhuqi.enterprises.credit_code import credit_code_problem
from zhuqi.enterprises.demo.loader import DEMO_LOGINS, load_demo_zone
from zhuqi.enterprises.models import Enterprise, Visit
from zhuqi.org.models import Grid, Park, Role, User


def test_the_demo_zone_holds_what_the_reports_name_with_valid_generated_codes(db):
    result = load_demo_zone(seed=2024, today=datetime.date(2026, 11, 23))
    assert result["enterprises"] == Enterprise.objects.count() == 300
    assert set(Park.objects.values_list("name", flat=True)) >= {"创新创业服务园区", "皇台产业园区", "尼龙织造产业园"}
    assert Enterprise.objects.filter(name="河南巨高嘉业电力设备有限公司", park__name="创新创业服务园区").exists()
    assert all(credit_code_problem(code) is None for code in Enterprise.objects.values_list("credit_code", flat=True))
    assert not Enterprise.objects.filter(is_demo=False).exists()
    reported = Visit.objects.filter(visited_on=datetime.date(2024, 2, 19), recorded_by__department__name="应急管理局")
    assert set(reported.values_list("enterprise__name", flat=True)) == {
        "河南巨高嘉业电力设备有限公司",
        "平顶山宁科商贸有限公司",
    }
    for grid_count in Grid.objects.values("community").annotate(n=Count("id")):
        assert 2 <= grid_count["n"] <= 4
    assert {u.role for u in User.objects.filter(username__in=[u for u, *_ in DEMO_LOGINS])} == set(Role.values)


def test_every_demo_login_lands_somewhere_useful(db, client):
    load_demo_zone(seed=2024)
    for username, *_ in DEMO_LOGINS:
        user = User.objects.get(username=username)
        client.force_login(user)
        response = client.get("/", follow=True)
        assert response.status_code == 200, username
        if user.role in (Role.PARK_OFFICER, Role.GRID_MEMBER, Role.ENTERPRISE_CONTACT):
            assert scopes.enterprises_visible_to(user).exists(), username


def test_staff_names_are_the_persons_own_and_the_login_table_names_units_as_the_pages_do(db):
    import random

    from zhuqi.enterprises.management.commands.load_demo_zone import demo_logins_table
    from zhuqi.inspections.demo import _inspectors
    from zhuqi.org.models import Department

    load_demo_zone(seed=2024, today=datetime.date(2026, 11, 23))
    _inspectors(Department.objects.get(name="应急管理局"), 6, random.Random(1))
    staff = User.objects.exclude(role=Role.ENTERPRISE_CONTACT).select_related("department", "park")
    prefixed = [
        u.full_name for u in staff if " " in u.full_name or (u.unit_name and u.full_name.startswith(u.unit_name[:2]))
    ]
    assert prefixed == []
    table = demo_logins_table()
    assert "王帮办（创新创业服务园区）" in table and "李经办（应急管理局）" in table and "火炬园" not in table

    # a login a module's demo brings (registered by the pollution module) is printed with its reason once it exists
    User.objects.create(username="huanbao", full_name="陈环保", role=Role.DEPARTMENT_HANDLER,
                        department=Department.objects.get(name="应急管理局"))  # fmt: skip
    assert "陈环保（应急管理局），重污染天气应急" in demo_logins_table()


@pytest.mark.long(minutes=1.5)
@pytest.mark.whole_demo
def test_loading_twice_keeps_one_zone_and_a_module_arriving_later_brings_its_demo_data_once(
    db, capsys, monkeypatch, settings, tmp_path
):
    from zhuqi.core import registry
    from zhuqi.enterprises.models import DemoDataLoad
    from zhuqi.evaluations.tests.test_demo import huojuyuans_2023_evaluation_and_the_index_since_2020

    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo_zone")
    assert set(DemoDataLoad.objects.values_list("name", flat=True)) == {d.name for d in registry.demo_loaders()}
    # what a module's demo holds, checked here where the whole zone is loaded once (a load takes a minute)
    huojuyuans_2023_evaluation_and_the_index_since_2020()
    capsys.readouterr()
    call_command("load_demo_zone")
    assert Enterprise.objects.count() == 300
    assert "演示数据已存在" in capsys.readouterr().out
    calls = []
    monkeypatch.setitem(
        registry._demo,
        "newcomer",
        registry.DemoLoader("newcomer", lambda seed: calls.append(seed) or 7, "新模块 {} 项", 999),
    )
    call_command("load_demo_zone")
    call_command("load_demo_zone")
    assert calls == [2024]
    assert Enterprise.objects.count() == 300
    assert "新模块 7 项" in capsys.readouterr().out


def test_a_database_without_the_demo_zone_gets_no_module_demo_data(db):
    from zhuqi.enterprises.models import DemoDataLoad
    from zhuqi.org.tests.factories import DepartmentFactory

    DepartmentFactory(name="应急管理局")  # a real zone's own departments, no demo firms
    call_command("load_demo_zone")
    assert not DemoDataLoad.objects.exists() and not Enterprise.objects.exists()
