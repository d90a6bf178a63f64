import io

import openpyxl
import pytest
from django.urls import reverse

from zhuqi.core.models import AppendOnlyError, AuditRecord
from zhuqi.org.tests.factories import PASSWORD


def test_logins_failures_and_logouts_are_recorded_with_the_address(zone, client):
    client.post(reverse("login"), {"username": "officer_a", "password": "wrong"}, REMOTE_ADDR="10.1.2.3")
    client.post(reverse("login"), {"username": "officer_a", "password": PASSWORD}, REMOTE_ADDR="10.1.2.3")
    client.post(reverse("logout"), REMOTE_ADDR="10.1.2.3")
    events = list(AuditRecord.objects.order_by("id").values_list("event", "actor_username", "ip_address", "outcome"))
    assert events == [
        ("login_failed", "officer_a", "10.1.2.3", "failure"),
        ("login", "officer_a", "10.1.2.3", "success"),
        ("logout", "officer_a", "10.1.2.3", "success"),
    ]


def test_the_sixth_wrong_password_locks_the_account(zone, client):
    for _ in range(5):
        client.post(reverse("login"), {"username": "officer_a", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "officer_a", "password": PASSWORD})
    assert response.status_code == 429
    assert "锁定" in response.content.decode()


def test_audit_records_are_never_changed_or_deleted(zone):
    record = AuditRecord.objects.create(event="export", actor_username="x")
    record.detail = "changed"
    with pytest.raises(AppendOnlyError):
        record.save()
    with pytest.raises(AppendOnlyError):
        record.delete()
    with pytest.raises(AppendOnlyError):
        AuditRecord.objects.filter(pk=record.pk).update(detail="changed")
    with pytest.raises(AppendOnlyError):
        AuditRecord.objects.all().delete()


def test_the_auditor_filters_and_exports_the_trail_and_the_export_is_itself_audited(zone, client):
    AuditRecord.objects.create(event="login", actor_username="officer_a")
    AuditRecord.objects.create(event="login_failed", actor_username="stranger", outcome="failure")
    client.force_login(zone.users["auditor"])
    page = client.get(reverse("audit-list"), {"event": "login_failed"}).content.decode()
    assert "stranger" in page and "officer_a" not in page
    book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("audit-export"), {"event": "login_failed"}).content))
    assert [row[1] for row in book.active.iter_rows(min_row=2, values_only=True)] == ["stranger"]
    assert AuditRecord.objects.filter(event="export", actor_username="auditor").exists()


def test_language_is_chinese_by_default_and_english_on_request(zone, client):
    client.force_login(zone.users["coordinator"])
    page = client.get(reverse("enterprise-list"), headers={"Accept-Language": "en-US"}).content.decode()
    assert 'lang="zh-hans"' in page
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert 'lang="en"' in client.get(reverse("enterprise-list")).content.decode()
