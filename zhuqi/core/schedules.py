"""Periodic jobs: each app declares its own in its `tasks.py` (`SCHEDULES = [Periodic(...)]`) beside the task
functions; after every `migrate` the schedules are created in django-q2's table, where the system administrator
may change their timing in the admin. Core never names an app: it looks for the apps' `tasks` modules, as the
admin looks for their `admin` modules.

Two clusters never start one schedule twice: django-q2's scheduler reads due schedules with SELECT … FOR UPDATE
and moves `next_run` on in the same transaction (on SQLite the write transaction is IMMEDIATE, which serialises
the same way); the jobs themselves are idempotent besides (a Reminder row per case and deadline, the sweep's row
locks, the outbox's claims)."""

import dataclasses
import importlib
import logging
from collections.abc import Callable

from django.apps import apps
from django.utils import timezone
from django.utils.module_loading import module_has_submodule

logger = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class Periodic:
    func: Callable
    minutes: int

    @property
    def path(self) -> str:
        return f"{self.func.__module__}.{self.func.__qualname__}"

    @property
    def name(self) -> str:
        return self.path.removeprefix("zhuqi.")


def periodic_jobs() -> list[Periodic]:
    jobs = []
    for app in apps.get_app_configs():
        if app.name.startswith("zhuqi.") and module_has_submodule(app.module, "tasks"):
            jobs += getattr(importlib.import_module(f"{app.name}.tasks"), "SCHEDULES", [])
    return jobs


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
