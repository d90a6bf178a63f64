"""Periodic jobs: each app keeps its task functions in its `tasks.py` and registers them with their timing from
its AppConfig.ready() (core.registry.periodic_task_register); after every `migrate` the schedules are created in
django-q2's table, where the system administrator may change their timing in the admin. Core never names an app.

Two clusters never start one schedule twice: django-q2's scheduler reads due schedules with SELECT … FOR UPDATE
and moves `next_run` on in the same transaction (on SQLite the write transaction is IMMEDIATE, which serialises
the same way); the jobs themselves are idempotent besides (a Reminder row per case and deadline, the sweep's row
locks, the outbox's claims)."""

import logging

from django.utils import timezone

from . import registry

logger = logging.getLogger(__name__)


Periodic = registry.Periodic


def periodic_jobs() -> list[Periodic]:
    return registry.periodic_tasks()


def schedules_ensure(**_signal) -> int:
    """Creates the schedule of each job that has none, named after its task function; an existing one keeps the
    timing the administrator gave it. A schedule made here for a job the code no longer declares goes. Returns
    how many were created."""
    from django_q.models import Schedule

    jobs = periodic_jobs()
    ours = Schedule.objects.filter(func__startswith="zhuqi.").values_list("pk", "name", "func")
    gone = [pk for pk, name, func in ours if name == func.removeprefix("zhuqi.") and name not in {j.name for j in jobs}]
    Schedule.objects.filter(pk__in=gone).delete()
    created = 0
    for job in jobs:
        _schedule, made = Schedule.objects.get_or_create(
            name=job.name,
            defaults={
                "func": job.path,
                "schedule_type": Schedule.MINUTES,
                "minutes": job.minutes,
                "repeats": -1,
                "next_run": timezone.now(),
            },
        )
        created += made
    return created
