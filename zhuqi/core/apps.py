from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "zhuqi.core"
    label = "core"
    verbose_name = _("Common")

    def ready(self):
        from . import (
            audit_signals,  # noqa: F401  (login/logout/failure are only reachable as auth signals)
            registry,
        )

        registry.periodic_task_register("idempotency_purge", "zhuqi.core.idempotency.idempotency_purge", order=40)
        registry.periodic_task_register("personal_data_purge", "zhuqi.core.personal.personal_data_purge", order=50)
        back_office = {"auditor", "system_admin"}
        registry.nav_register("workbench", _("Workbench"), "workbench", order=10,
                              visible=lambda user: user.role not in back_office)  # fmt: skip
        registry.nav_register("audit", _("Audit trail"), "audit-list", order=10, roles={"auditor"})
        registry.nav_register("configuration", _("Configuration"), "admin:index", order=10, roles={"system_admin"})
