"""Enterprises, cases and inspections are never deleted for good: the zone office deletes with a reason, the
record disappears everywhere, and comes back whole when restored; all of it audited."""

from django.urls import reverse

from zhuqi.cases.models import Case
from zhuqi.cases.workflow import Status
from zhuqi.core.models import AuditRecord
from zhuqi.enterprises.models import Enterprise


def _delete(client, kind, pk, reason="重复录入"):
    return client.post(reverse("record-delete", args=[kind, pk]), {"reason": reason}, follow=True)


def test_an_enterprise_with_open_cases_cannot_be_deleted(zone, two_cases, client):
    client.force_login(zone.users["coordinator"])
    page = _delete(client, "enterprise", zone.enterprise_a.pk).content.decode()
    assert "1 件" in page and "未办结" in page
    assert Enterprise.objects.filter(pk=zone.enterprise_a.pk).exists()


def test_a_deleted_enterprise_disappears_everywhere_and_comes_back_whole_when_restored(zone, two_cases, client):
    enterprise = zone.enterprise_b
    Case.objects.filter(enterprise=enterprise).update(status=Status.CLOSED)
    client.force_login(zone.users["coordinator"])
    assert "回收站" in _delete(client, "enterprise", enterprise.pk, "企业已注销").content.decode()
    assert client.get(reverse("enterprise-detail", args=[enterprise.pk])).status_code == 404
    assert enterprise.name not in client.get(reverse("enterprise-list")).content.decode()
    client.force_login(zone.users["officer_b"])
    assert client.get(reverse("enterprise-detail", args=[enterprise.pk])).status_code == 404
    client.force_login(zone.users["coordinator"])
    bin_page = client.get(reverse("recycle-bin")).content.decode()
    assert enterprise.name in bin_page and "企业已注销" in bin_page
    client.post(reverse("record-restore", args=["enterprise", enterprise.pk]))
    assert client.get(reverse("enterprise-detail", args=[enterprise.pk])).status_code == 200
    assert Case.objects.filter(enterprise=enterprise).count() == 1  # its history is still there
    events = list(AuditRecord.objects.filter(object_id=str(enterprise.pk)).values_list("event", "detail"))
    assert ("delete", "企业已注销") in events and ("undelete", "") in events


def test_a_deleted_case_leaves_the_lists_and_the_detail(zone, two_cases, client):
    case = two_cases[0]
    client.force_login(zone.users["coordinator"])
    _delete(client, "case", case.pk)
    assert client.get(reverse("case-detail", args=[case.pk])).status_code == 404
    assert case.number not in client.get(reverse("case-list")).content.decode()
    assert Case.everything.get(pk=case.pk).deletion_reason == "重复录入"


def test_only_the_zone_office_deletes_and_a_reason_is_required(zone, two_cases, client):
    client.force_login(zone.users["officer_b"])
    assert client.post(reverse("record-delete", args=["case", two_cases[1].pk]), {"reason": "x"}).status_code == 403
    assert client.get(reverse("recycle-bin")).status_code == 403
    client.force_login(zone.users["coordinator"])
    assert "原因" in _delete(client, "case", two_cases[1].pk, reason=" ").content.decode()
    assert Case.objects.filter(pk=two_cases[1].pk).exists()


def test_registering_a_deleted_enterprise_again_points_to_the_recycle_bin(zone, client):
    enterprise = zone.enterprise_b
    client.force_login(zone.users["coordinator"])
    _delete(client, "enterprise", enterprise.pk, "企业已注销")
    page = client.post(
        reverse("enterprise-create"),
        {"name": "新名字有限公司", "credit_code": enterprise.credit_code, "scale": "below"},
    ).content.decode()
    assert "回收站" in page and Enterprise.everything.filter(credit_code=enterprise.credit_code).count() == 1
