"""The module in this folder reaches the platform through the registries alone: its kind of case runs on the
case engine by its own table, its entries show in the enterprise file to those who may see them, its card on
the 工作台, its task among the scheduled jobs, its scope among the scopes."""

import pytest
from django.urls import reverse

from zhuqi.cases import services
from zhuqi.cases.models import CaseEvent, Source
from zhuqi.cases.services import CaseError
from zhuqi.cases.tests.factories import CategoryFactory
from zhuqi.cases.workflow import Action, Actor, Status, allowed_actions
from zhuqi.core import registry
from zhuqi.core.errors import DomainError
from zhuqi.core.schedules import periodic_jobs, schedules_ensure
from zhuqi.enterprises.selectors import enterprise_timeline

from .workflow import GRANT, KIND, REVIEW, TIMELINE_KIND

pytestmark = pytest.mark.django_db


@pytest.fixture
def permit(zone):
    category = CategoryFactory(kind=KIND, name="施工许可")
    return services.case_raise(by=zone.users["enterprise_a"], category=category, description="申请施工许可",
                               source=Source.ENTERPRISE, enterprise=zone.enterprise_a)  # fmt: skip


def test_its_kind_of_case_runs_on_the_engine_by_its_own_table(zone, permit):
    coordinator = zone.users["coordinator"]
    assert services.actions_available(user=coordinator, case=permit) == [Action.COMMENT, REVIEW]
    with pytest.raises(DomainError) as refused:  # the loop's assignment is not in this kind's table
        services.case_act(case=permit, action=Action.ASSIGN, by=coordinator)
    assert refused.value.code == CaseError.NOT_ALLOWED
    with pytest.raises(DomainError) as refused:  # a part its table does not name
        services.case_act(case=permit, action=REVIEW, by=zone.users["enterprise_a"])
    assert refused.value.code == CaseError.NOT_ALLOWED
    case = services.case_act(case=permit, action=REVIEW, by=coordinator)
    case = services.case_act(case=case, action=GRANT, by=coordinator, comment="材料齐全，予以批准")
    assert case.status == Status.CLOSED
    assert [(e.action, e.get_action_display()) for e in CaseEvent.objects.filter(case=case)] == [
        ("raise", "raise"), (REVIEW, "受理审查"), (GRANT, "批准许可"),
    ]  # fmt: skip
    assert case.get_kind_display() == "审批许可"
    assert allowed_actions(Status.IN_PROGRESS, {Actor.COORDINATOR}, KIND) == [GRANT]


def test_its_timeline_entries_show_only_to_those_who_see_the_case(zone, permit):
    coordinator = zone.users["coordinator"]
    services.case_act(case=permit, action=REVIEW, by=coordinator)
    services.case_act(case=permit, action=GRANT, by=coordinator, comment="批准")
    assert (
        enterprise_timeline(user=zone.users["enterprise_a"], enterprise=zone.enterprise_a)
        .filter(kind=TIMELINE_KIND)
        .get()
        .get_kind_display()
        == "许可决定"
    )
    assert (
        not enterprise_timeline(user=zone.users["grid_a"], enterprise=zone.enterprise_a)
        .filter(kind=TIMELINE_KIND)
        .exists()
    )


def test_its_card_is_on_the_workbench_of_whoever_has_permits_waiting(zone, client, permit):
    client.force_login(zone.users["coordinator"])
    assert "待审批许可 1 件" in client.get(reverse("workbench")).content.decode()
    client.force_login(zone.users["officer_b"])  # the other park sees no permit of park A
    assert "待审批许可" not in client.get(reverse("workbench")).content.decode()


def test_its_task_is_scheduled_and_its_scope_registered(zone, permit):
    assert "core.tests.permits.workflow.permits_remind" in {job.name for job in periodic_jobs()}
    from django_q.models import Schedule

    Schedule.objects.filter(name="core.tests.permits.workflow.permits_remind").delete()
    assert schedules_ensure() == 1
    assert list(registry.scope("permits").visible_to(zone.users["officer_a"])) == [permit]
    assert not registry.scope("permits").visible_to(zone.users["officer_b"]).exists()


def test_its_action_is_a_button_on_the_case_page(zone, client, permit):
    client.force_login(zone.users["coordinator"])
    page = client.get(reverse("case-detail", args=[permit.pk])).content.decode()
    assert "受理审查" in page
    answer = client.post(reverse("case-action", args=[permit.pk, REVIEW]),
                         {f"{REVIEW}-expected_version": permit.version}, follow=True)  # fmt: skip
    assert answer.status_code == 200
    permit.refresh_from_db()
    assert permit.status == Status.IN_PROGRESS


def test_its_actions_and_their_fields_go_through_the_api(zone, client, permit):
    from zhuqi.cases.tests.test_api import act

    client.force_login(zone.users["coordinator"])
    assert client.get(f"/api/cases/{permit.pk}").json()["allowed_actions"] == [Action.COMMENT, REVIEW]
    unknown = act(client, permit.pk, {"action": "permit_revoke"})
    assert (
        unknown.status_code == 422
        and unknown.json()["detail"][0]["msg"] == "Value error, 没有“permit_revoke”这一办理动作"
    )
    assert act(client, permit.pk, {"action": REVIEW}).json()["status"] == Status.IN_PROGRESS
    # its field, as the module registered it: checked alike on the page and through the API
    wrong = act(client, permit.pk, {"action": GRANT, "comment": "批准", "permit_number": "123"})
    assert wrong.status_code == 400
    assert wrong.json() == {
        "code": "invalid",
        "message": "许可证编号：许可证编号为 XK 加六位数字",
        "field": "permit_number",
    }
    missing = act(client, permit.pk, {"action": GRANT, "comment": "批准"})
    assert missing.status_code == 400 and missing.json()["field"] == "permit_number"
    granted = act(client, permit.pk, {"action": GRANT, "comment": "批准", "permit_number": "XK000123"})
    assert granted.status_code == 200 and granted.json()["status"] == Status.CLOSED
    assert granted.json()["events"][-1]["details"]["permit_number"] == "XK000123"


def test_its_action_form_on_the_page_asks_for_its_fields(zone, client, permit):
    coordinator = zone.users["coordinator"]
    permit = services.case_act(case=permit, action=REVIEW, by=coordinator)
    client.force_login(coordinator)
    assert 'name="permit_grant-permit_number"' in client.get(reverse("case-detail", args=[permit.pk])).content.decode()
    url = reverse("case-action", args=[permit.pk, GRANT])
    form = {f"{GRANT}-expected_version": permit.version, f"{GRANT}-comment": "批准"}
    client.post(url, {**form, f"{GRANT}-permit_number": "XK12"})
    permit.refresh_from_db()
    assert permit.status == Status.IN_PROGRESS
    client.post(url, {**form, f"{GRANT}-permit_number": "XK000124"})
    permit.refresh_from_db()
    assert permit.status == Status.CLOSED
    assert CaseEvent.objects.filter(case=permit, action=GRANT).get().details["permit_number"] == "XK000124"
