"""The bureau keeps the reduction list on its pages: a firm put on it with its grading, its lines and sources, its
own measure at a level; forms keep what was typed when refused; the registry's grade follows the grading."""

import datetime

import pytest
from django.urls import reverse

from zhuqi.core.models import AuditRecord
from zhuqi.enterprises.models import Enterprise
from zhuqi.enterprises.tests.factories import EnterpriseFactory
from zhuqi.pollution import lists, measures
from zhuqi.pollution.models import Action, EmissionSource, Grade, GradeRecord, Level, MeasureOverride, PollutionFirm

pytestmark = pytest.mark.django_db

FIGURES = {"sector": "foundry", "capacity_unit": "吨", "approval_capacity": "100", "permit_capacity": "90",
           "last_year_daily": "70", "normal_load_kw": "800", "heavy_trucks": "6", "old_trucks": "1", "on_list": "on"}  # fmt: skip


def test_bureau_puts_a_firm_on_the_list_and_the_registry_grade_follows(pz, client):
    newcomer = EnterpriseFactory(name="平顶山市铸铁件有限公司", park=pz.park_a)
    client.force_login(pz.users["bureau"])
    url = reverse("pollution-firm-new")
    refused = client.post(url, {**FIGURES, "enterprise": newcomer.pk, "grade": "C", "graded_on": "2025-10-15",
                                "document": "", "permit_capacity": "-3"})  # fmt: skip
    assert refused.status_code == 200 and PollutionFirm.objects.filter(enterprise=newcomer).count() == 0
    page = refused.content.decode()
    assert 'value="平顶山市铸铁件有限公司"' not in page  # a select: the choice stays selected instead
    assert "2025-10-15" in page and 'value="800"' in page and "这个字段是必填项" in page
    response = client.post(url, {**FIGURES, "enterprise": newcomer.pk, "grade": "B-", "graded_on": "2025-10-15",
                                 "document": "平环攻坚办〔2025〕7号"})  # fmt: skip
    assert response.status_code == 302
    firm = PollutionFirm.objects.get(enterprise=newcomer)
    assert (firm.grade, firm.sector, str(firm.last_year_daily)) == (Grade.B_MINUS, "foundry", "70.00")
    assert GradeRecord.objects.filter(enterprise=newcomer, document="平环攻坚办〔2025〕7号").count() == 1
    assert Enterprise.objects.get(pk=newcomer.pk).environmental_grade == "B"  # the registry has no B-
    assert AuditRecord.objects.filter(object_type="pollution.pollutionfirm", actor=pz.users["bureau"]).exists()


def test_a_later_grading_moves_the_registry_grade_an_older_one_does_not(pz):
    bureau = pz.users["bureau"]
    lists.grade_set(enterprise=pz.enterprise_a, grade=Grade.A, graded_on=datetime.date(2025, 10, 1),
                    document="平环〔2025〕3号", by=bureau)  # fmt: skip
    lists.grade_set(enterprise=pz.enterprise_a, grade=Grade.D, graded_on=datetime.date(2021, 10, 1),
                    document="平环〔2021〕3号", by=bureau)  # fmt: skip
    pz.enterprise_a.refresh_from_db()
    assert pz.enterprise_a.environmental_grade == "A"
    assert PollutionFirm.objects.get(enterprise=pz.enterprise_a).grade == Grade.A


def test_sources_and_own_measures_are_edited_on_their_pages(pz, client):
    client.force_login(pz.users["bureau"])
    firm_url = reverse("pollution-firm", args=[pz.enterprise_a.pk])
    new = reverse("pollution-source-new", args=[pz.enterprise_a.pk])
    refused = client.post(new, {"name": "3号线", "kind": "line", "daily_capacity": "abc", "so2": "4"})
    assert refused.status_code == 200 and 'value="3号线"' in refused.content.decode()
    assert client.post(new, {"name": "3号线", "kind": "line", "daily_capacity": "30", "so2": "4", "nox": "6",
                             "pm": "1", "vocs": "0"}).status_code == 302  # fmt: skip
    line = EmissionSource.objects.get(firm__enterprise=pz.enterprise_a, name="3号线")
    client.post(reverse("pollution-source", args=[pz.enterprise_a.pk, line.pk]), {"delete": "1"})
    assert not EmissionSource.objects.filter(pk=line.pk).exists()

    own = reverse("pollution-override", args=[pz.enterprise_a.pk, Level.ORANGE])
    refused = client.post(own, {"action": Action.CUT, "cut_percent": "35", "lines_stop_percent": "0",
                                "text": "停1号线，限产35%", "reason": ""})  # fmt: skip
    assert refused.status_code == 200 and "停1号线，限产35%" in refused.content.decode()
    client.post(own, {"action": Action.CUT, "cut_percent": "35", "lines_stop_percent": "0", "transport_ban": "on",
                      "text": "停1号线，限产35%", "reason": "一厂一策清单"})  # fmt: skip
    measure = measures.measure_resolve(enterprise_id=pz.enterprise_a.pk, sector=pz.firm_a.sector, grade=Grade.B,
                                       level=Level.ORANGE)  # fmt: skip
    assert (measure.cut_percent, measure.own) == (35, True)
    assert "停1号线，限产35%" in client.get(firm_url).content.decode()
    client.post(own, {"remove": "1"})
    assert not MeasureOverride.objects.filter(enterprise=pz.enterprise_a).exists()


def test_only_the_bureau_edits_and_only_firms_it_may_see(pz, client):
    pages = [reverse("pollution-firm-new"), reverse("pollution-firm-edit", args=[pz.enterprise_a.pk]),
             reverse("pollution-source-new", args=[pz.enterprise_a.pk]),
             reverse("pollution-override", args=[pz.enterprise_a.pk, Level.RED])]  # fmt: skip
    for name in ("officer_a", "enterprise_a", "department"):
        client.force_login(pz.users[name])
        assert [client.get(url).status_code for url in pages] == [403] * 4, name
    client.force_login(pz.users["bureau"])
    assert [client.get(url).status_code for url in pages] == [200] * 4
    assert client.get(reverse("pollution-override", args=[pz.enterprise_a.pk, "purple"])).status_code == 404
