"""An import's status lives on its LedgerImport row: progress the page can read while the import's transaction
is open, a failure with its reason, and a worker killed half-way that leaves nothing behind and a retry."""

import contextlib
import gc
import io
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from zhuqi.core import bulk
from zhuqi.enterprises import ledger, services
from zhuqi.enterprises.ledger import ledger_import_run, ledger_parse
from zhuqi.enterprises.models import Contact, Enterprise, LedgerImport
from zhuqi.enterprises.tests.factories import credit_code_for

ROWS = 2500


def ledger_file(rows=ROWS) -> bytes:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("台账")
    sheet.append(["企业名称", "统一社会信用代码", "联系人", "联系电话"])
    for n in range(rows):
        sheet.append([f"平顶山状态{n}号有限公司", credit_code_for(80000 + n), "王五", f"139{n:08d}"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def checked_job(user, rows=ROWS, on_commit=None) -> LedgerImport:
    with on_commit(execute=True) if on_commit else contextlib.nullcontext():
        job = services.ledger_import_start(by=user, upload=SimpleUploadedFile("台账.xlsx", ledger_file(rows)))
    job.refresh_from_db()
    assert (job.status, job.valid_rows, job.problem_count) == ("checked", rows, 0)
    return job


CHILD = """
import pathlib, sys, time
import django
django.setup()
from zhuqi.enterprises import ledger
from zhuqi.enterprises.models import Contact
real = ledger.insert_rows
def stalls_at_the_contacts(model, fields, rows, **more):
    if model is Contact:  # the enterprises are written, inside the import's open transaction
        pathlib.Path(sys.argv[2]).write_text("writing")
        time.sleep(300)
    return real(model, fields, rows, **more)
ledger.insert_rows = stalls_at_the_contacts
ledger.ledger_import_run(job_id=int(sys.argv[1]))
"""


def _database_url(path: Path) -> str:
    if connection.vendor == "sqlite":
        return f"sqlite:///{path}"
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_import_leaves_nothing_and_the_page_offers_a_retry_that_succeeds(zone, client):
    user = zone.users["coordinator"]
    job = checked_job(user)
    LedgerImport.objects.filter(pk=job.pk).update(status="importing", queued_at=timezone.now())
    before = Enterprise.objects.count()
    workdir = Path(tempfile.mkdtemp(prefix="ledger-kill-"))
    database = workdir / "db.sqlite3"
    if connection.vendor == "sqlite":  # the tests' in-memory database, handed to the child as a file
        connection.ensure_connection()
        with sqlite3.connect(database) as target:
            connection.connection.backup(target)
    marker = workdir / "writing"
    env = {**os.environ, "DATABASE_URL": _database_url(database), "DJANGO_SETTINGS_MODULE": "zhuqi.settings.test"}
    child = subprocess.Popen(  # noqa: S603
        [sys.executable, "-c", CHILD, str(job.pk), str(marker)], env=env, cwd=settings.BASE_DIR
    )
    try:
        for _ in range(600):
            if marker.exists() or child.poll() is not None:
                break
            time.sleep(0.1)
        assert marker.exists(), "the child never reached the writing"
        if connection.vendor == "postgresql":
            # while the import's transaction is open, the page already sees its progress, and no enterprise
            for _ in range(100):
                job.refresh_from_db()
                if job.done_rows:
                    break
                time.sleep(0.1)
            assert job.status == "importing" and job.heartbeat_at and 0 < job.done_rows <= job.total_rows
            assert Enterprise.objects.count() == before
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(30)
    if connection.vendor == "sqlite":  # what the killed child left in its file, back into the tests' database
        with sqlite3.connect(database) as source:
            source.backup(connection.connection)
    assert Enterprise.objects.count() == before and not Contact.objects.filter(name="王五").exists()
    job.refresh_from_db()
    assert job.status == "importing"  # the worker died without a word

    # its heartbeat stops; once it is older than the stated limit, the page says what happened
    LedgerImport.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - timezone.timedelta(seconds=settings.ZHUQI_IMPORT_STALE_SECONDS + 1)
    )
    client.force_login(user)
    page = client.get(reverse("ledger-import", args=[job.pk])).content.decode()
    assert "已中断" in page and "retry-import" in page and "正在导入" not in page
    refused = client.post(reverse("ledger-import", args=[job.pk]), follow=True).content.decode()
    assert "请先重试" in refused
    assert "已中断" in client.get(reverse("ledger-upload")).content.decode()

    client.post(reverse("ledger-import", args=[job.pk]), {"retry": "1"})
    job.refresh_from_db()
    assert (job.status, job.imported_count, job.done_rows, job.total_rows) == ("imported", ROWS, ROWS, ROWS)
    assert Enterprise.objects.count() == before + ROWS


def test_a_run_that_fails_is_marked_failed_with_its_reason_and_can_be_retried(
    zone, client, django_capture_on_commit_callbacks
):
    user = zone.users["coordinator"]
    job = checked_job(user, rows=3, on_commit=django_capture_on_commit_callbacks)
    real = ledger.insert_rows

    def disk_full(model, fields, rows, **more):
        if model is Contact:
            raise OSError("No space left on device")
        return real(model, fields, rows, **more)

    LedgerImport.objects.filter(pk=job.pk).update(status="importing")
    with mock.patch.object(ledger, "insert_rows", disk_full), pytest.raises(OSError):
        ledger_import_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and "No space left on device" in job.error and "未保存" in job.error
    assert not Enterprise.objects.filter(name__startswith="平顶山状态").exists()
    client.force_login(user)
    page = client.get(reverse("ledger-import", args=[job.pk])).content.decode()
    assert "No space left on device" in page and "retry-import" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("ledger-import", args=[job.pk]), {"retry": "1"})
    job.refresh_from_db()
    assert (job.status, job.imported_count) == ("imported", 3)


def test_confirming_an_import_that_is_running_says_so_not_that_the_check_failed(
    zone, client, django_capture_on_commit_callbacks
):
    user = zone.users["coordinator"]
    job = checked_job(user, rows=2, on_commit=django_capture_on_commit_callbacks)
    LedgerImport.objects.filter(pk=job.pk).update(status="importing", heartbeat_at=timezone.now(), done_rows=1)
    client.force_login(user)
    page = client.post(reverse("ledger-import", args=[job.pk]), follow=True).content.decode()
    assert "正在导入中" in page and "未通过检查" not in page
    assert "1/2" in page and "retry-import" not in page


def test_progress_never_runs_past_the_total(zone):
    calls = []
    parsed = ledger_parse(
        fileobj=io.BytesIO(ledger_file(2999)),
        by=zone.users["coordinator"],
        progress=lambda done, total: calls.append((done, total)),
    )
    assert parsed.total == 2999 and calls and all(done <= total for done, total in calls)
    assert LedgerImport(done_rows=1999, total_rows=1998).percent == 100


def test_the_garbage_collector_is_paused_only_in_a_process_that_says_it_is_a_worker(monkeypatch):
    monkeypatch.setattr(bulk, "_WORKER_PROCESS", False)
    with bulk.cycle_collection_paused():
        assert gc.isenabled()  # a process that serves requests never pauses it
    monkeypatch.setattr(bulk, "_WORKER_PROCESS", True)
    with bulk.cycle_collection_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
