"""The task queue: every periodic job is a schedule of its own app, one failing job leaves the others running,
two clusters start each schedule once, and background work is queued only once its transaction commits."""

import datetime
import gc
from multiprocessing import Queue, Value
from unittest import mock

import pytest
from django.db import close_old_connections, connection, transaction
from django.test import override_settings
from django.utils import timezone
from django_q.brokers import get_broker
from django_q.conf import Conf
from django_q.models import Failure, OrmQ, Schedule, Success
from django_q.monitor import monitor
from django_q.scheduler import scheduler
from django_q.signing import SignedPackage
from django_q.worker import worker

from zhuqi.core.background import run_in_background
from zhuqi.core.schedules import periodic_jobs, schedules_ensure
from zhuqi.core.tests.together import at_once

JOBS = {
    "cases.tasks.reminders_send",
    "monitoring.tasks.alarms_sweep",
    "monitoring.tasks.housekeeping",
    "accounts.tasks.accounts_disable_idle",
    "core.tasks.idempotency_purge",
    "core.tasks.personal_data_purge",
    "core.tasks.audit_checkpoint_write",
    "notifications.tasks.outbox_deliver",
    "notices.tasks.notices_remind",
    "dispatch.tasks.reminders_send",
    "reporting.tasks.returns_remind",
    "growth.tasks.growth_remind",
    "pollution.tasks.days_open",
    "pollution.tasks.unconfirmed_remind",
    "policies.tasks.matches_refresh_changed",
    "policies.tasks.matches_refresh_all",
}


def queue_for_real():
    """Tasks go to the database broker instead of running at once; the test keeps its connection (the cluster
    closes stale ones between tasks, which would end the test's transaction)."""
    return mock.patch.multiple(Conf, SYNC=False, POLL=0)


@pytest.fixture(autouse=True)
def keep_connection():
    with mock.patch("django.db.close_old_connections"):
        yield


def all_due():
    Schedule.objects.update(next_run=timezone.now() - datetime.timedelta(minutes=1))


def ours(names) -> set:
    """Leaves out the jobs of the test settings' example module (core/tests/permits)."""
    return {name for name in names if ".tests." not in name}


def test_each_periodic_job_is_scheduled_by_its_own_app_after_migrate(db):
    schedules = {s.name: s for s in Schedule.objects.all()}
    assert set(schedules) >= JOBS
    assert {schedules[name].func for name in JOBS} == {f"zhuqi.{name}" for name in JOBS}
    assert all(schedules[name].repeats == -1 and schedules[name].minutes >= 1 for name in JOBS)


def test_a_second_migrate_keeps_the_administrators_timing_and_adds_nothing(db):
    Schedule.objects.filter(name="cases.tasks.reminders_send").update(minutes=15)
    before = Schedule.objects.count()
    assert schedules_ensure() == 0
    assert Schedule.objects.count() == before
    assert Schedule.objects.get(name="cases.tasks.reminders_send").minutes == 15


def test_a_schedule_whose_job_the_code_dropped_goes_and_a_missing_one_comes_back(db):
    Schedule.objects.create(name="cases.tasks.gone", func="zhuqi.cases.tasks.gone", schedule_type=Schedule.MINUTES,
                            minutes=5)  # fmt: skip
    Schedule.objects.filter(name="core.tasks.idempotency_purge").delete()
    assert schedules_ensure() == 1
    assert not Schedule.objects.filter(name="cases.tasks.gone").exists()
    assert Schedule.objects.filter(name="core.tasks.idempotency_purge").exists()


def test_the_jobs_are_importable_where_the_schedules_say():
    # besides the test settings' example module (core/tests/permits), which registers one of its own
    assert {job.name for job in periodic_jobs() if ".tests." not in job.name} == JOBS
    assert all(callable(job.func) for job in periodic_jobs())


def run_cluster_once():
    """What a cluster does in one turn: the scheduler queues the due schedules, workers run what is queued (here
    one after another, in this process and transaction), the monitor records each result."""
    broker = get_broker()
    with queue_for_real():
        scheduler(broker=broker)
    tasks, results = Queue(), Queue()
    with queue_for_real():
        while batch := broker.dequeue():
            for ack_id, payload in batch:
                tasks.put({**SignedPackage.loads(payload), "ack_id": ack_id})
    tasks.put("STOP")
    worker(tasks, results, Value("f", -1))
    results.put("STOP")
    monitor(results, broker)


def test_a_failing_job_does_not_stop_the_others(db):
    all_due()
    with mock.patch("zhuqi.cases.services.reminders_send", side_effect=RuntimeError("boom")):
        run_cluster_once()
    failed = set(Failure.objects.values_list("group", flat=True))
    succeeded = set(Success.objects.values_list("group", flat=True))
    assert failed == {"cases.tasks.reminders_send"}
    assert ours(succeeded) == JOBS - {"cases.tasks.reminders_send"}
    assert "boom" in Failure.objects.get().result
    assert not OrmQ.objects.exists()  # the failed task is recorded, not handed out again


