import datetime

import pytest
from django.urls import reverse

from zhuqi.core.errors import DomainError
from zhuqi.core.models import AuditRecord
from zhuqi.enterprises import selectors, services
from zhuqi.enterprises.models import Enterprise, OfficerAssignment
from zhuqi.enterprises.tests.factories import EnterpriseFactory, QualificationFactory, credit_code_for


def test_registering_an_enterprise_validates_the_credit_code_in_chinese(zone):
    with pytest.raises(DomainError, match="校验码错误"):
        services.enterprise_register(by=zone.users["coordinator"], name="新公司", credit_code="914403001922038217")
    assert not Enterprise.objects.filter(name="新公司").exists()


def test_a_registered_enterprise_gets_pinyin_initials_a_timeline_and_an_audit_record(zone):
    enterprise = services.enterprise_register(
        by=zone.users["officer_a"],
        name="平顶山鑫达电气有限公司",
        credit_code=credit_code_for(777).lower(),
        park=zone.park_a,
    )
    assert enterprise.credit_code == credit_code_for(777)
    assert enterprise.name_initials == "pdsxddqyxgs"
    assert enterprise.timeline.get().kind == "registered"
    assert AuditRecord.objects.get(event="create", object_id=str(enterprise.pk)).actor == zone.users["officer_a"]


def test_a_park_officer_cannot_register_an_enterprise_in_another_park(zone):
    with pytest.raises(DomainError, match="只能为本园区"):
        services.enterprise_register(
            by=zone.users["officer_a"], name="别园公司", credit_code=credit_code_for(778), park=zone.park_b
        )


def test_renaming_keeps_the_former_name_and_records_the_change(zone):
    services.enterprise_update(enterprise=zone.enterprise_a, by=zone.users["coordinator"], name="森源电气集团有限公司")
    enterprise = Enterprise.objects.get(pk=zone.enterprise_a.pk)
    assert enterprise.former_names == ["河南森源电气股份有限公司"]
    assert enterprise.name_initials == "sydqjtyxgs"
    entry = enterprise.timeline.get(kind="updated")
    assert entry.details["name"] == ["河南森源电气股份有限公司", "森源电气集团有限公司"]
    audit = AuditRecord.objects.get(event="update", object_id=str(enterprise.pk))
    assert audit.changes["name"][1] == "森源电气集团有限公司"


def test_a_duplicate_credit_code_is_refused(zone):
    with pytest.raises(DomainError, match="统一社会信用代码"):
        services.enterprise_update(
            enterprise=zone.enterprise_a, by=zone.users["coordinator"], credit_code=zone.enterprise_b.credit_code
        )


def test_changing_the_service_officer_keeps_the_history(zone):
    other = zone.users["officer_a"].__class__.objects.create(
        username="officer_a2", full_name="第二帮办", role="park_officer", park=zone.park_a
    )
    services.enterprise_assign_officer(
        enterprise=zone.enterprise_a, officer=other, by=zone.users["coordinator"], reason="岗位调整"
    )
    zone.enterprise_a.refresh_from_db()
    assert zone.enterprise_a.service_officer == other
    assignment = OfficerAssignment.objects.get(enterprise=zone.enterprise_a)
    assert (assignment.officer, assignment.reason) == (other, "岗位调整")
    assert "变更为 第二帮办" in zone.enterprise_a.timeline.get(kind="officer_changed").summary


def test_an_officer_of_another_park_cannot_be_made_chief_service_officer(zone):
    with pytest.raises(DomainError, match="不是可分包的首席服务官"):
        services.enterprise_assign_officer(
            enterprise=zone.enterprise_a, officer=zone.users["officer_b"], by=zone.users["officer_a"]
        )


def test_search_finds_by_pinyin_initials_by_code_and_by_part_of_the_name(zone):
    user = zone.users["coordinator"]

    def names(q):
        return [e.name for e in selectors.enterprise_list(user=user, filters=selectors.EnterpriseFilters(q=q))]

    assert names("sydq") == ["河南森源电气股份有限公司"]
    assert names("SYDQ") == ["河南森源电气股份有限公司"]
    assert names(zone.enterprise_b.credit_code[:16]) == ["河南君易安商贸有限公司"]
    assert names("君易安") == ["河南君易安商贸有限公司"]
    assert names("不存在的企业") == []


def test_qualifications_expiring_within_90_days_are_listed_soonest_first(zone):
    today = datetime.date(2026, 11, 23)
    late = QualificationFactory(enterprise=zone.enterprise_a, valid_until=datetime.date(2027, 2, 1))
    soon = QualificationFactory(enterprise=zone.enterprise_b, valid_until=datetime.date(2026, 12, 1))
    QualificationFactory(enterprise=zone.enterprise_a, valid_until=datetime.date(2027, 6, 1))
    QualificationFactory(enterprise=zone.enterprise_a, valid_until=datetime.date(2026, 11, 1))
    assert list(selectors.qualifications_expiring(user=zone.users["coordinator"], today=today)) == [soon, late]
    assert list(selectors.qualifications_expiring(user=zone.users["officer_a"], today=today)) == [late]


def test_the_filters_narrow_the_list(zone, client):
    QualificationFactory(enterprise=zone.enterprise_a, kind="high_tech", valid_until=datetime.date(2099, 1, 1))
    EnterpriseFactory(name="规上测试公司", park=zone.park_b, scale="above")
    client.force_login(zone.users["coordinator"])
    page = client.get(reverse("enterprise-list"), {"qualification": "high_tech"}).content.decode()
    assert zone.enterprise_a.name in page and zone.enterprise_b.name not in page
    page = client.get(reverse("enterprise-list"), {"scale": "above", "park": zone.park_b.pk}).content.decode()
    assert "规上测试公司" in page and zone.enterprise_b.name not in page


def test_the_list_answers_htmx_with_only_the_results(zone, client):
    client.force_login(zone.users["coordinator"])
    response = client.get(
        reverse("enterprise-list"), {"q": "sydq"}, headers={"HX-Request": "true", "HX-Target": "enterprise-results"}
    )
    html = response.content.decode()
    assert "<html" not in html and zone.enterprise_a.name in html and zone.enterprise_b.name not in html


def test_the_edit_form_shows_the_credit_code_problem_next_to_the_field(zone, client):
    client.force_login(zone.users["coordinator"])
    response = client.post(
        reverse("enterprise-create"), {"name": "表单公司", "credit_code": "91440300192203821", "scale": "below"}
    )
    assert response.status_code == 200
    assert "统一社会信用代码应为18位，当前为17位" in response.content.decode()


def test_an_edit_made_on_an_older_version_of_the_file_is_refused_and_overwrites_nothing(zone, client):
    enterprise = zone.enterprise_a
    url = reverse("enterprise-edit", args=[enterprise.pk])
    client.force_login(zone.users["coordinator"])
    form = client.get(url).context["form"]
    seen = {name: value for name, value in form.initial.items() if value is not None and name != "tags"}
    seen |= {"park": enterprise.park_id, "grid": enterprise.grid_id or "", "scale": enterprise.scale}
    assert seen["expected_version"] == enterprise.version
    first = client.post(url, {**seen, "address": "高新区火炬路1号"})
    assert first.status_code == 302
    second = client.post(url, {**seen, "address": "高新区建设路9号"})
    assert "已被他人修改" in second.content.decode()
    enterprise.refresh_from_db()
    assert (enterprise.address, enterprise.version) == ("高新区火炬路1号", 2)
