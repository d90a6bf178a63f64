from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "zhuqi.core"
    label = "core"
    verbose_name = _("Common")

    def ready(self):
        from . import audit_signals  # noqa: F401  (login/logout/failure are only reachable as auth signals)