def test_a_due_schedule_becomes_one_task_however_often_the_scheduler_looks(db):
    all_due()
    with queue_for_real():
        scheduler(broker=get_broker())
        scheduler(broker=get_broker())
    queued = [SignedPackage.loads(q.payload)["func"] for q in OrmQ.objects.all()]
    assert sorted(ours(queued)) == sorted(f"zhuqi.{name}" for name in JOBS)


@pytest.mark.django_db(transaction=True)
def test_two_clusters_start_each_due_schedule_once():
    if connection.vendor != "postgresql":
        pytest.skip("two connections at once: PostgreSQL")
    schedules_ensure()
    all_due()
    with queue_for_real():
        at_once(lambda: scheduler(broker=get_broker()))
    queued = [SignedPackage.loads(q.payload)["func"] for q in OrmQ.objects.all()]
    assert sorted(ours(queued)) == sorted(f"zhuqi.{name}" for name in JOBS)


def test_background_work_is_queued_when_its_transaction_commits(db, django_capture_on_commit_callbacks):
    with override_settings(ZHUQI_BACKGROUND_INLINE=False), queue_for_real():
        with django_capture_on_commit_callbacks(execute=True):
            run_in_background(schedules_ensure, using="default")
            assert not OrmQ.objects.exists()
        (queued,) = OrmQ.objects.all()
    task = SignedPackage.loads(queued.payload)
    assert task["func"] == "zhuqi.core.schedules.schedules_ensure" and task["kwargs"] == {"using": "default"}


def test_background_work_of_a_rolled_back_transaction_is_never_queued(db, django_capture_on_commit_callbacks):
    with (
        override_settings(ZHUQI_BACKGROUND_INLINE=False),
        queue_for_real(),
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ZeroDivisionError),
        transaction.atomic(),
    ):
        run_in_background(schedules_ensure)
        1 / 0  # noqa: B018
    assert not OrmQ.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_queueing_work_leaves_the_callers_connection_open():
    """A reminder run queues a delivery per case while it iterates the cases on the same connection."""
    with (
        override_settings(ZHUQI_BACKGROUND_INLINE=False),
        mock.patch.object(Conf, "SYNC", False),
        mock.patch("django.db.close_old_connections", close_old_connections),  # the real one, here
    ):
        connection.ensure_connection()
        before = connection.connection
        connection.close_at = 0  # past CONN_MAX_AGE: a broker that closes "old" connections would close this one
        run_in_background(schedules_ensure)  # no transaction open: queued at once
        assert connection.connection is before
    assert OrmQ.objects.count() == 1


@pytest.mark.parametrize(("redis_url", "broker"), [("", "ORM"), ("redis://127.0.0.1:6379/3", "Redis")])
def test_the_database_is_the_queue_unless_one_variable_names_a_redis(redis_url, broker):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}  # the ORM broker opens the database
    env |= {"DJANGO_SETTINGS_MODULE": "zhuqi.settings.test", "ZHUQI_QUEUE_REDIS_URL": redis_url}
    code = "import django; django.setup(); from django_q.brokers import get_broker; print(type(get_broker()).__name__)"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)  # noqa: S603
    assert result.stdout.strip() == broker, result.stderr


def test_the_system_administrator_sees_failed_tasks_and_changes_schedules_on_the_record(zone, client):
    from django.urls import reverse

    from zhuqi.core.models import AuditRecord

    all_due()
    with mock.patch("zhuqi.cases.services.reminders_send", side_effect=RuntimeError("boom")):
        run_cluster_once()
    client.force_login(zone.users["sysadmin"])
    page = client.get(reverse("admin:django_q_failure_changelist"))
    assert page.status_code == 200 and "reminders_send" in page.content.decode()
    schedule = Schedule.objects.get(name="cases.tasks.reminders_send")
    form = client.get(reverse("admin:django_q_schedule_change", args=[schedule.pk])).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None} | {"minutes": 15}
    data["next_run_0"], data["next_run_1"] = timezone.localtime(schedule.next_run).strftime("%Y-%m-%d %H:%M:%S").split()
    response = client.post(reverse("admin:django_q_schedule_change", args=[schedule.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Schedule.objects.get(pk=schedule.pk).minutes == 15
    assert AuditRecord.objects.filter(object_type="django_q.schedule", detail="admin").exists()
    for name in ("security", "coordinator"):
        client.force_login(zone.users[name])
        assert client.get(reverse("admin:django_q_failure_changelist")).status_code in (302, 403)


def test_a_task_in_the_cluster_may_pause_the_garbage_collector_a_web_process_may_not(monkeypatch):
    from django_q.signals import pre_execute

    from zhuqi.core import bulk

    monkeypatch.setattr(bulk, "_WORKER_PROCESS", False)
    with bulk.cycle_collection_paused():
        assert gc.isenabled()
    pre_execute.send(sender="test", func=print, task={})
    with bulk.cycle_collection_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
