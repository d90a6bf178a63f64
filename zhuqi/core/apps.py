from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "zhuqi.core"
    label = "core"
    verbose_name = _("Common")

    def ready(self):
        from django.db.models.signals import post_migrate
        from django_q.signals import pre_execute

        from . import (
            audit_signals,  # noqa: F401  (login/logout/failure are only reachable as auth signals)
            registry,
            tasks,
        )
        from .background import worker_process_mark
        from .reference_data import reference_data_restore
        from .schedules import schedules_ensure

        post_migrate.connect(schedules_ensure, sender=self, dispatch_uid="zhuqi-schedules")
        post_migrate.connect(reference_data_restore, sender=self, dispatch_uid="zhuqi-reference-data")
        pre_execute.connect(worker_process_mark, dispatch_uid="zhuqi-worker-process")
        registry.periodic_task_register(tasks.idempotency_purge, minutes=60)
        registry.periodic_task_register(tasks.personal_data_purge, minutes=24 * 60)
        registry.periodic_task_register(tasks.audit_checkpoint_write, minutes=24 * 60)
        # the areas of the left navigation, in its order; a module may add its own between them (order 5 is free)
        for area, label, order in [
            ("service", _("Enterprise service"), 0), ("grid", _("Grid governance"), 1), ("safety", _("Work safety"), 2),
            ("environment", _("Environment"), 3), ("growth", _("Enterprise growth"), 4),
            ("statistics", _("Statistics"), 6), ("assessment", _("Assessment"), 7),
        ]:  # fmt: skip
            registry.nav_area_register(area, label, order=order)
        back_office = {"auditor", "system_admin"}
        registry.nav_register("workbench", _("Workbench"), "workbench", order=10, icon="speedometer2",
                              visible=lambda user: user.role not in back_office)  # fmt: skip
        registry.nav_register(
            "audit", _("Audit trail"), "audit-list", order=10, roles={"auditor"}, icon="journal-check"
        )
        registry.nav_register("configuration", _("Configuration"), "admin:index", order=10, roles={"system_admin"},
                              icon="gear")  # fmt: skip
