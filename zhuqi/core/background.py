"""Work that outlives its request (a large import, a message to deliver): a task for the cluster
(`manage.py qcluster`, django-q2), queued when the surrounding transaction commits, so the task never starts
before the rows it reads are visible, and a rolled-back request queues nothing.

Tests run the work inline (ZHUQI_BACKGROUND_INLINE)."""

import logging

from django.conf import settings
from django.db import transaction
from django_q.tasks import async_task

log = logging.getLogger(__name__)


def run_in_background(fn, *args, **kwargs) -> None:
    """`fn` must be importable by its module and name (the cluster runs it in another process)."""
    if getattr(settings, "ZHUQI_BACKGROUND_INLINE", False):
        fn(*args, **kwargs)
        return
    name = f"{fn.__module__}.{fn.__qualname__}"

    def enqueue():
        # django-q2's database broker closes the connection when it is past CONN_MAX_AGE and no transaction is
        # open, which would end the caller's open cursors (a reminder run iterating its cases) mid-loop
        with transaction.atomic():
            async_task(name, *args, task_name=fn.__name__, **kwargs)

    transaction.on_commit(enqueue)


def worker_process_mark(sender=None, **kwargs) -> None:
    """django-q2's pre_execute: a task runs in the cluster's worker process, which serves no requests, so its bulk
    jobs may pause the cyclic garbage collector (core.bulk.cycle_collection_paused)."""
    from .bulk import mark_worker_process

    mark_worker_process()
