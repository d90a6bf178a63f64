import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from zhuqi.core.audit import audit_record
from zhuqi.core.audit_chain import chain_pending
from zhuqi.core.models import AppendOnlyError, AuditEvent, AuditRecord
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


def _append_only_trigger(enabled: bool) -> None:
    """What an intruder with the database owner's rights could do: switch the PostgreSQL trigger off."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            state = "ENABLE" if enabled else "DISABLE"
            cursor.execute(f"ALTER TABLE core_auditrecord {state} TRIGGER core_auditrecord_append_only")


def test_verify_audit_finds_an_edited_record_and_a_removed_one(zone):
    records = [audit_record(actor=zone.users["sysadmin"], event=AuditEvent.UPDATE, detail=f"第{n}次") for n in range(4)]
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    assert "共核验 4 条" in out.getvalue()
    _append_only_trigger(enabled=False)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditrecord SET detail = %s WHERE id = %s", ["无事发生", records[1].pk])
        cursor.execute("DELETE FROM core_auditrecord WHERE id = %s", [records[2].pk])
    _append_only_trigger(enabled=True)
    err = io.StringIO()
    with pytest.raises(CommandError, match="断裂 2 处"):
        call_command("verify_audit", stderr=err)
    assert f"#{records[1].pk}：内容被改动" in err.getvalue()
    assert f"#{records[3].pk}：其前的记录被删除" in err.getvalue()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_on_postgresql_the_database_itself_refuses_to_change_or_delete_audit_records(zone):
    record = audit_record(actor=zone.users["sysadmin"], event=AuditEvent.EXPORT)
    for sql in ["UPDATE core_auditrecord SET detail = 'x' WHERE id = %s", "DELETE FROM core_auditrecord WHERE id = %s"]:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [record.pk])
    assert AuditRecord.objects.get(pk=record.pk).detail == ""


def test_verify_audit_finds_records_removed_from_the_start_of_the_chain(zone):
    records = [audit_record(actor=zone.users["sysadmin"], event=AuditEvent.UPDATE, detail=f"第{n}次") for n in range(3)]
    chain_pending()  # as after their transactions committed
    _append_only_trigger(enabled=False)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditrecord WHERE id = %s", [records[0].pk])
    _append_only_trigger(enabled=True)
    err = io.StringIO()
    with pytest.raises(CommandError, match="断裂 1 处"):
        call_command("verify_audit", stderr=err)
    assert f"#{records[1].pk}：链首的记录被删除" in err.getvalue()


@pytest.fixture
def checkpoints(settings, tmp_path):
    settings.ZHUQI_AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"
    return settings.ZHUQI_AUDIT_CHECKPOINT_DIR


def test_verify_audit_finds_records_cut_off_the_end_against_the_signed_checkpoint(zone, checkpoints):
    records = [audit_record(actor=zone.users["sysadmin"], event=AuditEvent.UPDATE, detail=f"第{n}次") for n in range(3)]
    call_command("audit_checkpoint", stdout=io.StringIO())
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    assert "相符" in out.getvalue()

    _append_only_trigger(enabled=False)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditrecord WHERE id = %s", [records[2].pk])
    _append_only_trigger(enabled=True)
    err = io.StringIO()
    with pytest.raises(CommandError, match="断裂 1 处"):
        call_command("verify_audit", stderr=err)
    assert "链尾被截断：" in err.getvalue() and "记到第 3 条，库中的链只到第 2 条" in err.getvalue()


def test_a_checkpoint_written_without_the_key_is_refused(zone, checkpoints):
    audit_record(actor=zone.users["sysadmin"], event=AuditEvent.UPDATE)
    call_command("audit_checkpoint", stdout=io.StringIO())
    (path,) = checkpoints.glob("*.json")
    path.write_text(path.read_text().replace('"seq": 1', '"seq": 0'))
    with pytest.raises(CommandError):
        call_command("verify_audit", stderr=(err := io.StringIO()))
    assert "的签名不对" in err.getvalue()


def test_a_row_inserted_without_the_key_is_never_chained_and_is_named(zone):
    audit_record(actor=zone.users["sysadmin"], event=AuditEvent.UPDATE)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO core_auditrecord (at, actor_username, event, object_type, object_id, object_repr, changes,"
            " outcome, detail, seal, previous_hash, hash) VALUES (%s, 'intruder', 'login', '', '', '', '{}',"
            " 'success', '', %s, '', '')",
            [timezone.now(), "0" * 64],
        )
    forged = AuditRecord.objects.get(actor_username="intruder")
    with pytest.raises(CommandError, match="断裂 1 处"):
        call_command("verify_audit", stderr=(err := io.StringIO()))
    assert f"#{forged.pk}：不是本平台写入的" in err.getvalue()
    assert AuditRecord.objects.get(pk=forged.pk).seq is None


def test_a_record_joins_the_chain_when_its_change_commits_and_vanishes_with_a_rolled_back_one(
    zone, django_capture_on_commit_callbacks
):
    with pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        audit_record(actor=zone.users["sysadmin"], event=AuditEvent.UPDATE, detail="回滚")
        raise RuntimeError("the change fails")
    assert not AuditRecord.objects.filter(detail="回滚").exists()

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        record = audit_record(actor=zone.users["sysadmin"], event=AuditEvent.UPDATE, detail="提交")
        assert AuditRecord.objects.get(pk=record.pk).seq is None  # not in the chain while its change is open
    linked = AuditRecord.objects.get(pk=record.pk)
    assert linked.seq == 1 and linked.previous_hash == "" and len(linked.hash) == 64


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite lets one writer at a time into a transaction whatever the audit does; the lock is PostgreSQL's",
)
@pytest.mark.django_db(transaction=True)
def test_two_audited_writes_do_not_wait_for_each_others_transactions():
    import threading

    both_inside = threading.Barrier(2, timeout=10)
    failures = []

    def write(n):
        try:
            with transaction.atomic():
                audit_record(actor=None, actor_username=f"user{n}", event=AuditEvent.LOGIN_FAILED, outcome="failure")
                both_inside.wait()  # each holds its own transaction open until the other has written its record
        except Exception as error:  # noqa: BLE001 -- reported below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sorted(AuditRecord.objects.values_list("seq", flat=True)) == [1, 2]
    call_command("verify_audit", stdout=io.StringIO())
