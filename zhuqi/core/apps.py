from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "zhuqi.core"
    label = "core"
    verbose_name = _("Common")

    def ready(self):
        from django.db.models.signals import post_migrate
        from django_q.signals import pre_execute

        from . import audit_signals  # noqa: F401  (login/logout/failure are only reachable as auth signals)
        from .background import worker_process_mark
        from .schedules import schedules_ensure

        post_migrate.connect(schedules_ensure, sender=self, dispatch_uid="zhuqi-schedules")
        pre_execute.connect(worker_process_mark, dispatch_uid="zhuqi-worker-process")
